package dev.kestrel.jobs.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.EventValidator;
import dev.kestrel.events.Alert;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.Channel;
import dev.kestrel.events.Direction;
import dev.kestrel.events.EventReference;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.ForecastPeriod;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectStage;
import dev.kestrel.events.ReserveRequirement;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.jobs.Events;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The project accounts as the project lender watches them: the revenue collected into the project revenue account
 * against the base case, and the debt-service reserve against the debt service it must hold. The scenarios and their
 * expected alerts (dates, severities, and the alerts that must not appear) were written by a credit officer from the
 * rules and the contract, before the engine ran them; amounts are in fen as the contract carries them.
 */
class ProjectAccountsTest {
    private BorrowerStage stage;

    @BeforeEach
    void open() throws Exception {
        stage = new BorrowerStage();
    }

    @AfterEach
    void close() throws Exception {
        stage.close();
    }

    // ---- The records, as the bank's systems send them.

    private static int day(String date) {
        return (int) ChronoUnit.DAYS.between(Events.DAY_ZERO, LocalDate.parse(date));
    }

    private static Instant time(String instant) {
        return Instant.parse(instant);
    }

    /** The project company's profile, the month before its project: one facility, F-{@code b}. */
    private void profiled(String b) throws Exception {
        stage.send(Events.profile(b, null, day("2026-11-30"), 300_000_000, 200_000_000));
    }

    private static Project project(String b, String revenueAccount, String at, ProjectStage stage, String cod) {
        return Project.newBuilder(Events.project(b, day("2026-12-01"), day(cod), -1)).setRevenueAccountId(revenueAccount)
                .setStage(stage).setFirstDebtServiceDate(null).setEventTime(time(at)).build();
    }

    private static Project operating(String b, String revenueAccount, String at) {
        return project(b, revenueAccount, at, ProjectStage.OPERATION, "2026-12-31");
    }

    /** A period of the model, its amounts in fen. */
    private static ForecastPeriod period(String start, String end, long revenue, long operatingCost, long capex, long debtService) {
        return ForecastPeriod.newBuilder().setPeriodStart(LocalDate.parse(start)).setPeriodEnd(LocalDate.parse(end))
                .setRevenueMinor(revenue).setOperatingCostMinor(operatingCost).setCapexMinor(capex).setDebtServiceMinor(debtService).build();
    }

    private static CashFlowForecast forecast(String b, String id, String modelDate, String at, ForecastPeriod... periods) {
        return CashFlowForecast.newBuilder(Events.forecast(b, id, day(modelDate), 500, periods)).setEventTime(time(at)).build();
    }

    /** The 2027 quarters, each CNY 10m of revenue, CNY 3m of costs and CNY 4m of debt service. */
    private static CashFlowForecast quarters2027(String b, String id) {
        return forecast(b, id, "2026-12-15", "2026-12-20T09:00:00Z",
                period("2027-01-01", "2027-03-31", 1_000_000_000, 300_000_000, 0, 400_000_000),
                period("2027-04-01", "2027-06-30", 1_000_000_000, 300_000_000, 0, 400_000_000),
                period("2027-07-01", "2027-09-30", 1_000_000_000, 300_000_000, 0, 400_000_000),
                period("2027-10-01", "2027-12-31", 1_000_000_000, 300_000_000, 0, 400_000_000));
    }

    /** The half-years H1 2027 to H1 2028, each CNY 3m of debt service. */
    private static CashFlowForecast halfYears(String b, String id, String at) {
        return forecast(b, id, "2026-12-15", at,
                period("2027-01-01", "2027-06-30", 1_000_000_000, 300_000_000, 0, 300_000_000),
                period("2027-07-01", "2027-12-31", 1_000_000_000, 300_000_000, 0, 300_000_000),
                period("2028-01-01", "2028-06-30", 1_000_000_000, 300_000_000, 0, 300_000_000));
    }

