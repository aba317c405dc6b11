package dev.kestrel.jobs.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.ForecastPeriod;
import dev.kestrel.events.MilestoneKind;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.jobs.Events;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Project finance as the project lender reads it, through the borrower stage with the shipped rules: the expectations
 * were written from the facility agreement's side before the engine was run. A toll road's cover ratio falls to its
 * lock-up level, then to default, and cures a year later; a plant under construction slips and catches up; its
 * commercial operation moves past the first debt service; and records that name another project are refused. Alerts
 * the lender must not see (a slippage alert on a project in operation, a capex alert on one within budget) are
 * checked absent.
 */
class ProjectFinanceTest {
    private static final String B = "B-1";
    private BorrowerStage stage;

    @BeforeEach
    void open() throws Exception {
        stage = new BorrowerStage();
    }

    @AfterEach
    void close() throws Exception {
        stage.close();
    }

    /** The project-finance stage.alerts, as "rule lifecycle severity on day", in order. */
    private List<String> projectAlerts() {
        return stage.alerts.stream().filter(a -> a.getRuleId().startsWith("PF-"))
                .map(a -> a.getRuleId() + " " + a.getLifecycle() + " " + a.getSeverity() + " " + LocalDate.ofInstant(a.getEventTime(),
                        java.time.ZoneOffset.UTC)).toList();
    }

    private Alert last(String ruleId) {
        return stage.alerts.stream().filter(a -> a.getRuleId().equals(ruleId)).reduce((a, b) -> b).orElseThrow();
    }

    /** 2025 to 2030 by quarter: CNY 20m of tolls, CNY 6m of costs, CNY 1m of capex, CNY 10m of debt service. */
    private static ForecastPeriod[] tollRoadQuarters() {
        List<ForecastPeriod> quarters = new ArrayList<>();
        for (int q = 0; q < 24; q++) {
            quarters.add(Events.period(LocalDate.parse("2025-01-01").plusMonths(3L * q), 3, 20_000_000, 6_000_000, 1_000_000, 10_000_000));
        }
        return quarters.toArray(ForecastPeriod[]::new);
    }

    @Test
    void aTollRoadsCoverFallsToLockUpThenToDefaultAndCuresWithTheNextYearsAccounts() throws Exception {
        // In operation since mid-2024, CNY 100m drawn; covenants since 2025: DSCR lock-up 1.20x, default 1.05x; LLCR 1.30x, 1.10x.
        stage.send(Events.profile(B, null, 0, 100_000_000, 100_000_000), Events.project(B, 0, -550, -365),
                Events.forecast(B, "FM-2025", 0, 500, tollRoadQuarters()), Events.covenants(B, 0, -365, 12_000, 10_500, 13_000, 11_000));
        stage.timePasses(44);
        assertThat(projectAlerts()).as("no year of accounts yet, and the loan life cover is ample").isEmpty();

        // The 2025 accounts: CNY 48m of operating cash flow less CNY 2m of capex against CNY 40m due: 1.15x.
        stage.send(Events.yearStatement(B, 45, LocalDate.parse("2025-12-31"), 48_000_000, 2_000_000));
        assertThat(projectAlerts()).containsExactly("PF-COVENANT-BREACH OPENED HIGH 2026-02-15");
        assertThat(last("PF-COVENANT-BREACH").getExplanation().getSummary())
                .contains("Historic DSCR 1.15x is below F-B-1's lock-up level of 1.20x",
                        "cash flow available for debt service CNY 46,000,000.00 (operating cash flow less capex, statements for "
                                + "2025-01-01 to 2025-12-31) over debt service CNY 40,000,000.00 (base case FM-2025)");

        // The auditors restate the year: CNY 42m less CNY 2m, exactly the debt service: 1.00x, below the default level.
        stage.send(Events.yearStatement(B, 60, LocalDate.parse("2025-12-31"), 42_000_000, 2_000_000));
        assertThat(projectAlerts()).containsExactly("PF-COVENANT-BREACH OPENED HIGH 2026-02-15", "PF-COVENANT-BREACH ESCALATED CRITICAL 2026-03-02");
        assertThat(last("PF-COVENANT-BREACH").getExplanation().getSummary()).contains("Historic DSCR 1.00x is below F-B-1's default level of 1.05x");

        // A first-quarter statement comes (without capex): the year's test stands until the next year completes.
        stage.send(Events.statement(B, 120, LocalDate.parse("2026-03-31"), 500_000_000, 350_000_000, 20_000_000, 10_000_000,
                15_000_000, 1_000_000, 12_000_000));
        assertThat(projectAlerts()).as("no cure from a quarter").hasSize(2);

        stage.restart(); // the job restarts from a checkpoint: the project is kept

        // The 2026 accounts: CNY 57m less CNY 2m over CNY 40m: 1.375x. The loan life cover stays above 1.30x.
        stage.send(Events.yearStatement(B, 410, LocalDate.parse("2026-12-31"), 57_000_000, 2_000_000));
        assertThat(projectAlerts()).as("cured by the next test date").containsExactly("PF-COVENANT-BREACH OPENED HIGH 2026-02-15",
                "PF-COVENANT-BREACH ESCALATED CRITICAL 2026-03-02", "PF-COVENANT-BREACH CLOSED CRITICAL 2027-02-15");
        stage.timePasses(420);
        assertThat(stage.alerts).as("nothing a project in operation within budget must raise")
                .noneMatch(a -> a.getRuleId().equals("PF-MILESTONE-SLIPPAGE") || a.getRuleId().equals("PF-COD-AT-RISK")
                        || a.getRuleId().equals("PF-CAPEX-OVERRUN"));
    }

