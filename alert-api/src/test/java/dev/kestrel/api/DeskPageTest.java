package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.alerts.AlertDetail;
import dev.kestrel.api.alerts.AlertStatus;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitAction;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.Severity;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.IndicatorValue;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The desk page in a real browser (Debian's headless Chromium) against the real API, database and broker: sign in,
 * see the watch list ranked by score, see a new alert arrive live, acknowledge and resolve it, and see the score with
 * its factors and charts on the borrower page. Screenshots go to
 * {@code target/desk-screenshots/}, and with {@code -Dkestrel.writeDocs=true} the {@code desk-*} ones to
 * {@code docs/images/}.
 */
@MicronautTest
class DeskPageTest extends DeskTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/desk-screenshots");
    private static final boolean WRITE_DOCS = Boolean.getBoolean("kestrel.writeDocs");
    private static final Path DOC_IMAGES = Path.of("../docs/images");
    private static final java.util.Set<String> TAKEN = new java.util.TreeSet<>();

    @Inject
    EmbeddedServer server;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void browserAndBorrower() throws IOException {
        assertThat(CHROMIUM).as("Debian's chromium (./kestrel test installs it)").exists();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (./kestrel test installs it)").exists();
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        // The console, where Chromium reports what the page's content security policy blocked.
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        // The page redraws as alerts arrive live: an element read mid-redraw is gone, and the next poll reads the new one.
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);

        // A borrower with a profile and three months of snapshots, so its page has something to chart.
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));
        List<BorrowerRiskSnapshot> history = new ArrayList<>();
        for (int week = 0; week < 13; week++) {
            history.add(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot())
                    .setAsOf(Samples.T0.plus(Duration.ofDays(7L * week))).setDaysPastDue(Math.max(0, 7 * week - 40))
                    // Material from its first day past due, 41 days after T0: the desk opens a collection case on it.
                    .setMaterialArrearsSince(7 * week > 40 ? java.time.LocalDate.ofInstant(Samples.T0, java.time.ZoneOffset.UTC).plusDays(41) : null)
                    .setIndicators(List.of(
                            indicator("inflow30d", IndicatorUnit.MINOR_UNITS, 2_000_000_00L - week * 100_000_00L),
                            indicator("inflowBaseline30d", IndicatorUnit.MINOR_UNITS, 2_000_000_00L),
                            indicator("limitUtilisation", IndicatorUnit.BASIS_POINTS, 6_000 + week * 150),
                            indicator("overdueAmount", IndicatorUnit.MINOR_UNITS, 7 * week > 40 ? 250_000_00L : 0L),
                            // The sample's review was due on 2026-03-10, eight days after T0.
                            indicator("reviewOverdueDays", IndicatorUnit.DAYS, Math.max(0, 7L * week - 8))))
                    .build());
        }
        // A second member of the group, non-performing: the group page shows it as a contagion source.
        history.add(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId("B-1002")
                .setLoanCategory(dev.kestrel.events.LoanCategory.SUBSTANDARD).setDaysPastDue(95).build());
        DeskTestSupport.send(topics.snapshots(), history);
        // The engine's scores: the first borrower went from GREEN to AMBER, the second is RED.
        DeskTestSupport.send(topics.scores(), List.of(
                BorrowerScore.newBuilder(Samples.borrowerScore()).setScore(250).setPreviousScore(null).setGrade(WatchGrade.GREEN)
                        .setPreviousGrade(null).setSegment(dev.kestrel.events.RiskSegment.QUALITY).setEventTime(Samples.T0.minus(Duration.ofDays(30))).build(),
                BorrowerScore.newBuilder(Samples.borrowerScore()).setEventTime(Samples.T0).build(),
                BorrowerScore.newBuilder(Samples.borrowerScore()).setBorrowerId("B-1002").setScore(330).setGrade(WatchGrade.RED).build()));
        // The evidence behind its alerts, as the input topics carry it.
        DeskTestSupport.send(topics.statements(), List.of(Samples.financialStatement()));
        DeskTestSupport.send(topics.creditEvents(), List.of(Samples.creditEvent()));
        DeskTestSupport.send(topics.repayments(), List.of(Samples.repayment()));
        // The engine's word on two instalments: 07 a day past due, 06 settled three days late.
        DeskTestSupport.send(topics.instalments(), List.of(Samples.instalmentStatus(), dev.kestrel.events.InstalmentStatus.newBuilder(
                Samples.instalmentStatus()).setInstalmentId("06").setDueDate(java.time.LocalDate.parse("2026-02-01"))
                .setStatus(dev.kestrel.events.InstalmentState.SETTLED).setAmountPaidMinor(12_000_000L)
                .setSettledOn(java.time.LocalDate.parse("2026-02-04")).setDaysLate(3).setAsOf(java.time.LocalDate.parse("2026-02-04")).build()));
        DeskTestSupport.send(topics.collateral(), List.of(Samples.collateralValuation()));
        // The engine's view of the group: B-1001 draws 17% of it and is BLACK, so the group is.
        DeskTestSupport.send(topics.groupSnapshots(), List.of(Samples.groupRiskSnapshot()));
        // The engine's contagion episode on the group, and the member it alerted for reassessment.
        Alert contagion = Alert.newBuilder(Samples.alert()).setAlertId("desk-contagion").setScope(AlertScope.GROUP)
                .setBorrowerId(null).setRuleId("GRP-CONTAGION").setCategory(dev.kestrel.events.AlertCategory.CONTAGION)
                .setSeverity(Severity.HIGH).setTitle("A member of the group is non-performing")
                .setExplanation(dev.kestrel.events.AlertExplanation.newBuilder(Samples.alert().getExplanation())
                        .setSummary("Non-performing or critical: B-1002 (SUBSTANDARD, 95 days past due).").build())
                .build();
        DeskTestSupport.send(topics.alerts(), List.of(contagion, Alert.newBuilder(contagion).setAlertId("desk-contagion-B-1001")
                .setScope(AlertScope.BORROWER).setBorrowerId("B-1001").build()));
        // The engine recommends cutting the first borrower's limit, which the bank did on its word, and freezing the group's,
        // which the bank's limit committee had already frozen on its own grounds.
        DeskTestSupport.send(topics.recommendations(), List.of(
                LimitRecommendation.newBuilder(Samples.limitRecommendation()).setBorrowerId("B-1001")
                        .setDecisionInForce(dev.kestrel.events.LimitDecisionInForce.newBuilder().setDecisionId("LD-1001")
                                .setAction(dev.kestrel.events.LimitDecisionAction.REDUCE_LIMIT).setLimitMinor(4_000_000_000L)
                                .setCurrency("CNY").setApprovedBy("sam")
                                .setRecommendationId(Samples.limitRecommendation().getRecommendationId())
                                .setApprovedAt(Samples.T0.plusSeconds(600)).build())
                        .setKeepDecisionInForce(true)
                        .setReason("Keep the bank's cut of the limit to CNY 40,000,000.00 (decision LD-1001, approved by sam on "
                                + "2026-03-02 UTC) in force while severe alerts are open: Group member non-performing: the other "
                                + "members are at risk (HIGH). It answers the engine's recommendation to cut the limit by 20%; no further cut.")
                        .build(),
                LimitRecommendation.newBuilder(Samples.limitRecommendation()).setScope(AlertScope.GROUP).setBorrowerId(null)
                        .setAction(LimitAction.FREEZE_UNDRAWN).setReductionBasisPoints(null).setSeverity(Severity.CRITICAL)
                        .setReason("Freeze the undrawn limit while critical alerts are open: Group limit breached (CRITICAL).")
                        .setDecisionInForce(dev.kestrel.events.LimitDecisionInForce.newBuilder().setDecisionId("LD-G17")
                                .setAction(dev.kestrel.events.LimitDecisionAction.FREEZE_UNDRAWN).setApprovedBy("sue")
                                .setRecommendationId(null) // the limit committee's own freeze: the engine still recommends its own
                                .setApprovedAt(Samples.T0.plusSeconds(600)).build())
                        .build()));
    }

    private static IndicatorValue indicator(String name, IndicatorUnit unit, long value) {
        return IndicatorValue.newBuilder().setIndicator(name).setUnit(unit).setValue(value).setObservedAt(Samples.T0).build();
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /**
     * Keeps a screenshot in {@code target/desk-screenshots/}; with {@code -Dkestrel.writeDocs=true}, one named
     * {@code desk-*} also replaces the image of that name in {@code docs/images/}, so the docs show what this test sees.
     */
    private void screenshot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        TAKEN.add(name);
        if (WRITE_DOCS && name.startsWith("desk-")) {
            Files.write(DOC_IMAGES.resolve(name + ".png"), png);
        }
    }

    /** Refreshing the docs' images: every desk image the docs show must be one this test takes. */
    @AfterAll
    void everyDeskImageTheDocsShowWasTaken() throws IOException {
        if (!WRITE_DOCS) {
            return;
        }
        assertThat(TAKEN).as("the desk images docs/*.md and README.md show").containsAll(DocImages.deskImagesShown());
    }

    @Test
    void signInSeeAnAlertArriveLiveResolveItAndChartTheBorrower() throws IOException {
        String base = server.getURL().toString();
        browser.get(base + "/");
        // Signed out, whichever test ran before: this one starts at the sign-in form.
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        Object firstRender = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const t = performance.getEntriesByType('navigation')[0]; return t ? Math.round(t.domContentLoadedEventEnd) : -1;");
        System.out.println("Desk page: DOM ready " + firstRender + " ms after navigation");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username"))).sendKeys("sue");
        browser.findElement(By.name("password")).sendKeys("sue" + DeskTestSupport.PASSWORD_SUFFIX);
        screenshot("1-sign-in");
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-tile=CRITICAL]")));

        // The watch list, riskiest first: the RED borrower, then the one that went from 250 to AMBER at 295.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#watch-list tr[data-borrower-id='B-1001']")));
        List<WebElement> listed = browser.findElements(By.cssSelector("#watch-list tr[data-borrower-id]"));
        assertThat(listed).extracting(e -> e.getAttribute("data-borrower-id")).containsExactly("B-1002", "B-1001");
        assertThat(listed.get(1).getText()).contains("AMBER", "295", "+45", "11.91%", "Days past due (35 days, +110)", "RISK_WATCH");
        screenshot("desk-watch-list");

        // A critical alert produced on Kafka appears in the feed without a reload.
        Alert alert = Alert.newBuilder(Samples.alert()).setAlertId("desk-1").setSeverity(dev.kestrel.events.Severity.CRITICAL)
                .setTitle("Borrower in default").build();
        long sent = System.nanoTime();
        DeskTestSupport.send(topics.alerts(), List.of(alert));
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-alert-id='desk-1']")));
        System.out.printf("Desk page: new alert in the feed %d ms after Kafka took it%n",
                Duration.ofNanos(System.nanoTime() - sent).toMillis());
        assertThat(row.getAttribute("class")).contains("sev-CRITICAL");
        assertThat(row.getText()).contains("CRITICAL").contains("Borrower in default");
        // Alerts per day: a bar for each of the 30 days; today's, when the alert arrived, drawn, the quiet days flat.
        wait.until(b -> {
            List<WebElement> bars = b.findElements(By.cssSelector("[data-tile=per-day] .bars span"));
            return bars.size() == 30 && bars.get(29).getSize().getHeight() > bars.get(0).getSize().getHeight() + 10;
        });
        // Read through the wait, which ignores a stale element: the live page redraws the tile and the feed as it goes.
        int todaysWidth = wait.until(b -> b.findElements(By.cssSelector("[data-tile=per-day] .bars span")).get(29).getSize().getWidth());
        assertThat(todaysWidth).as("one bar among thirty, not the whole tile").isLessThan(20);
        // The tiles count the new alert too before the picture is taken (they reload a moment after the feed).
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-tile=CRITICAL] b"), "1"));
        screenshot("desk-feed");

        wait.until(b -> {
            b.findElement(By.cssSelector("tr[data-alert-id='desk-1']")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("summary"), "Days past due 31 > 30"));
        browser.findElement(By.cssSelector("button[data-action=acknowledge]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "ACKNOWLEDGED"));
        new Select(browser.findElement(By.name("disposition"))).selectByValue("RESTRUCTURE");
        browser.findElement(By.name("note")).sendKeys("restructuring agreed with the borrower");
        browser.findElement(By.cssSelector("button[data-action=resolve]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "RESOLVED"));
        assertThat(browser.findElement(By.id("history")).getText()).contains("ACKNOWLEDGE").contains("RESOLVE");
        screenshot("desk-alert");

        // The change is stored, and audited.
        AlertDetail stored = desk.get("aud", "/api/alerts/desk-1", Argument.of(AlertDetail.class));
        assertThat(stored.alert().status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(stored.resolutionNote()).isEqualTo("restructuring agreed with the borrower");
        JsonNode audit = desk.get("aud", "/api/audit?targetType=alert&targetId=desk-1", Argument.of(JsonNode.class));
        assertThat(audit.get("items").get(0).get("action").getStringValue()).isEqualTo("ALERT_RESOLVE");
        assertThat(audit.get("items").get(0).get("actor").getStringValue()).isEqualTo("sue");

        // The borrower page draws its charts.
        browser.findElement(By.linkText("Jiangnan Precision Machinery Co., Ltd.")).click();
        WebElement canvas = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-chart='Days past due'] canvas")));
        assertThat(canvas.getSize().getWidth()).isGreaterThan(200);
        assertThat(browser.findElements(By.cssSelector(".chart canvas")))
                .as("score, days past due, inflow, utilisation, and the ratios of the balance sheet, income statement and cash flow").hasSize(7);
        assertThat(browser.findElement(By.cssSelector("[data-chart='Net margin and revenue change year on year (latest statement)'] canvas"))
                .getSize().getWidth()).isGreaterThan(200);
        assertThat(browser.findElement(By.cssSelector("[data-chart='Score'] canvas")).getSize().getWidth()).isGreaterThan(200);
        // The engine's latest indicators, each in the unit the engine stated.
        assertThat(browser.findElement(By.id("indicators")).getText()).contains("limitUtilisation 78.00%", "inflowBaseline30d CNY 2,000,000.00");
        assertThat(browser.findElement(By.id("score")).getText()).contains("AMBER", "295", "11.91%", "CCC", "KESTREL-DEFAULT v2");
        assertThat(browser.findElement(By.id("factors")).getText()).contains("Days past due", "35 days", "31 to 90 days", "+110");
        assertThat(browser.findElement(By.id("profile")).getText()).contains("91310000MA1K4C1234"); // a supervisor sees it
        assertThat(browser.findElement(By.id("limit-recommendation")).getText()).as("the cut is made: keep it, not cut again")
                .contains("Keep the cut in force", "no further cut").doesNotContain("Cut the limit by");
        assertThat(browser.findElement(By.id("decision-in-force")).getText()).as("the bank's cut, as the engine read it back")
                .startsWith("In force: the limit cut to CNY 40,000,000.00 (decision LD-1001), approved by sam");
        // A supervisor makes herself responsible for the borrower.
        assertThat(browser.findElement(By.id("owner")).getText()).contains("No officer is responsible");
        browser.findElement(By.name("owner-officer")).sendKeys("sue");
        browser.findElement(By.name("owner-team")).sendKeys("East");
        browser.findElement(By.cssSelector("button[data-action=set-owner]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("owner"), "sue · team East"));
        // As owner she proposes cutting the limit to CNY 40m; she cannot approve it herself, only withdraw it.
        new Select(browser.findElement(By.name("decision-action"))).selectByValue("REDUCE_LIMIT");
        browser.findElement(By.name("decision-limit")).sendKeys("40,000,000");
        browser.findElement(By.name("decision-why")).sendKeys("Cut while the arrears last");
        browser.findElement(By.cssSelector("button[data-action=propose-decision]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#limit-decisions li[data-status=PROPOSED]")));
        assertThat(browser.findElement(By.id("limit-decisions")).getText())
                .contains("Reduce the limit to CNY 40,000,000.00", "PROPOSED", "proposed by sue");
        assertThat(browser.findElements(By.cssSelector("#limit-decisions button[data-action=approve-decision]")))
                .as("four eyes: no Approve for the proposer").isEmpty();
        assertThat(desk.get("sue", "/api/limit-decisions?borrowerId=B-1001", Argument.listOf(dev.kestrel.api.decisions.LimitDecisionView.class)))
                .as("left ticked, the proposal answers the engine's recommendation, which the engine reads back")
                .extracting(dev.kestrel.api.decisions.LimitDecisionView::recommendationId)
                .containsExactly(Samples.limitRecommendation().getRecommendationId());
        screenshot("desk-borrower");
        browser.findElement(By.name("decision-reason")).sendKeys("proposed on the wrong facility");
        browser.findElement(By.cssSelector("button[data-action=reject-decision]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#limit-decisions li[data-status=REJECTED]")));
        assertThat(browser.findElement(By.id("limit-decisions")).getText()).contains("rejected by sue", "proposed on the wrong facility");

        // The group page: exposure against the limit, the engine's grade, members, and the contagion section.
        DeskTestSupport.eventually(Duration.ofSeconds(20), "the engine's group snapshot is stored", () ->
                desk.get("aud", "/api/groups/G-17", Argument.of(dev.kestrel.api.groups.GroupView.class)).watchGrade() != null);
        browser.findElement(By.linkText("G-17")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("contagion"),
                "Non-performing or critical: B-1002 (SUBSTANDARD, 95 days past due)."));
        assertThat(browser.findElement(By.id("contagion")).getText())
                .contains("A member of the group is non-performing", "Members the engine alerted for reassessment: B-1001");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Jiangnan Precision Machinery Co., Ltd.")
                .contains("SPECIAL_MENTION");
        assertThat(browser.findElement(By.id("limit-recommendation")).getText()).contains("Freeze the undrawn limit");
        assertThat(browser.findElement(By.id("decision-in-force")).getText())
                .as("what the bank decided, as the engine read it back").startsWith("In force: the undrawn limit frozen (decision LD-G17), approved by sue");
        assertThat(browser.findElement(By.id("group-grade")).getText())
                .contains("BLACK set by B-1001, its worst material member", "exposure-weighted score 246", "2 members scored");
        assertThat(browser.findElement(By.id("group-members")).getText()).contains("BLACK", "395", "GREEN", "215");
        screenshot("desk-group");

        // Back on the watch list, "Mine" keeps the borrower she now owns, with her name beside it.
        browser.get(base + "/#/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#watch-list tr[data-borrower-id='B-1002']")));
        new Select(browser.findElement(By.name("watch-owner"))).selectByValue("me");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#watch-list tr[data-borrower-id='B-1002']")));
        List<WebElement> mine = browser.findElements(By.cssSelector("#watch-list tr[data-borrower-id]"));
        assertThat(mine).extracting(e -> e.getAttribute("data-borrower-id")).containsExactly("B-1001");
        assertThat(mine.get(0).getText()).contains("sue", "East");
        screenshot("7-my-watch-list");

        // Finding a customer: by industry, region and group, then by owner and team.
        browser.findElement(By.id("borrowers-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#borrower-list tr[data-borrower-id]")));
        for (String[] filter : new String[][] {{"industry", "C"}, {"region", "CN-SH"}, {"group", "G-17"}, {"owner", "sue"}, {"team", "East"}}) {
            browser.findElement(By.name("borrowers-" + filter[0])).sendKeys(filter[1] + org.openqa.selenium.Keys.ENTER);
        }
        wait.until(b -> b.findElements(By.cssSelector("#borrower-list tr[data-borrower-id]")).size() == 1);
        assertThat(browser.findElement(By.id("borrower-list")).getText()).contains("Jiangnan Precision Machinery Co., Ltd.", "sue", "East");
        screenshot("desk-borrowers");
        browser.findElement(By.name("borrowers-team")).clear();
        browser.findElement(By.name("borrowers-team")).sendKeys("West" + org.openqa.selenium.Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("borrower-list"), "No borrower matches."));
        browser.get(base + "/#/");

        // The same screens on a phone: nothing but a table scrolls sideways, inside its card.
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.navigate().refresh();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#watch-list tr[data-borrower-id]")));
            assertThat(pageOverflowsSideways()).as("the watch list at 390 px").isFalse();
            screenshot("13-watch-list-phone");
            browser.get(base + "/#/alerts/desk-1");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "RESOLVED"));
            assertThat(browser.findElement(By.id("history")).getText()).contains("RESOLVE");
            assertThat(pageOverflowsSideways()).as("the alert at 390 px").isFalse();
            screenshot("desk-alert-phone");
            browser.get(base + "/#/groups/G-17");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("contagion"), "Non-performing or critical"));
            assertThat(pageOverflowsSideways()).as("the group at 390 px").isFalse();
            screenshot("desk-group-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }

        // All of it under the API's content security policy, with nothing blocked; the probe shows the console is read.
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("console.error('console-probe')");
        assertThat(browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
                .extracting(org.openqa.selenium.logging.LogEntry::getMessage)
                .anyMatch(message -> message.contains("console-probe"))
                .noneMatch(message -> message.contains("Content Security Policy") || message.contains("Refused to"));
    }

    @Test
    void aSecondSupervisorApprovesALimitDecisionInTheBrowserAndItGoesOut() throws IOException {
        String base = server.getURL().toString();
        // sue proposes a cut of B-1002's limit on other grounds (through the API, as the page would).
        HttpResponse<dev.kestrel.api.decisions.LimitDecisionView> proposed = desk.call("sue", HttpRequest.POST("/api/limit-decisions",
                Map.of("borrowerId", "B-1002", "action", "REDUCE_LIMIT", "limitMinor", 3_000_000_000L, "currency", "CNY",
                        "reason", "Cut to CNY 30m: the shipping contract it relied on was cancelled.")),
                Argument.of(dev.kestrel.api.decisions.LimitDecisionView.class));
        assertThat(proposed.code()).isEqualTo(201);
        String id = proposed.body().decisionId();

        // sam, another supervisor, signs in on the page and approves what he read.
        browser.get(base + "/#/");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        try {
            signedIn(base, "sam");
            // His approvals worklist shows it waiting; the row opens the borrower's page, where he reads and decides.
            browser.findElement(By.id("approvals-link")).click();
            WebElement waiting = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#approvals tr[data-kind=LIMIT_DECISION][data-decision-id='" + id + "']")));
            assertThat(waiting.getText()).contains("Limit decision: Reduce the limit to CNY 30,000,000.00", "B-1002", "sue",
                    "Yours to decide");
            waiting.click();
            WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#limit-decisions li[data-decision-id='" + id + "']")));
            assertThat(row.getText()).contains("Reduce the limit to CNY 30,000,000.00", "PROPOSED", "proposed by sue");
            row.findElement(By.cssSelector("button[data-action=approve-decision]")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#limit-decisions li[data-decision-id='" + id + "'][data-status=PUBLISHED]")));
            assertThat(browser.findElement(By.cssSelector("#limit-decisions li[data-decision-id='" + id + "']")).getText())
                    .contains("PUBLISHED", "approved by sam");
            assertThat(desk.get("aud", "/api/audit?targetType=limit-decision&targetId=" + id, Argument.of(JsonNode.class))
                    .get("items").values()).extracting(e -> e.get("action").getStringValue() + " by " + e.get("actor").getStringValue())
                    .containsExactly("LIMIT_DECISION_SENT by system", "LIMIT_DECISION_APPROVE by sam", "LIMIT_DECISION_PROPOSE by sue");
        } finally {
            // The other tests sign in as sue when the page has no session.
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
            browser.navigate().refresh();
        }
    }

    /** Signs in as the user unless the page already has a session. */
    private void signedIn(String base, String user) {
        browser.get(base + "/#/");
        wait.until(b -> !b.findElements(By.name("username")).isEmpty() || !b.findElements(By.id("tiles")).isEmpty());
        if (!browser.findElements(By.name("username")).isEmpty()) {
            browser.findElement(By.name("username")).sendKeys(user);
            browser.findElement(By.name("password")).sendKeys(user + DeskTestSupport.PASSWORD_SUFFIX);
            browser.findElement(By.cssSelector("#login button[type=submit]")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("tiles")));
        }
    }

    /** The toll road's base-case quarters of 2025 against its tolls, the first not watched, as the engine's snapshot has them. */
    private static List<dev.kestrel.events.ProjectPeriodRevenue> revenue(int months) {
        List<dev.kestrel.events.ProjectPeriodRevenue> periods = new ArrayList<>();
        for (int q = 0; q < 4 + months / 3; q++) {
            java.time.LocalDate start = java.time.LocalDate.parse("2025-01-01").plusMonths(3L * q);
            periods.add(dev.kestrel.events.ProjectPeriodRevenue.newBuilder().setPeriodStart(start).setPeriodEnd(start.plusMonths(3).minusDays(1))
                    .setForecastRevenueMinor(2_000_000_000L).setReceiptsMinor(q == 0 ? null : 2_000_000_000L - 150_000_000L * q)
                    .setRunning(q == 3 + months / 3).build()); // the latest started quarter runs
        }
        return periods;
    }

    @Test
    void anOfficerFindsTheProjectAtLockUpAndReadsItsPageOnADesktopAndOnAPhone() throws IOException {
        // Two project companies: a toll road in operation whose DSCR fell to its lock-up level, and a hydropower station
        // under construction whose turbine hall slips.
        dev.kestrel.events.Project hydro = Samples.project();
        dev.kestrel.events.Project tollRoad = dev.kestrel.events.Project.newBuilder(hydro).setProjectId("PRJ-2002").setBorrowerId("B-2002")
                .setName("Ring road toll concession").setSector(dev.kestrel.events.ProjectSector.TRANSPORT)
                .setStage(dev.kestrel.events.ProjectStage.OPERATION).setFinancialCloseDate(java.time.LocalDate.parse("2022-03-31"))
                .setScheduledCodDate(java.time.LocalDate.parse("2024-06-30")).setFirstDebtServiceDate(java.time.LocalDate.parse("2024-12-31"))
                .setFacilityIds(List.of("F-2002-SENIOR")).build();
        DeskTestSupport.send(topics.projects(), List.of(hydro, tollRoad));
        DeskTestSupport.send(topics.milestones(), List.of(Samples.projectMilestone(),
                dev.kestrel.events.ProjectMilestone.newBuilder(Samples.projectMilestone()).setReportId("MS-2001-DAM").setMilestoneId("DAM")
                        .setName("Dam crest reached").setPlannedDate(java.time.LocalDate.parse("2025-11-30")).setExpectedDate(null)
                        .setActualDate(java.time.LocalDate.parse("2025-11-20")).setPercentCompleteBasisPoints(10_000).build(),
                dev.kestrel.events.ProjectMilestone.newBuilder(Samples.projectMilestone()).setReportId("MS-2001-COD").setMilestoneId("COD")
                        .setName("Commercial operation").setKind(dev.kestrel.events.MilestoneKind.COMMERCIAL_OPERATION)
                        .setPlannedDate(java.time.LocalDate.parse("2027-12-31")).setExpectedDate(java.time.LocalDate.parse("2028-02-15"))
                        .setPercentCompleteBasisPoints(0).build()));
        List<dev.kestrel.events.ForecastPeriod> quarters = new ArrayList<>();
        for (int q = 0; q < 8; q++) {
            java.time.LocalDate start = java.time.LocalDate.parse("2025-01-01").plusMonths(3L * q);
            quarters.add(dev.kestrel.events.ForecastPeriod.newBuilder().setPeriodStart(start).setPeriodEnd(start.plusMonths(3).minusDays(1))
                    .setRevenueMinor(2_000_000_000L).setOperatingCostMinor(600_000_000L).setCapexMinor(100_000_000L)
                    .setDebtServiceMinor(1_000_000_000L).build());
        }
        DeskTestSupport.send(topics.forecasts(), List.of(dev.kestrel.events.CashFlowForecast.newBuilder(Samples.cashFlowForecast())
                .setForecastId("FM-2002-2025").setBorrowerId("B-2002").setProjectId("PRJ-2002").setPeriods(quarters).build()));
        DeskTestSupport.send(topics.covenants(), List.of(dev.kestrel.events.FacilityCovenants.newBuilder(Samples.facilityCovenants())
                .setBorrowerId("B-2002").setProjectId("PRJ-2002").setFacilityId("F-2002-SENIOR")
                .setEffectiveDate(java.time.LocalDate.parse("2025-01-01")).build()));
        List<BorrowerRiskSnapshot> engine = new ArrayList<>();
        for (int month = 0; month < 6; month++) { // the DSCR falls from 1.30x to 1.15x, below its 1.20x lock-up, the reserve drawn on
            long dscr = 13_000 - 300L * month;
            engine.add(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId("B-2002").setGroupId(null)
                    .setAsOf(Samples.T0.plus(Duration.ofDays(30L * month))).setDaysPastDue(0).setOpenAlerts(List.of())
                    .setIndicators(List.of(indicator("historicDscr", IndicatorUnit.BASIS_POINTS, dscr),
                            indicator("llcr", IndicatorUnit.BASIS_POINTS, 14_000 - 100L * month),
                            indicator("covenantLevel", IndicatorUnit.COUNT, dscr < 12_000 ? 1 : 0),
                            indicator("dsraFunding", IndicatorUnit.BASIS_POINTS, 10_000 - 400L * month)))
                    .setProjectCurrency("CNY").setProjectForecastId("FM-2002-2025").setProjectPeriods(revenue(month)).build());
        }
        engine.add(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId("B-2001").setGroupId(null)
                .setDaysPastDue(0).setOpenAlerts(List.of()).setIndicators(List.of(indicator("milestoneSlippageDays", IndicatorUnit.DAYS, 46),
                        indicator("codMarginDays", IndicatorUnit.DAYS, 136), indicator("capexOverrun", IndicatorUnit.BASIS_POINTS, -300))).build());
        DeskTestSupport.send(topics.snapshots(), engine);

        String base = server.getURL().toString();
        signedIn(base, "sue");
        browser.findElement(By.id("projects-link")).click();
        By tollRow = By.cssSelector("#project-list tr[data-project-id='PRJ-2002']");
        wait.until(b -> b.findElement(tollRow).getText().contains("1.15x"));
        String first = wait.until(b -> b.findElement(By.cssSelector("#project-list tr")).getAttribute("data-project-id"));
        assertThat(first).as("the worst covenant status first").isEqualTo("PRJ-2002");
        String toll = wait.until(b -> b.findElement(tollRow).getText());
        assertThat(toll).contains("Ring road toll concession", "TRANSPORT", "lock-up", "1.35x", "80.00%");
        screenshot("desk-projects");
        new Select(browser.findElement(By.name("projects-covenant"))).selectByValue("UNTESTED");
        wait.until(b -> b.findElements(By.cssSelector("#project-list tr[data-project-id]")).size() == 1
                && b.findElement(By.cssSelector("#project-list tr[data-project-id]")).getAttribute("data-project-id").equals("PRJ-2001"));
        new Select(browser.findElement(By.name("projects-covenant"))).selectByValue("");
        wait.until(b -> {
            b.findElement(tollRow).click();
            return true;
        });

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("project-facts"), "Ring road toll concession"));
        assertThat(browser.findElement(By.id("project-covenant-status")).getText()).isEqualTo("lock-up");
        assertThat(browser.findElement(By.id("project-ratios")).getText()).isEqualTo("historic DSCR 1.15x · projected DSCR — · LLCR 1.35x");
        assertThat(browser.findElement(By.id("project-covenants")).getText())
                .contains("F-2002-SENIOR", "2025-01-01", "lock-up 1.20x, default 1.05x", "default 2.33x", "6 months of debt service");
        assertThat(browser.findElements(By.cssSelector("#project-forecast tbody tr"))).hasSize(8);
        assertThat(browser.findElements(By.cssSelector("#project-forecast tbody tr"))).extracting(WebElement::getText)
                .as("the engine's receipts beside the base case, period by period").startsWith(
                        "2025-01-01 to 2025-03-31 CNY 20,000,000.00 not watched CNY 6,000,000.00 CNY 1,000,000.00 CNY 10,000,000.00",
                        "2025-04-01 to 2025-06-30 CNY 20,000,000.00 CNY 18,500,000.00 CNY 6,000,000.00 CNY 1,000,000.00 CNY 10,000,000.00");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart^='Revenue: base case against receipts'] canvas")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart='Cover ratios'] canvas")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart='Debt-service reserve funded'] canvas")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart^='Covenant level'] canvas")));
        assertThat(browser.findElement(By.cssSelector("[data-chart='Revenue short of the base case (two periods in a row)']")).getText())
                .as("never measured for this project: no empty axes").contains("No history yet.");
        screenshot("desk-project");

        browser.get(base + "/#/projects/PRJ-2001");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("project-milestones"), "Turbine hall roofed"));
        assertThat(browser.findElements(By.cssSelector("#project-milestones tbody tr"))).extracting(WebElement::getText)
                .as("in the order planned, as the reports have them").satisfiesExactly(
                        dam -> assertThat(dam).contains("Dam crest reached", "construction", "2025-11-30", "reached 2025-11-20", "100%"),
                        hall -> assertThat(hall).contains("Turbine hall roofed", "2026-02-28", "expected 2026-04-15", "82%"),
                        cod -> assertThat(cod).contains("Commercial operation", "commercial operation", "2027-12-31", "expected 2028-02-15", "0%"));
        assertThat(browser.findElement(By.id("project-construction")).getText()).as("the engine's figure, not the page's")
                .startsWith("the worst milestone slips 46 days past its plan");
        assertThat(browser.findElement(By.id("project-sponsors")).getText()).contains("Yunnan Energy Investment Group 60%", "Huadian Construction Partners 40%");
        screenshot("desk-project-construction");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.get(base + "/#/projects/PRJ-2002");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("project-facts"), "Ring road toll concession"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart='Cover ratios'] canvas")));
            assertThat(pageOverflowsSideways()).as("the project at 390 px").isFalse();
            screenshot("desk-project-phone");
            browser.get(base + "/#/projects");
            wait.until(b -> b.findElement(tollRow).getText().contains("1.15x"));
            assertThat(pageOverflowsSideways()).as("the projects at 390 px").isFalse();
            screenshot("desk-projects-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }
    }

    @Test
    void anOfficerSeesTheReviewsDueAndRecordsAVisitOnADesktopAndOnAPhone() throws IOException {
        String base = server.getURL().toString();
        signedIn(base, "sue");
        // The engine has Jiangnan Precision's review due on 2026-03-10 (its latest snapshot), long past.
        browser.findElement(By.id("reviews-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reviews-scope"))).click();
        // The scope's click renders the list again: the row is found afresh each time, not held across a render.
        By task = By.cssSelector("#review-tasks tr[data-borrower-id='B-1001']");
        String row = wait.until(b -> b.findElement(task).getText());
        assertThat(row).as("the engine's count of days overdue, as of its latest snapshot")
                .contains("Jiangnan Precision Machinery Co., Ltd.", "AMBER", "2026-03-10", "2025-12-10", "76 days");
        String rowClass = wait.until(b -> b.findElement(task).getAttribute("class"));
        assertThat(rowClass).contains("overdue");
        screenshot("desk-reviews");

        wait.until(b -> {
            b.findElement(task).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("review-due"), "Next review due 2026-03-10"));
        assertThat(browser.findElement(By.id("review-due")).getText()).contains("overdue", "last review 2025-12-10");
        new Select(browser.findElement(By.name("review-kind"))).selectByValue("SITE_VISIT");
        browser.findElement(By.name("review-findings")).sendKeys("Orders down a fifth; receivables from two traders past 120 days.");
        WebElement rating = browser.findElement(By.name("review-rating"));
        assertThat(rating.getAttribute("value")).as("the rating in force, to confirm or change").isEqualTo("BBB+");
        rating.clear();
        rating.sendKeys("BB+");
        // A visit without notes is refused, and says which field.
        browser.findElement(By.cssSelector("button[data-action=record-review]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner"), "visitNotes must say what was seen on a SITE_VISIT"));
        browser.findElement(By.name("review-visit-notes")).sendKeys("One shift of two running; stock fills half the yard.");
        browser.findElement(By.name("review-feedback")).sendKeys("The CFO expects export orders back in Q3.");
        browser.findElement(By.cssSelector("button[data-action=record-review]")).click();
        WebElement recorded = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#reviews li[data-review-id]")));
        assertThat(recorded.getText()).contains("Site visit on", "by sue", "rating BB+ (change proposed from BBB+)",
                "Visit: One shift of two running", "Customer: The CFO expects");
        assertThat(browser.findElement(By.id("review-pending")).getText())
                .as("the due date is the engine's: until it reads the review, the desk says so").contains("The engine has not read the review of");
        screenshot("desk-review");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.navigate().refresh();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#reviews li[data-review-id]")));
            assertThat(pageOverflowsSideways()).as("the borrower's reviews at 390 px").isFalse();
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('reviews').scrollIntoView()");
            screenshot("desk-review-phone");
            browser.get(base + "/#/reviews?mine=false");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#review-tasks tr[data-borrower-id='B-1001']")));
            assertThat(pageOverflowsSideways()).as("the reviews due at 390 px").isFalse();
            screenshot("desk-reviews-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }
    }

    @Test
    void anOfficerWorksACollectionCaseFromTheWorklistOnADesktopAndOnAPhone() throws IOException {
        String base = server.getURL().toString();
        signedIn(base, "sue");
        String since = java.time.LocalDate.ofInstant(Samples.T0, java.time.ZoneOffset.UTC).plusDays(41).toString();
        browser.findElement(By.id("collections-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("collections-scope"))).click();
        WebElement open = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#collection-cases tr[data-case-id='CC-B-1001-" + since + "']")));
        assertThat(open.getText()).as("the engine's arrears, the next step and the late ones")
                .contains("Jiangnan Precision Machinery Co., Ltd.", since, "44", "Reminder by " + since, "5");
        assertThat(browser.findElement(By.cssSelector("#collection-cases tr[data-case-id^='CC-B-1002-']")).getText())
                .as("non-performing under CN on arrears under the floor: a case all the same").contains("B-1002", "95");
        screenshot("desk-collections");

        open.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("collection-case"), "CC-B-1001-" + since));
        assertThat(browser.findElement(By.id("collection-case")).getText())
                .contains("material arrears since " + since, "44 days past due, CNY 250,000.00 overdue");
        new Select(browser.findElement(By.name("step-position"))).selectByValue("2");
        new Select(browser.findElement(By.name("step-outcome"))).selectByValue("PROMISE_TO_PAY");
        browser.findElement(By.name("step-notes")).sendKeys("The CFO promised the arrears from a receivable due next week.");
        // A promise without its amount is refused, and says which field.
        browser.findElement(By.cssSelector("button[data-action=record-step]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner"), "promisedAmountMinor: the amount promised"));
        browser.findElement(By.name("step-promised-amount")).sendKeys("120000");
        String promised = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(7).toString();
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]",
                browser.findElement(By.name("step-promised-date")), promised);
        browser.findElement(By.cssSelector("button[data-action=record-step]")).click();
        // The page redraws the card once the API answers: read the row it drew then.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#collections tr[data-step='2']"), "PROMISE_TO_PAY"));
        assertThat(browser.findElement(By.cssSelector("#collections tr[data-step='2']")).getText()).contains("DONE", "PROMISE_TO_PAY CNY 120,000.00 by " + promised, "sue", "The CFO promised");
        assertThat(browser.findElement(By.cssSelector("#collections tr[data-step='1']")).getText()).contains("PENDING · late");
        screenshot("desk-collection-case");
        // The evidence behind the alerts, on the same page: the engine's facilities, then the records as they came.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("valuation-list")));
        assertThat(browser.findElement(By.id("facility-list")).getText()).as("the engine's utilisation and loan-to-value of the facility")
                .contains("F-1001-A", "CNY 50,000,000.00", "64.00%", "CNY 21,000,000.00", "152.38%");
        assertThat(browser.findElement(By.id("statement-list")).getText()).contains("QUARTER to 2025-12-31", "CNY -9,000,000.00");
        assertThat(browser.findElement(By.id("credit-event-list")).getText()).contains("Credit Reference Center", "BBB+ → BB");
        assertThat(browser.findElement(By.id("repayment-list")).getText()).contains("2026-03-01", "MISSED", "CNY 120,000.00");
        assertThat(browser.findElements(By.cssSelector("#instalment-list tbody tr"))).extracting(org.openqa.selenium.WebElement::getText)
                .containsExactly("2026-03-01 F-1001-A 07 CNY 120,000.00 CNY 0.00 past due since 2026-03-02 still unpaid",
                        "2026-02-01 F-1001-A 06 CNY 120,000.00 CNY 120,000.00 settled 2026-02-04 3");
        assertThat(browser.findElement(By.id("valuation-list")).getText()).contains("COL-1001-1", "30.00%", "Shanghai Appraisal Ltd.", "152.38%");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('facilities').scrollIntoView()");
        screenshot("desk-evidence");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.navigate().refresh();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#collections tr[data-step='2']")));
            assertThat(pageOverflowsSideways()).as("the borrower's collection case and evidence at 390 px").isFalse();
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('collections').scrollIntoView()");
            screenshot("desk-collection-case-phone");
            browser.get(base + "/#/collections?mine=false");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#collection-cases tr[data-case-id]")));
            assertThat(pageOverflowsSideways()).as("the collection worklist at 390 px").isFalse();
            screenshot("desk-collections-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }
    }

    @Test
    void aSupervisorWeighsTheDisposalOptionsOfANonPerformingClaimAndProposesOneOnADesktopAndOnAPhone() throws IOException {
        String base = server.getURL().toString();
        signedIn(base, "sue");
        // B-1002 is substandard under CN, 95 days past due: its case offers disposal.
        browser.get(base + "/#/borrowers/B-1002");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#disposal details[data-option=WRITE_OFF]")));
        assertThat(browser.findElement(By.id("disposal-figures")).getText())
                .contains("Exposure CNY 32,000,000.00", "SUBSTANDARD", "collateral lending value CNY 21,000,000.00", "uncovered CNY 11,000,000.00");
        browser.findElement(By.cssSelector("#disposal details[data-option=WRITE_OFF] summary")).click();
        assertThat(browser.findElement(By.cssSelector("#disposal details[data-option=WRITE_OFF]")).getText())
                .contains("Loss if written off today, before further recovery: CNY 11,000,000.00.", "账销案存");
        new Select(browser.findElement(By.name("disposal-option"))).selectByValue("LITIGATION");
        browser.findElement(By.name("disposal-expected")).sendKeys("18000000");
        // Without a rationale the proposal is refused, and says which field.
        browser.findElement(By.cssSelector("button[data-action=propose-disposal]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner"), "missing rationale"));
        browser.findElement(By.name("disposal-rationale")).sendKeys("Enforce the mortgage; sue the guarantor for the rest.");
        browser.findElement(By.cssSelector("button[data-action=propose-disposal]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("disposal-decisions"), "PROPOSED"));
        assertThat(browser.findElement(By.id("disposal-decisions")).getText())
                .contains("Sue and enforce", "CNY 18,000,000.00", "Enforce the mortgage", "sue");
        assertThat(browser.findElements(By.cssSelector("button[data-action=approve-disposal]")))
                .as("four eyes: the proposer sees no approve button").isEmpty();
        browser.findElement(By.cssSelector("button[data-action=download-report]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner"), "Report downloaded."));
        browser.findElement(By.cssSelector("#disposal details[data-option=LITIGATION] summary")).click();
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('disposal').scrollIntoView()");
        screenshot("desk-disposal");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.navigate().refresh();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("disposal-decisions")));
            assertThat(pageOverflowsSideways()).as("the disposal at 390 px").isFalse();
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('disposal').scrollIntoView()");
            screenshot("desk-disposal-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }

        // sam, another supervisor, finds it in his approvals worklist, reads the case, and rejects it with his reason.
        String caseId = desk.get("sue", "/api/borrowers/B-1002/collections", Argument.of(JsonNode.class)).values().iterator().next()
                .get("caseId").getStringValue();
        signedInAnew(base, "sam");
        try {
            browser.findElement(By.id("approvals-link")).click();
            WebElement waiting = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#approvals tr[data-kind=DISPOSAL]")));
            assertThat(waiting.getText()).contains("NPL disposal: Sue and enforce, recovery expected CNY 18,000,000.00", caseId, "sue",
                    "Enforce the mortgage", "Yours to decide");
            screenshot("desk-approvals");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            try {
                browser.navigate().refresh();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#approvals tr[data-kind=DISPOSAL]")));
                assertThat(pageOverflowsSideways()).as("the approvals worklist at 390 px").isFalse();
                screenshot("desk-approvals-phone");
            } finally {
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
            }
            browser.findElement(By.cssSelector("#approvals tr[data-kind=DISPOSAL]")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[data-action=reject-disposal]")));
            browser.findElement(By.cssSelector("button[data-action=reject-disposal]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner"), "note: why the proposal is rejected"));
            browser.findElement(By.name("decision-note")).sendKeys("Sell the claim first: an AMC has bid CNY 20m for it.");
            browser.findElement(By.cssSelector("button[data-action=reject-disposal]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("disposal-decisions"), "REJECTED"));
            assertThat(browser.findElement(By.id("disposal-decisions")).getText())
                    .contains("Sue and enforce", "REJECTED", "sam", "Sell the claim first: an AMC has bid CNY 20m for it.");

            // sue proposes the sale (through the API, as the page did above); sam approves it on the page.
            assertThat(desk.call("sue", HttpRequest.POST("/api/collections/" + caseId + "/disposal/decisions", Map.of("option", "TRANSFER",
                    "expectedRecoveryMinor", 2_000_000_000L, "rationale", "The AMC bids CNY 20m: near the collateral's lending value, without a year in court.")),
                    Argument.of(String.class)).code()).isEqualTo(201);
            browser.navigate().refresh();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[data-action=approve-disposal]")));
            browser.findElement(By.name("decision-note")).sendKeys("Agreed at the credit committee.");
            browser.findElement(By.cssSelector("button[data-action=approve-disposal]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("disposal-decisions"), "APPROVED"));
            assertThat(browser.findElements(By.cssSelector("#disposal-decisions tbody tr"))).extracting(WebElement::getText)
                    .anySatisfy(row -> assertThat(row).contains("Transfer or sell", "CNY 20,000,000.00", "APPROVED", "sam",
                            "Agreed at the credit committee."));
            assertThat(browser.findElements(By.cssSelector("button[data-action=approve-disposal]"))).as("decided once").isEmpty();

            // The sale closes; the page records what it recovered.
            browser.findElement(By.name("progress-note")).sendKeys("Claim assigned to the AMC; price received.");
            browser.findElement(By.name("progress-recovered")).sendKeys("20000000");
            browser.findElement(By.cssSelector("button[data-action=record-progress]")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("disposal-progress")));
            assertThat(browser.findElement(By.id("disposal-progress")).getText())
                    .contains("Claim assigned to the AMC; price received.", "recovered CNY 20,000,000.00", "sam");
            assertThat(browser.findElement(By.id("disposal-figures")).getText()).contains("recovered CNY 20,000,000.00");
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('disposal').scrollIntoView()");
            screenshot("desk-disposal-decided");

            browser.findElement(By.id("approvals-link")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main h1")));
            assertThat(browser.findElements(By.cssSelector("#approvals tr[data-decision-id][data-kind=DISPOSAL]")))
                    .as("decided: no longer waiting").isEmpty();
            assertThat(desk.get("aud", "/api/audit?targetType=collection-case&targetId=" + caseId, Argument.of(JsonNode.class))
                    .get("items").values()).extracting(e -> e.get("action").getStringValue() + " by " + e.get("actor").getStringValue())
                    .as("each step in the browser audited, the latest first")
                    .startsWith("DISPOSAL_PROGRESS by sam", "DISPOSAL_APPROVE by sam", "DISPOSAL_PROPOSE by sue", "DISPOSAL_REJECT by sam");
        } finally {
            // The other tests sign in as sue when the page has no session.
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
            browser.navigate().refresh();
        }
    }

    /** Signs out whoever the page has, and signs in as the user. */
    private void signedInAnew(String base, String user) {
        browser.get(base + "/#/");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        signedIn(base, user);
    }

    /** Whether the page itself scrolls sideways: at phone width only a table inside its card may. */
    private boolean pageOverflowsSideways() {
        Object overflow = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
        return Boolean.TRUE.equals(overflow);
    }

    @Test
    void aSupervisorSetsUpRoutingAndGrantsOnADesktopAndOnAPhone() throws IOException {
        String base = server.getURL().toString();
        signedIn(base, "sue");
        browser.findElement(By.id("setup")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("routing-rules")));
        assertThat(browser.findElement(By.id("routing-rules")).getText()).contains("No rules: every new alert waits unassigned.");

        // Anything critical goes to sue.
        browser.findElement(By.name("rule-id")).sendKeys("CRITICAL-TO-SUE");
        browser.findElement(By.name("rule-position")).sendKeys("10");
        browser.findElement(By.name("rule-description")).sendKeys("Critical alerts go to the supervisor");
        new Select(browser.findElement(By.name("rule-severity"))).selectByValue("CRITICAL");
        browser.findElement(By.name("rule-assign-to")).sendKeys("sue");
        browser.findElement(By.cssSelector("button[data-action=save-rule]")).click();
        WebElement rule = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-rule-id='CRITICAL-TO-SUE']")));
        assertThat(rule.getText()).contains("CRITICAL or higher", "sue");
        // A rule the API refuses says why, and is not listed.
        browser.findElement(By.name("rule-id")).sendKeys("TO-AUDITOR");
        browser.findElement(By.name("rule-position")).sendKeys("20");
        browser.findElement(By.name("rule-description")).sendKeys("Wrong");
        browser.findElement(By.name("rule-assign-to")).sendKeys("aud");
        browser.findElement(By.cssSelector("button[data-action=save-rule]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner"), "'aud' is not an enabled analyst or supervisor"));
        assertThat(browser.findElements(By.cssSelector("tr[data-rule-id='TO-AUDITOR']"))).isEmpty();

        // ana covers for sue's borrowers.
        browser.findElement(By.name("grant-grantee")).sendKeys("ana");
        new Select(browser.findElement(By.name("grant-scope"))).selectByValue("OFFICER");
        browser.findElement(By.name("grant-value")).sendKeys("sue");
        browser.findElement(By.name("grant-reason")).sendKeys("sue at the credit committee all week");
        browser.findElement(By.cssSelector("button[data-action=grant]")).click();
        WebElement grant = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#portfolio-grants tr[data-grant-id]")));
        assertThat(grant.getText()).contains("ana", "OFFICER sue", "sue at the credit committee all week");
        assertThat(browser.findElement(By.id("notifications")).getText()).contains("Notifications");
        screenshot("desk-setup");
        assertThat(desk.get("aud", "/api/routing-rules", Argument.listOf(JsonNode.class)))
                .extracting(r -> r.get("ruleId").getStringValue()).containsExactly("CRITICAL-TO-SUE");

        // The book: exposure by industry, and how classifications moved.
        browser.findElement(By.id("portfolio-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#exposure tr[data-key]")));
        assertThat(browser.findElement(By.id("exposure")).getText()).contains("CNY");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("migration-summary")));
        assertThat(browser.findElement(By.id("migration-summary")).getText()).contains("borrowers:", "downgraded");
        screenshot("desk-portfolio");
        browser.findElement(By.id("setup")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#portfolio-grants tr[data-grant-id]")));

        // The same on a phone: nothing but a table scrolls sideways.
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.navigate().refresh();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#portfolio-grants tr[data-grant-id]")));
            assertThat(pageOverflowsSideways()).as("the set-up page at 390 px").isFalse();
            assertThat(browser.findElement(By.cssSelector("button[data-action=grant]")).getSize().getWidth())
                    .as("the form's buttons take the phone's width").isGreaterThan(300);
            screenshot("desk-setup-phone");
            browser.findElement(By.cssSelector("#portfolio-grants button[data-action=revoke-grant]")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("portfolio-grants"), "No active grants."));

            browser.findElement(By.cssSelector("a.brand")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-tile=CRITICAL]")));
            assertThat(pageOverflowsSideways()).as("the overview at 390 px").isFalse();
            screenshot("desk-overview-phone");

            // Finding a customer by name, on the phone.
            browser.findElement(By.id("borrowers-link")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#borrower-list tr[data-borrower-id]")));
            browser.findElement(By.name("borrowers-q")).sendKeys("precision" + org.openqa.selenium.Keys.ENTER);
            wait.until(b -> b.findElements(By.cssSelector("#borrower-list tr[data-borrower-id]")).size() == 1);
            assertThat(browser.findElement(By.id("borrower-list")).getText()).contains("Jiangnan Precision Machinery Co., Ltd.", "B-1001");
            assertThat(pageOverflowsSideways()).as("the borrower list at 390 px").isFalse();
            screenshot("desk-borrowers-phone");
            browser.findElement(By.cssSelector("#borrower-list tr[data-borrower-id='B-1001']")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("owner")));
            // A tag, added on the phone.
            browser.findElement(By.name("tag")).sendKeys("重点关注");
            browser.findElement(By.cssSelector("button[data-action=add-tag]")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tags .tag[data-tag='重点关注']")));
            assertThat(pageOverflowsSideways()).as("the borrower page at 390 px").isFalse();
            screenshot("desk-borrower-phone");

            // The book on the phone: exposure and the migration matrix scroll inside their cards.
            browser.findElement(By.id("portfolio-link")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#exposure tr[data-key]")));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("migration-summary")));
            assertThat(pageOverflowsSideways()).as("the portfolio at 390 px").isFalse();
            screenshot("desk-portfolio-phone");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }
    }
}