    /** The facility's only covenant: a reserve on {@code account} holding {@code months} of debt service. */
    private static FacilityCovenants reserve(String b, String account, int months, String effective, String at) {
        return FacilityCovenants.newBuilder(Events.covenants(b, 0, 0, 0, 0, 0, 0)).setHistoricDscr(null).setLlcr(null)
                .setEffectiveDate(LocalDate.parse(effective))
                .setDsra(ReserveRequirement.newBuilder().setAccountId(account).setMonths(months).build()).setEventTime(time(at)).build();
    }

    private static TransactionEvent tx(String b, String id, String account, Direction direction, TransactionKind kind, long amount,
            long balance, String at) {
        return TransactionEvent.newBuilder().setEventId(id).setBorrowerId(b).setAccountId(account).setFacilityId(null)
                .setDirection(direction).setKind(kind).setAmountMinor(amount).setCurrency("CNY").setChannel(Channel.CLEARING)
                .setCounterpartyId("CP-offtaker").setCounterpartyName(null).setPurpose(null).setBalanceAfterMinor(balance)
                .setEventTime(time(at)).build();
    }

    private static TransactionEvent receipt(String b, String id, String account, long amount, long balance, String at) {
        return tx(b, id, account, Direction.CREDIT, TransactionKind.TRANSFER, amount, balance, at);
    }

    private void timePasses(String date) throws Exception {
        stage.timePasses(day(date));
    }

    /** The project-finance alerts, as "rule lifecycle severity on day", in order. */
    private List<String> projectAlerts() {
        return stage.alerts.stream().filter(a -> a.getRuleId().startsWith("PF-"))
                .map(a -> a.getRuleId() + " " + a.getLifecycle() + " " + a.getSeverity() + " "
                        + LocalDate.ofInstant(a.getEventTime(), ZoneOffset.UTC)).toList();
    }

    private Alert last(String ruleId) {
        return stage.alerts.stream().filter(a -> a.getRuleId().equals(ruleId)).reduce((a, b) -> b).orElseThrow();
    }

    private long indicator(Alert alert, String name) {
        return alert.getExplanation().getInputs().stream().filter(i -> i.getIndicator().equals(name)).findFirst().orElseThrow().getValue();
    }

    // ---- Revenue against the base case.

    @Test
    void twoShortQuartersRaiseTheDayAfterTheSecondEndsAndAQuarterOnForecastClearsIt() throws Exception {
        String b = "B-PF-01";
        profiled(b);
        stage.send(operating(b, "ACC-01-REV", "2026-12-01T09:00:00Z"), quarters2027(b, "FM-01-2026-12"));
        stage.send(receipt(b, "TX-01-001", "ACC-01-REV", 880_000_000, 880_000_000, "2027-02-15T10:00:00Z"));
        timePasses("2027-04-01");
        assertThat(projectAlerts()).as("one period ended: nothing to compare in a row").isEmpty();

        stage.send(receipt(b, "TX-01-002", "ACC-01-REV", 600_000_000, 1_480_000_000, "2027-05-14T10:00:00Z"));
        stage.send(receipt(b, "TX-01-003", "ACC-01-REV", 250_000_000, 1_730_000_000, "2027-06-30T23:50:00Z"));
        assertThat(projectAlerts()).as("the second quarter is still running on its last evening").isEmpty();

        timePasses("2027-07-01"); // Q1 12% short, Q2 15% short (its last evening's receipt belongs to it)
        assertThat(projectAlerts()).containsExactly("PF-REVENUE-SHORTFALL OPENED MEDIUM 2027-07-01");
        Alert raised = last("PF-REVENUE-SHORTFALL");
        assertThat(indicator(raised, "revenueShortfall")).isEqualTo(1200);
        assertThat(raised.getExplanation().getSummary()).contains(
                "Project revenue account received CNY 8,800,000.00 from 2027-01-01 to 2027-03-31 against the base case's "
                        + "CNY 10,000,000.00 (12.00% short), then CNY 8,500,000.00 from 2027-04-01 to 2027-06-30 against the base "
                        + "case's CNY 10,000,000.00 (15.00% short)",
                "Base case FM-01-2026-12 of 2026-12-15");
        assertThat(raised.getExplanation().getTriggeringEvents()).extracting(EventReference::getEventId).contains("FM-01-2026-12");

        // The desk's forecast against actuals, period by period, from the snapshot: Q3 has just started.
        assertThat(stage.snapshots.get(stage.snapshots.size() - 1).getProjectPeriods())
                .extracting(p -> p.getPeriodStart() + " " + p.getForecastRevenueMinor() + " " + p.getReceiptsMinor() + (p.getRunning() ? " to date" : ""))
                .containsExactly("2027-01-01 1000000000 880000000", "2027-04-01 1000000000 850000000", "2027-07-01 1000000000 0 to date");
        assertThat(stage.snapshots.get(stage.snapshots.size() - 1).getProjectCurrency()).isEqualTo("CNY");
        assertThat(stage.snapshots.get(stage.snapshots.size() - 1).getProjectForecastId()).isEqualTo("FM-01-2026-12");

        stage.restart(); // the receipts by month are kept across a restart
        stage.send(receipt(b, "TX-01-004", "ACC-01-REV", 920_000_000, 2_650_000_000L, "2027-08-16T10:00:00Z"));
        timePasses("2027-10-01"); // Q2 15%, Q3 8%: no longer over 10%, still over the 5% it clears at
        assertThat(projectAlerts()).as("held open, not raised again").containsExactly("PF-REVENUE-SHORTFALL OPENED MEDIUM 2027-07-01");

        stage.send(receipt(b, "TX-01-005", "ACC-01-REV", 1_000_000_000, 3_650_000_000L, "2027-11-15T10:00:00Z"));
        timePasses("2028-01-01"); // Q3 8%, Q4 on forecast
        assertThat(projectAlerts()).containsExactly("PF-REVENUE-SHORTFALL OPENED MEDIUM 2027-07-01",
                "PF-REVENUE-SHORTFALL CLOSED MEDIUM 2028-01-01");
    }