    @Test
    void anOperatingPlantWithMaintenanceCapexAndItsFirstRepaymentSoonAfterCodRaisesNothing() throws Exception {
        // In operation since day -20, its first principal repayment 30 days after COD; the model keeps spending on
        // maintenance for years, far beyond the construction budget in all.
        stage.send(Events.profile(B, null, 0, 80_000_000, 80_000_000), Events.project(B, 0, -20, 10));
        List<ForecastPeriod> years = new ArrayList<>();
        for (int y = 0; y < 20; y++) {
            years.add(Events.period(LocalDate.parse("2026-01-01").plusYears(y), 12, 30_000_000, 8_000_000, 9_000_000, 10_000_000));
        }
        stage.send(Events.forecast(B, "FM-OPS", 1, 500, years.toArray(ForecastPeriod[]::new)));
        stage.timePasses(60);
        assertThat(projectAlerts()).as("built and earning: neither capex nor commercial operation is at risk").isEmpty();
    }

    @Test
    void aMilestoneSlipsDayByDayOnceItsDateHasPassedAndTheAlertClosesWhenItIsReached() throws Exception {
        // Commercial operation scheduled for 2026-12-31, the first debt service due 2027-06-30.
        stage.send(Events.profile(B, null, 0, 80_000_000, 40_000_000), Events.project(B, 0, 364, 545));
        // Day 20: the turbine hall, planned for day 59 (2026-03-01), is expected on day 120: 61 days late, within tolerance.
        stage.send(Events.milestone(B, "TURBINE-HALL", MilestoneKind.CONSTRUCTION, 59, 120, Days.NONE, 6_000, 20));
        stage.timePasses(149);
        assertThat(projectAlerts()).as("90 days late on day 149: not yet more than 90").isEmpty();
        // No report comes; on day 150 the hall is 91 days late, with no event.
        stage.timePasses(150);
        assertThat(projectAlerts()).containsExactly("PF-MILESTONE-SLIPPAGE OPENED MEDIUM 2026-05-31");
        assertThat(last("PF-MILESTONE-SLIPPAGE").getExplanation().getSummary())
                .contains("Milestone TURBINE-HALL (turbine hall) planned for 2026-03-01, expected by 2026-05-01 and not reached by "
                        + "2026-05-31: 91 days late, 60% complete");
        // Day 160: roofed on day 155.
        stage.send(Events.milestone(B, "TURBINE-HALL", MilestoneKind.CONSTRUCTION, 59, Days.NONE, 155, 10_000, 160));
        assertThat(projectAlerts()).containsExactly("PF-MILESTONE-SLIPPAGE OPENED MEDIUM 2026-05-31", "PF-MILESTONE-SLIPPAGE CLOSED MEDIUM 2026-06-10");
        assertThat(stage.alerts).as("operation still expected half a year before the first debt service")
                .noneMatch(a -> a.getRuleId().equals("PF-COD-AT-RISK"));
    }

