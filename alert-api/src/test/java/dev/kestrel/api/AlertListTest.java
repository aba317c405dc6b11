package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.alerts.AlertPage;
import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.Severity;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Filters, sorting and cursor pagination of the alert list, over a fixed set of 60 alerts. */
@MicronautTest
class AlertListTest extends DeskTest {
    private static final int ALERTS = 60;
    private static final Severity[] SEVERITIES = {Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL};

    @BeforeAll
    void sixtyAlertsOverThreeBorrowers() {
        List<BorrowerProfile> profiles = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            profiles.add(BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("LB-" + b)
                    .setName(List.of("Harbour Logistics", "Lotus Textiles", "Summit Steel").get(b))
                    .setGroupId(b < 2 ? "LG-1" : "LG-2").build());
        }
        DeskTestSupport.send(topics.profiles(), profiles);
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            Instant detected = Instant.parse("2026-05-01T00:00:00Z").plus(Duration.ofHours(i));
            alerts.add(Alert.newBuilder(Samples.alert()).setAlertId(String.format("list-%02d", i))
                    .setBorrowerId("LB-" + i % 3).setGroupId(i % 3 < 2 ? "LG-1" : "LG-2")
                    .setRuleId(i % 2 == 0 ? "REPAY-DPD-30" : "CF-INFLOW-DROP")
                    .setCategory(i % 2 == 0 ? AlertCategory.REPAYMENT : AlertCategory.CASH_FLOW)
                    .setSeverity(SEVERITIES[i % 4]).setDetectedAt(detected).build());
        }
        DeskTestSupport.send(topics.alerts(), alerts);
        eventually(Duration.ofSeconds(30), "all alerts and names arrive", () ->
                page("/api/alerts?limit=500").items().size() == ALERTS
                        && page("/api/alerts?limit=500").items().stream().allMatch(a -> a.borrowerName() != null));
    }

    private AlertPage page(String path) {
        return desk.get("ana", path, Argument.of(AlertPage.class));
    }

    private List<String> ids(String path) {
        return page(path).items().stream().map(AlertView::alertId).toList();
    }

    @Test
    void filtersCombine() {
        assertThat(page("/api/alerts?severity=CRITICAL&limit=500").items()).hasSize(15)
                .allSatisfy(a -> assertThat(a.severity()).isEqualTo("CRITICAL"));
        assertThat(page("/api/alerts?severity=high,critical&category=REPAYMENT&limit=500").items()).hasSize(15)
                .allSatisfy(a -> assertThat(a.ruleId()).isEqualTo("REPAY-DPD-30"));
        assertThat(page("/api/alerts?rule=CF-INFLOW-DROP&borrower=LB-1&limit=500").items()).hasSize(10);
        assertThat(page("/api/alerts?group=LG-2&limit=500").items()).hasSize(20)
                .allSatisfy(a -> assertThat(a.borrowerName()).isEqualTo("Summit Steel"));
        assertThat(page("/api/alerts?q=lotus&limit=500").items()).hasSize(20);
        assertThat(page("/api/alerts?status=NEW&limit=500").items())
                .hasSameSizeAs(page("/api/alerts?limit=500").items()).hasSizeGreaterThanOrEqualTo(ALERTS);
        assertThat(page("/api/alerts?status=RESOLVED")).satisfies(p -> assertThat(p.items()).isEmpty());
        assertThat(page("/api/alerts?assignee=nobody").items()).isEmpty();
        assertThat(page("/api/alerts?slaBreached=true").items()).isEmpty();
        // Detection time range: hours 10 to 19.
        assertThat(ids("/api/alerts?from=2026-05-01T10:00:00Z&to=2026-05-01T20:00:00Z&limit=500&sort=receivedAt"))
                .hasSize(10).allSatisfy(id -> assertThat(Integer.parseInt(id.substring(5))).isBetween(10, 19));
    }

    @Test
    void cursorPagesCoverEveryAlertOnceEvenWhenAlertsArriveBetweenPages() {
        List<String> seen = new ArrayList<>();
        AlertPage first = page("/api/alerts?limit=25");
        first.items().forEach(a -> seen.add(a.alertId()));
        // New alerts arrive while the analyst reads page one; they sort before the cursor, so pages stay stable.
        DeskTestSupport.send(topics.alerts(), List.of(Alert.newBuilder(Samples.alert()).setAlertId("zz-late-1").build(),
                Alert.newBuilder(Samples.alert()).setAlertId("zz-late-2").build()));
        eventually(Duration.ofSeconds(20), "the late alerts arrive", () ->
                page("/api/alerts?limit=500").items().size() == ALERTS + 2);
        String cursor = first.nextCursor();
        while (cursor != null) {
            AlertPage next = page("/api/alerts?limit=25&cursor=" + cursor);
            next.items().forEach(a -> seen.add(a.alertId()));
            cursor = next.nextCursor();
        }
        Set<String> unique = new HashSet<>(seen);
        assertThat(unique).hasSize(seen.size());
        assertThat(seen).hasSize(ALERTS).noneMatch(id -> id.startsWith("zz-late"));
    }

    @Test
    void sortsBySeverityWithPagesInOrder() {
        List<AlertView> all = new ArrayList<>();
        String cursor = null;
        do {
            AlertPage next = page("/api/alerts?sort=-severity&severity=LOW,MEDIUM,HIGH,CRITICAL&limit=7"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            all.addAll(next.items());
            cursor = next.nextCursor();
        } while (cursor != null);
        assertThat(all).hasSizeGreaterThanOrEqualTo(ALERTS);
        List<Integer> ranks = all.stream().map(a -> Severity.valueOf(a.severity()).ordinal()).toList();
        assertThat(ranks).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
    }

    @Test
    void badParametersGet400WithAMessage() {
        Map<String, String> cases = Map.of(
                "/api/alerts?severity=SEVERE", "severity 'SEVERE' is not one of",
                "/api/alerts?status=OPEN", "status 'OPEN' is not one of",
                "/api/alerts?sort=title", "sort must be one of",
                "/api/alerts?limit=0", "limit",
                "/api/alerts?limit=501", "limit",
                "/api/alerts?cursor=garbage", "cursor is not one this API issued",
                "/api/alerts?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z", "from must be before to",
                "/api/alerts?from=yesterday", "from");
        cases.forEach((path, message) -> {
            HttpResponse<String> response = desk.call("ana", HttpRequest.GET(path), Argument.of(String.class));
            assertThat(response.code()).as(path).isEqualTo(400);
            assertThat(response.getBody(ApiError.class).orElseThrow().message()).as(path).contains(message);
        });
        String cursor = page("/api/alerts?limit=5").nextCursor();
        HttpResponse<String> otherSort = desk.call("ana", HttpRequest.GET("/api/alerts?sort=severity&cursor=" + cursor),
                Argument.of(String.class));
        assertThat(otherSort.getBody(ApiError.class).orElseThrow().message()).contains("belongs to sort '-receivedAt'");
    }
}