    @Test
    void oneBadQuarterBetweenGoodOnesIsASeasonNotAnAlert() throws Exception {
        String b = "B-PF-02";
        profiled(b);
        stage.send(operating(b, "ACC-02-REV", "2026-12-01T09:00:00Z"), quarters2027(b, "FM-02-2026-12"));
        stage.send(receipt(b, "TX-02-001", "ACC-02-REV", 1_050_000_000, 1_050_000_000, "2027-02-15T10:00:00Z"));
        stage.send(receipt(b, "TX-02-002", "ACC-02-REV", 700_000_000, 1_750_000_000, "2027-05-14T10:00:00Z")); // dry season
        timePasses("2027-07-01"); // 5% above, then 30% short
        stage.send(receipt(b, "TX-02-003", "ACC-02-REV", 1_000_000_000, 2_750_000_000L, "2027-08-16T10:00:00Z"));
        timePasses("2027-10-01"); // 30% short, then on forecast
        assertThat(projectAlerts()).isEmpty();
    }

    @Test
    void aDrawdownARepaymentAndAnotherAccountAreNotRevenue() throws Exception {
        String b = "B-PF-03";
        profiled(b);
        stage.send(operating(b, "ACC-03-REV", "2026-12-01T09:00:00Z"), quarters2027(b, "FM-03-2026-12"));
        stage.send(receipt(b, "TX-03-001", "ACC-03-REV", 700_000_000, 700_000_000, "2027-02-15T10:00:00Z"));
        stage.send(TransactionEvent.newBuilder(tx(b, "TX-03-002", "ACC-03-REV", Direction.CREDIT, TransactionKind.DISBURSEMENT,
                300_000_000, 1_000_000_000, "2027-04-10T10:00:00Z")).setFacilityId("F-" + b).build());
        stage.send(receipt(b, "TX-03-003", "ACC-03-REV", 850_000_000, 1_850_000_000, "2027-05-15T10:00:00Z"));
        stage.send(tx(b, "TX-03-004", "ACC-03-REV", Direction.CREDIT, TransactionKind.REPAYMENT, 50_000_000, 1_900_000_000,
                "2027-05-20T10:00:00Z")); // a loan the project company made, repaid to it
        stage.send(TransactionEvent.newBuilder(tx(b, "TX-03-005", "ACC-03-REV", Direction.DEBIT, TransactionKind.REPAYMENT,
                200_000_000, 1_700_000_000, "2027-06-20T10:00:00Z")).setFacilityId("F-" + b).build()); // debt service paid out
        stage.send(receipt(b, "TX-03-006", "ACC-03-OPS", 400_000_000, 400_000_000, "2027-06-25T10:00:00Z"));
        timePasses("2027-07-01"); // Q1 30% short, Q2 (CNY 8.5m of offtaker receipts only) 15% short
        assertThat(projectAlerts()).as("MEDIUM: not missed, not HIGH").containsExactly("PF-REVENUE-SHORTFALL OPENED MEDIUM 2027-07-01");
        assertThat(indicator(last("PF-REVENUE-SHORTFALL"), "revenueShortfall")).isEqualTo(1500);
        assertThat(last("PF-REVENUE-SHORTFALL").getExplanation().getSummary())
                .contains("then CNY 8,500,000.00 from 2027-04-01 to 2027-06-30 against the base case's CNY 10,000,000.00 (15.00% short)");
    }