    @Test
    void commercialOperationExpectedAfterTheFirstDebtServiceIsCritical() throws Exception {
        stage.send(Events.profile(B, null, 0, 80_000_000, 40_000_000), Events.project(B, 0, 364, 545));
        // Day 30: operation moves from 2026-12-31 to 2027-07-15, a fortnight after the first debt service.
        stage.send(Events.milestone(B, "COD", MilestoneKind.COMMERCIAL_OPERATION, 364, 560, Days.NONE, 0, 30));
        assertThat(projectAlerts()).containsExactlyInAnyOrder("PF-COD-AT-RISK OPENED CRITICAL 2026-01-31",
                "PF-MILESTONE-SLIPPAGE OPENED HIGH 2026-01-31");
        assertThat(last("PF-COD-AT-RISK").getExplanation().getSummary()).contains("Commercial operation planned for 2026-12-31, now "
                + "expected 2027-07-15 (196 days after the 2026-12-31 the financing was planned on); first repayment of principal due 2027-06-30, "
                + "-15 days after it");
        // The plant is commissioned early in the end: 2027-05-20, reached, so nothing is left to wait for.
        stage.send(Events.milestone(B, "COD", MilestoneKind.COMMERCIAL_OPERATION, 364, Days.NONE, 504, 10_000, 505));
        assertThat(projectAlerts()).contains("PF-COD-AT-RISK CLOSED CRITICAL 2027-05-21");
    }

    @Test
    void aReportThatComesBeforeItsProjectCountsIfItNamesIt() throws Exception {
        // The progress reports and the register are read from different topics: a report may come first.
        stage.send(Events.profile(B, null, 0, 80_000_000, 40_000_000),
                Events.milestone(B, "TURBINE-HALL", MilestoneKind.CONSTRUCTION, 59, 200, Days.NONE, 4_000, 5),
                ProjectMilestone.newBuilder(Events.milestone(B, "DAM", MilestoneKind.CONSTRUCTION, 30, 400, Days.NONE, 1_000, 5))
                        .setProjectId("PRJ-OTHER").build());
        assertThat(stage.deadLetters).as("no project yet to judge them by").isEmpty();
        stage.send(Events.project(B, 6, 364, 545));
        assertThat(projectAlerts()).as("the turbine hall's 141 days count; the other project's dam (370 days) does not")
                .containsExactly("PF-MILESTONE-SLIPPAGE OPENED MEDIUM 2026-01-07");
        assertThat(last("PF-MILESTONE-SLIPPAGE").getExplanation().getSummary()).contains("Milestone TURBINE-HALL").doesNotContain("DAM");
    }

    @Test
    void aRecordNamingAnotherProjectIsRefusedAndChangesNothing() throws Exception {
        stage.send(Events.profile(B, null, 0, 80_000_000, 40_000_000), Events.project(B, 0, 364, 545));
        ProjectMilestone stray = ProjectMilestone.newBuilder(Events.milestone(B, "TURBINE-HALL", MilestoneKind.CONSTRUCTION, 59, 400,
                Days.NONE, 1_000, 10)).setProjectId("PRJ-OTHER").build();
        stage.send(stray);
        stage.send(dev.kestrel.events.Project.newBuilder(Events.project(B, 12, 364, 545)).setProjectId("PRJ-SECOND").build());
        stage.send(dev.kestrel.events.CashFlowForecast.newBuilder(Events.forecast(B, "FM-USD", 13, 500,
                Events.period(LocalDate.parse("2026-01-01"), 12, 0, 0, 1, 0))).setCurrency("USD").build());

        assertThat(stage.deadLetters).extracting(DeadLetter::getReasonCode, DeadLetter::getReason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DeadLetterReason.INVALID, "projectId: borrower B-1 is the project company of PRJ-B-1, not of PRJ-OTHER"),
                org.assertj.core.groups.Tuple.tuple(DeadLetterReason.INVALID,
                        "projectId: a project company has one project: borrower B-1 is the project company of PRJ-B-1, not of PRJ-SECOND"),
                org.assertj.core.groups.Tuple.tuple(DeadLetterReason.INVALID, "currency: the model is in USD, project PRJ-B-1 in CNY"));
        stage.timePasses(30);
        assertThat(projectAlerts()).as("the stray report's 341 days of slippage count for nothing").isEmpty();
    }
}