    /** The revenue account named on {@code namedAt}, a receipt on it before then; the alerts by 2027-10-01. */
    private List<String> revenueAccountNamed(String b, String namedAt) throws Exception {
        profiled(b);
        stage.send(operating(b, null, "2026-12-01T09:00:00Z"), quarters2027(b, "FM-04-2026-12"));
        stage.send(receipt(b, "TX-04-001", "ACC-04-REV", 300_000_000, 300_000_000, "2027-01-20T10:00:00Z"));
        List<TransactionEvent> receipts = List.of(
                receipt(b, "TX-04-002", "ACC-04-REV", 100_000_000, 400_000_000, "2027-03-15T10:00:00Z"),
                receipt(b, "TX-04-003", "ACC-04-REV", 800_000_000, 1_200_000_000, "2027-05-14T10:00:00Z"),
                receipt(b, "TX-04-004", "ACC-04-REV", 850_000_000, 2_050_000_000, "2027-08-16T10:00:00Z"));
        Project named = operating(b, "ACC-04-REV", namedAt);
        List<org.apache.avro.specific.SpecificRecordBase> inOrder = new ArrayList<>(receipts);
        inOrder.add(named);
        inOrder.sort((x, y) -> time(x).compareTo(time(y)));
        for (var record : inOrder.stream().filter(r -> time(r).isBefore(time("2027-07-01T00:00:00Z"))).toList()) {
            stage.send(record);
        }
        timePasses("2027-07-01");
        List<String> byJuly = projectAlerts();
        assertThat(byJuly).as("the first quarter was watched in part: never compared").isEmpty();
        for (var record : inOrder.stream().filter(r -> !time(r).isBefore(time("2027-07-01T00:00:00Z"))).toList()) {
            stage.send(record);
        }
        timePasses("2027-10-01");
        return projectAlerts();
    }

    private static Instant time(org.apache.avro.specific.SpecificRecordBase record) {
        return (Instant) record.get("eventTime");
    }

    @Test
    void aRevenueAccountNamedMidQuarterIsComparedFromTheFirstWholePeriodWatched() throws Exception {
        // Q2 20% short, Q3 15% short: compared once both are watched from their first day.
        assertThat(revenueAccountNamed("B-PF-04", "2027-02-10T10:00:00Z")).containsExactly("PF-REVENUE-SHORTFALL OPENED MEDIUM 2027-10-01");
    }

    @Test
    void anAccountNamedOnTheQuartersEveIsWatchedForAllOfIt() throws Exception {
        assertThat(revenueAccountNamed("B-PF-04B", "2027-03-31T16:00:00Z")).containsExactly("PF-REVENUE-SHORTFALL OPENED MEDIUM 2027-10-01");
    }

    @Test
    void anAccountNamedOnTheQuartersFirstMorningMissedItsStart() throws Exception {
        assertThat(revenueAccountNamed("B-PF-04C", "2027-04-01T08:00:00Z")).as("Q2 was not watched from its first hour").isEmpty();
    }

    @Test
    void aModelWhosePeriodsAreNotWholeMonthsIsRefusedAndNothingIsCompared() throws Exception {
        String b = "B-PF-05";
        CashFlowForecast offMonth = forecast(b, "FM-05-2026-12", "2026-12-15", "2026-12-20T09:00:00Z",
                period("2027-01-15", "2027-04-14", 1_000_000_000, 300_000_000, 0, 400_000_000),
                period("2027-04-15", "2027-07-14", 1_000_000_000, 300_000_000, 0, 400_000_000),
                period("2027-07-15", "2027-10-14", 1_000_000_000, 300_000_000, 0, 400_000_000));
        // Refused where it is read (a dead letter INVALID with this reason): it never reaches the borrower.
        assertThat(EventValidator.problem(offMonth, null)).isEqualTo("periods[0].periodStart 2027-01-15 is not the first day of a month");
        profiled(b);
        stage.send(operating(b, "ACC-05-REV", "2026-12-01T09:00:00Z"));
        stage.send(receipt(b, "TX-05-001", "ACC-05-REV", 700_000_000, 700_000_000, "2027-02-20T10:00:00Z"));
        stage.send(receipt(b, "TX-05-002", "ACC-05-REV", 700_000_000, 1_400_000_000, "2027-05-20T10:00:00Z"));
        stage.send(receipt(b, "TX-05-003", "ACC-05-REV", 700_000_000, 2_100_000_000, "2027-08-20T10:00:00Z"));
        timePasses("2027-10-15");
        assertThat(projectAlerts()).as("no model, nothing to compare against").isEmpty();
    }

    @Test
    void wholeMonthPeriodsThatAreNotQuartersAreCompared() throws Exception {
        String b = "B-PF-05B";
        profiled(b);
        stage.send(operating(b, "ACC-05B-REV", "2026-12-01T09:00:00Z"));
        stage.send(forecast(b, "FM-05B-2026-12", "2026-12-15", "2026-12-20T09:00:00Z",
                period("2027-01-01", "2027-02-28", 600_000_000, 300_000_000, 0, 400_000_000),
                period("2027-03-01", "2027-05-31", 900_000_000, 300_000_000, 0, 400_000_000)));
        stage.send(receipt(b, "TX-05B-001", "ACC-05B-REV", 480_000_000, 480_000_000, "2027-02-20T10:00:00Z"));
        stage.send(receipt(b, "TX-05B-002", "ACC-05B-REV", 720_000_000, 1_200_000_000, "2027-04-20T10:00:00Z"));
        timePasses("2027-06-01"); // both 20% short
        assertThat(projectAlerts()).containsExactly("PF-REVENUE-SHORTFALL OPENED MEDIUM 2027-06-01");
        assertThat(indicator(last("PF-REVENUE-SHORTFALL"), "revenueShortfall")).isEqualTo(2000);
    }

    // ---- The debt-service reserve.

    @Test
    void aReserveDrawnBelowItsRequirementIsHighBelowHalfCriticalAndToppedUpClears() throws Exception {
        String b = "B-PF-06";
        profiled(b);
        stage.send(operating(b, null, "2027-01-04T09:00:00Z"), halfYears(b, "FM-06-2026-12", "2027-01-04T09:05:00Z"),
                reserve(b, "ACC-06-DSRA", 6, "2027-01-01", "2027-01-04T09:10:00Z"));
        stage.send(receipt(b, "TX-06-001", "ACC-06-DSRA", 300_000_000, 300_000_000, "2027-01-15T10:00:00Z"));
        assertThat(projectAlerts()).as("funded exactly: not below its requirement").isEmpty();

        stage.send(tx(b, "TX-06-002", "ACC-06-DSRA", Direction.DEBIT, TransactionKind.TRANSFER, 120_000_000, 180_000_000,
                "2027-02-10T10:00:00Z"));
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED HIGH 2027-02-10");
        Alert raised = last("PF-DSRA-UNDERFUNDED");
        assertThat(indicator(raised, "dsraFunding")).isEqualTo(6000);
        assertThat(raised.getExplanation().getSummary()).contains("Debt-service reserve account holds CNY 1,800,000.00, 60.00% of the "
                + "CNY 3,000,000.00 of debt service the base case schedules in periods ending before 2027-08-10 (the 6 months F-B-PF-06's "
                + "covenant requires)");
        assertThat(raised.getExplanation().getTriggeringEvents()).extracting(EventReference::getEventId).contains("TX-06-002");

        stage.send(tx(b, "TX-06-003", "ACC-06-DSRA", Direction.DEBIT, TransactionKind.TRANSFER, 60_000_000, 120_000_000,
                "2027-03-05T10:00:00Z"));
        stage.restart();
        stage.send(receipt(b, "TX-06-004", "ACC-06-DSRA", 180_000_000, 300_000_000, "2027-04-12T10:00:00Z")); // the sponsor tops it up
        timePasses("2027-07-01"); // the next half-year's instalment is the same
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED HIGH 2027-02-10",
                "PF-DSRA-UNDERFUNDED ESCALATED CRITICAL 2027-03-05", "PF-DSRA-UNDERFUNDED CLOSED CRITICAL 2027-04-12");
        assertThat(projectAlerts()).noneMatch(a -> a.startsWith("PF-REVENUE-SHORTFALL"));
    }

    @Test
    void aReserveNeverSeenIsNotReadAsEmptyNorOneFundedBeforeItsCovenant() throws Exception {
        String b = "B-PF-07A";
        profiled(b);
        // Funded to 80% before the covenant named the account: the engine did not watch it then, so it is not read.
        stage.send(receipt(b, "TX-07A-000", "ACC-07A-DSRA", 240_000_000, 240_000_000, "2027-01-02T09:00:00Z"));
        stage.send(operating(b, "ACC-07A-REV", "2027-01-04T09:00:00Z"), halfYears(b, "FM-07A-2026-12", "2027-01-04T09:05:00Z"),
                reserve(b, "ACC-07A-DSRA", 6, "2027-01-01", "2027-01-04T09:10:00Z"));
        stage.send(receipt(b, "TX-07A-001", "ACC-07A-REV", 500_000_000, 500_000_000, "2027-03-15T10:00:00Z"));
        timePasses("2027-07-01");
        stage.send(receipt(b, "TX-07A-002", "ACC-07A-REV", 800_000_000, 1_300_000_000, "2027-09-15T10:00:00Z"));
        // H1 50% short and H2 20% short, but H1 started before the day after the account was named: never compared.
        timePasses("2028-01-01");
        assertThat(projectAlerts()).isEmpty();
    }

    @Test
    void aReserveCovenantNotYetInForceRaisesNothingUntilTheDayItIs() throws Exception {
        String b = "B-PF-07B";
        profiled(b);
        Project building = Project.newBuilder(project(b, null, "2027-03-01T09:00:00Z", ProjectStage.CONSTRUCTION, "2027-06-30"))
                .setFirstDebtServiceDate(LocalDate.parse("2027-12-31")).setTotalInvestmentMinor(2_000_000_000).build();
        stage.send(building, forecast(b, "FM-07B-2027-02", "2027-02-20", "2027-03-01T09:05:00Z",
                        period("2027-01-01", "2027-06-30", 0, 0, 400_000_000, 0),
                        period("2027-07-01", "2027-12-31", 1_000_000_000, 300_000_000, 0, 300_000_000),
                        period("2028-01-01", "2028-06-30", 1_000_000_000, 300_000_000, 0, 300_000_000)),
                reserve(b, "ACC-07B-DSRA", 6, "2027-09-30", "2027-03-01T09:10:00Z"));
        stage.send(receipt(b, "TX-07B-001", "ACC-07B-DSRA", 120_000_000, 120_000_000, "2027-05-10T10:00:00Z"));
        stage.send(Project.newBuilder(building).setStage(ProjectStage.OPERATION).setEventTime(time("2027-07-02T09:00:00Z")).build());
        timePasses("2027-09-29");
        assertThat(projectAlerts()).as("no covenant in force, and no construction alert for a project on budget and time").isEmpty();

        timePasses("2027-09-30"); // 40% of the second half-year's instalment
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED CRITICAL 2027-09-30");
        assertThat(indicator(last("PF-DSRA-UNDERFUNDED"), "dsraFunding")).isEqualTo(4000);
    }

    @Test
    void theSameBalanceCoversLessWhenALargerInstalmentComesWithinTheReservesMonths() throws Exception {
        String b = "B-PF-08";
        profiled(b);
        stage.send(operating(b, null, "2027-01-04T09:00:00Z"), forecast(b, "FM-08-2026-12", "2026-12-15", "2027-01-04T09:05:00Z",
                        period("2027-01-01", "2027-03-31", 600_000_000, 200_000_000, 0, 100_000_000),
                        period("2027-04-01", "2027-06-30", 600_000_000, 200_000_000, 0, 100_000_000),
                        period("2027-07-01", "2027-09-30", 600_000_000, 200_000_000, 0, 100_000_000),
                        period("2027-10-01", "2027-12-31", 600_000_000, 200_000_000, 0, 150_000_000),
                        period("2028-01-01", "2028-03-31", 600_000_000, 200_000_000, 0, 150_000_000)),
                reserve(b, "ACC-08-DSRA", 6, "2027-01-01", "2027-01-04T09:10:00Z"));
        stage.send(receipt(b, "TX-08-001", "ACC-08-DSRA", 240_000_000, 240_000_000, "2027-04-20T10:00:00Z")); // 120%
        timePasses("2027-06-30");
        assertThat(projectAlerts()).isEmpty();

        timePasses("2027-07-01"); // Q3 and the larger Q4 now: 96%, with no transaction
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED HIGH 2027-07-01");
        assertThat(indicator(last("PF-DSRA-UNDERFUNDED"), "dsraFunding")).isEqualTo(9600);
        assertThat(last("PF-DSRA-UNDERFUNDED").getExplanation().getTriggeringEvents()).extracting(EventReference::getEventId)
                .contains("TX-08-001");
        timePasses("2027-10-01"); // 80%: still HIGH
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED HIGH 2027-07-01");
    }

    @Test
    void aLargerInstalmentComingWithinAShortReserveWindowRaisesOnThatDay() throws Exception {
        String b = "B-PF-08B";
        profiled(b);
        stage.send(operating(b, null, "2027-01-04T09:00:00Z"), forecast(b, "FM-08B-2026-12", "2026-12-15", "2027-01-04T09:05:00Z",
                        period("2027-01-01", "2027-06-30", 1_000_000_000, 300_000_000, 0, 200_000_000),
                        period("2027-07-01", "2027-12-31", 1_000_000_000, 300_000_000, 0, 300_000_000),
                        period("2028-01-01", "2028-06-30", 1_000_000_000, 300_000_000, 0, 300_000_000)),
                reserve(b, "ACC-08B-DSRA", 3, "2027-01-01", "2027-01-04T09:10:00Z"));
        stage.send(receipt(b, "TX-08B-001", "ACC-08B-DSRA", 240_000_000, 240_000_000, "2027-02-01T10:00:00Z"));
        timePasses("2027-09-30"); // 120% of H1's instalment from April; nothing due within 3 months from July
        assertThat(projectAlerts()).isEmpty();

        timePasses("2027-10-01"); // H2's larger instalment comes within 3 months: 80%
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED HIGH 2027-10-01");
        timePasses("2028-01-01"); // nothing due within 3 months again: unknown is not a recovery
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED HIGH 2027-10-01");
    }

    @Test
    void aProjectSentAgainWithItsOldDateDoesNotDeclareUnwatchedMonthsEmpty() throws Exception {
        String b = "B-PF-09";
        profiled(b);
        stage.send(operating(b, null, "2026-12-01T09:00:00Z"), quarters2027(b, "FM-09-2026-12"));
        for (String month : new String[] {"02", "05", "08"}) { // on forecast, on an account the engine does not watch yet
            stage.send(receipt(b, "TX-09-" + month, "ACC-09-REV", 1_000_000_000, 1_000_000_000, "2027-" + month + "-15T10:00:00Z"));
        }
        timePasses("2027-10-15");
        // The register sends the project again naming its revenue account, with the date of the project's first version.
        stage.send(operating(b, "ACC-09-REV", "2026-12-01T09:00:00Z"));
        stage.send(receipt(b, "TX-09-11", "ACC-09-REV", 1_000_000_000, 1_000_000_000, "2027-11-15T10:00:00Z"));
        timePasses("2028-01-01");
        assertThat(projectAlerts()).as("Q2 and Q3 were not watched: not read as no revenue at all").isEmpty();
        assertThat(stage.snapshots.get(stage.snapshots.size() - 1).getProjectPeriods()).as("what was not watched is unknown, not 0")
                .extracting(p -> p.getPeriodStart() + " " + p.getReceiptsMinor())
                .containsExactly("2027-01-01 null", "2027-04-01 null", "2027-07-01 null", "2027-10-01 null");
    }

    @Test
    void moneyReleasedFromTheReserveIntoTheRevenueAccountIsNotRevenue() throws Exception {
        String b = "B-PF-10";
        profiled(b);
        stage.send(operating(b, "ACC-10-REV", "2026-12-01T09:00:00Z"), quarters2027(b, "FM-10-2026-12"),
                reserve(b, "ACC-10-DSRA", 6, "2027-01-01", "2026-12-02T09:00:00Z"));
        stage.send(receipt(b, "TX-10-001", "ACC-10-REV", 850_000_000, 850_000_000, "2027-02-15T10:00:00Z"));
        stage.send(receipt(b, "TX-10-002", "ACC-10-REV", 850_000_000, 1_700_000_000, "2027-05-15T10:00:00Z"));
        stage.send(TransactionEvent.newBuilder(receipt(b, "TX-10-003", "ACC-10-REV", 150_000_000, 1_850_000_000, "2027-06-10T10:00:00Z"))
                .setCounterpartyId("ACC-10-DSRA").build()); // the reserve released into the revenue account
        timePasses("2027-07-01");
        assertThat(projectAlerts()).as("both quarters 15% short: the release does not make Q2 whole")
                .containsExactly("PF-REVENUE-SHORTFALL OPENED MEDIUM 2027-07-01");
    }

    @Test
    void aCovenantNamingAnotherReserveAccountIsMeasuredOnTheNewAccountOnly() throws Exception {
        String b = "B-PF-11";
        profiled(b);
        stage.send(operating(b, null, "2027-01-04T09:00:00Z"), halfYears(b, "FM-11-2026-12", "2027-01-04T09:05:00Z"),
                reserve(b, "ACC-11-DSRA", 6, "2027-01-01", "2027-01-04T09:10:00Z"));
        stage.send(receipt(b, "TX-11-001", "ACC-11-DSRA", 180_000_000, 180_000_000, "2027-01-15T10:00:00Z"));
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED HIGH 2027-01-15");

        // The reserve moves to a new account, funded in full the next week.
        stage.send(reserve(b, "ACC-11-DSRA-NEW", 6, "2027-01-01", "2027-02-01T09:00:00Z"));
        stage.send(receipt(b, "TX-11-002", "ACC-11-DSRA-NEW", 300_000_000, 300_000_000, "2027-02-08T10:00:00Z"));
        stage.send(tx(b, "TX-11-003", "ACC-11-DSRA", Direction.DEBIT, TransactionKind.TRANSFER, 150_000_000, 30_000_000,
                "2027-02-09T10:00:00Z")); // the old account emptied: no longer the reserve
        assertThat(projectAlerts()).containsExactly("PF-DSRA-UNDERFUNDED OPENED HIGH 2027-01-15", "PF-DSRA-UNDERFUNDED CLOSED HIGH 2027-02-08");
    }
}
