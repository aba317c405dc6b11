package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.date;
import static dev.kestrel.jobs.Events.disbursement;
import static dev.kestrel.jobs.Events.facilityType;
import static dev.kestrel.jobs.Events.groupLimit;
import static dev.kestrel.jobs.Events.inflow;
import static dev.kestrel.jobs.Events.outflow;
import static dev.kestrel.jobs.Events.profile;
import static dev.kestrel.jobs.Events.scheduled;
import static dev.kestrel.jobs.Events.statement;
import static dev.kestrel.jobs.Events.valuation;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.Direction;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FacilityType;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.group.GroupStages;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.RuleBook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: every indicator, and every rule of the shipped pack with an example event sequence run through the
 * real state and rule evaluation, and the alert it raised. The test fails when a rule has no example, an example
 * stops raising its rule, or the document is out of date (-Dkestrel.writeDocs=true rewrites it).
 */
class RulesDocTest {
    private static final Path DOC = Path.of("..", "docs", "rules.md");
    private static final String B = "B-7";
    private static final RiskSettings SETTINGS = RiskSettings.defaults();

    /** One step of an example: what happens, in words, and the events that make it happen. */
    record Step(String says, List<SpecificRecordBase> events) {}

    /** An example: steps, then time passing to {@code untilDay} (day timers), for the rule it shows. */
    record Example(String ruleId, List<Step> steps, int untilDay) {
        @Override
        public String toString() {
            return ruleId;
        }
    }

    private static Step step(String says, SpecificRecordBase... events) {
        return new Step(says, List.of(events));
    }

    private static Step daily(String says, int from, int to, IntFunction<SpecificRecordBase> event) {
        return new Step(says, IntStream.rangeClosed(from, to).mapToObj(event).toList());
    }

    private static SpecificRecordBase balanceAfter(int day, Direction direction, long yuan, long balanceYuan) {
        return Events.transaction(B, day, direction, yuan).setBalanceAfterMinor(yuan(balanceYuan)).build();
    }

    /** A report from a named source with its own reference: the page shows both, so neither may vary from run to run. */
    private static CreditEvent bureau(int day, CreditEventKind kind, Long amountYuan, String source, String reference) {
        return CreditEvent.newBuilder(Events.credit(B, day, kind)).setEventId("CE-" + reference).setSource(source).setReference(reference)
                .setAmountMinor(amountYuan == null ? null : yuan(amountYuan)).setCurrency(amountYuan == null ? null : "CNY").build();
    }

    private static TransactionEvent withId(String eventId, TransactionEvent transaction) {
        return TransactionEvent.newBuilder(transaction).setEventId(eventId).build();
    }

    static List<Example> examples() {
        List<Example> examples = new ArrayList<>();
        examples.add(new Example("CF-INFLOW-DROP", List.of(
                daily("Days 0-119: receipts of CNY 1,000.00 a day.", 0, 119, d -> inflow(B, d, 1_000)),
                daily("Days 120-149: receipts of CNY 500.00 a day.", 120, 149, d -> inflow(B, d, 500))), 149));
        examples.add(new Example("CF-BURN", List.of(
                daily("Days 0-69: CNY 1,000.00 in and CNY 1,300.00 out every day (the 90-day ratio needs 60 days of history).",
                        0, 139, d -> d % 2 == 0 ? inflow(B, d / 2, 1_000) : outflow(B, d / 2, 1_300, "CP-1"))), 69));
        examples.add(new Example("CF-LARGE-OUTFLOW", List.of(
                daily("Days 0-11: a payment of CNY 1,000.00 to a supplier each day.", 0, 11, d -> outflow(B, d, 1_000, "CP-1")),
                step("Day 12: a single payment of CNY 15,000.00.", outflow(B, 12, 15_000, "CP-2"))), 12));
        examples.add(new Example("CF-NEGATIVE-BALANCE", List.of(
                step("Day 1: a payment of CNY 8,000.00 leaves the account at CNY -2,000.00.", balanceAfter(1, Direction.DEBIT, 8_000, -2_000))), 1));
        examples.add(new Example("CF-STRESS", List.of(
                step("Day 0: an instalment of CNY 10,000.00 due on day 5 is billed.", scheduled(B, "F-B-7", "01", 0, 5, 10_000)),
                step("Day 6: unpaid, and a payment overdraws the account.", balanceAfter(6, Direction.DEBIT, 3_000, -1_000))), 6));
        examples.add(new Example("DIV-PROCEEDS", List.of(
                step("Day 0: the borrower pays its usual supplier.", outflow(B, 0, 10_000, "CP-supplier")),
                step("Day 40: a loan of CNY 1,000,000.00 is disbursed.", withId("TX-LOAN-40", disbursement(B, 40, "F-B-7", 1_000_000))),
                step("Day 41: CNY 700,000.00 goes to a counterparty never seen before.", withId("TX-PAY-41", outflow(B, 41, 700_000, "CP-unknown")))), 41));
        examples.add(new Example("REPAY-ARREARS", List.of(
                step("Day 0: an instalment of CNY 100,000.00 due on day 10 is billed; nothing is paid.",
                        scheduled(B, "F-B-7", "01", 0, 10, 100_000))), 11));
        examples.add(new Example("REPAY-REMINDER", List.of(
                step("Day 0: CNY 20,000.00 comes in; the balance is CNY 30,000.00.", balanceAfter(0, Direction.CREDIT, 20_000, 30_000)),
                step("Day 0: an instalment of CNY 50,000.00 due on day 20 is billed.", scheduled(B, "F-B-7", "01", 0, 20, 50_000))), 13));
        examples.add(new Example("REPAY-SERVICING-MISMATCH", List.of(
                step("Day 0: an instalment of CNY 50,000.00 on F-B-7 due on day 10 is billed.", scheduled(B, "F-B-7", "01", 0, 10, 50_000)),
                step("Day 12: it is paid in full.", Events.paid(B, "F-B-7", "01", 12, 10, 50_000, 50_000)),
                step("Day 20: the servicing system still reports F-B-7 10 days past due with CNY 50,000.00 overdue.",
                        Events.servicingReport(B, "F-B-7", 20, 10, 50_000))), 20));
        examples.add(new Example("CLASS-STATUS", List.of(
                step("Day 0: two facilities: F-B-7 with CNY 1,000,000.00 drawn and F-B-7-2 with CNY 200,000.00 drawn.",
                        twoFacilities(B, 1_000_000, 200_000)),
                step("Day 0: an instalment of CNY 50,000.00 on F-B-7-2 due on day 10 is billed; nothing is paid.",
                        scheduled(B, "F-B-7-2", "01", 0, 10, 50_000))), 371));
        examples.add(new Example("LIMIT-UTILISATION", List.of(
                step("Day 0: a revolving credit line of CNY 1,000,000.00 with CNY 960,000.00 drawn.",
                        facilityType(profile(B, null, 0, 1_000_000, 960_000), FacilityType.REVOLVING))), 0));
        examples.add(new Example("LIMIT-BREACH", List.of(
                step("Day 0: a term loan of CNY 1,000,000.00 with CNY 900,000.00 drawn.", profile(B, null, 0, 1_000_000, 900_000)),
                step("Day 1: another CNY 200,000.00 is disbursed.", disbursement(B, 1, "F-B-7", 200_000))), 1));
        examples.add(new Example("FIN-LEVERAGE", List.of(
                step("Day 30: the 2025 Q4 statement shows liabilities of 870 against assets of 1,000.",
                        statement(B, 30, date(-1), 1_000, 870, 500, 400, 1_000, 20, 10))), 30));
        examples.add(new Example("FIN-LIQUIDITY", List.of(
                step("Day 30: the 2025 Q4 statement shows current assets of 800 against current liabilities of 1,000.",
                        statement(B, 30, date(-1), 2_000, 1_200, 800, 1_000, 1_000, 20, 10))), 30));
        examples.add(new Example("FIN-REVENUE-DROP", List.of(
                step("Day 30: 2025 Q4 revenue is 1,000.", statement(B, 30, date(-1), 2_000, 1_000, 800, 500, 1_000, 20, 10)),
                step("Day 395: 2026 Q4 revenue is 650.", statement(B, 395, date(364), 2_000, 1_000, 800, 500, 650, 5, 10))), 395));
        examples.add(new Example("FIN-LOSS", List.of(
                step("Day 30: the 2025 Q4 statement shows a net loss of 50 on revenue of 1,000.",
                        statement(B, 30, date(-1), 2_000, 1_000, 800, 500, 1_000, -50, 10))), 30));
        examples.add(new Example("FIN-NEGATIVE-EQUITY", List.of(
                step("Day 30: the 2025 Q4 statement reports equity of -100: assets of 2,000 carry liabilities of 1,600 and 500 of"
                                + " shareholder loans classed apart, so liabilities alone stay below assets (80%).",
                        FinancialStatement.newBuilder(statement(B, 30, date(-1), 2_000, 1_600, 800, 500, 1_000, -150, 10))
                                .setTotalEquityMinor(yuan(-100)).build())), 30));
        examples.add(new Example("FIN-NEGATIVE-OCF", List.of(
                step("Day 30: 2025 Q4 operating cash flow is -20.", statement(B, 30, date(-1), 2_000, 1_000, 800, 500, 1_000, 10, -20)),
                step("Day 120: 2026 Q1 operating cash flow is -35.", statement(B, 120, date(89), 2_000, 1_000, 800, 500, 1_000, 10, -35))), 120));
        examples.add(new Example("FIN-STATEMENT-OVERDUE", List.of(
                step("Day 30: the 2025 Q4 statement arrives; the 2026 Q1 one (period ending day 89) is due 120 days after its end.",
                        statement(B, 30, date(-1), 2_000, 1_000, 800, 500, 1_000, 10, 10))), 210));
        examples.add(new Example("REVIEW-OVERDUE", List.of(
                step("Day 0: the borrower's profile comes; on GREEN its review is due yearly.", profile(B, null, 0, 1_000_000, 800_000)),
                step("Day 10: the officer's desk review, recorded the same day, sets the next one for day 40 (2026-02-10).",
                        Events.review(B, "RV-2026-0117", 10, 10, 40))), 41));
        examples.add(new Example("BUREAU-DOWNGRADE", List.of(
                step("Day 5: the bureau lowers the rating from A- to BBB.", CreditEvent.newBuilder(bureau(5, CreditEventKind.RATING_CHANGE, null, "Nordic Ratings", "NR-2026-118"))
                        .setPreviousRating("A-").setNewRating("BBB").build())), 5));
        examples.add(new Example("BUREAU-OVERDUE-ELSEWHERE", List.of(
                step("Day 5: the credit register reports CNY 300,000.00 past due at another bank.",
                        bureau(5, CreditEventKind.OVERDUE_ELSEWHERE, 300_000L, "Credit Reference Center", "CRC-2026-0091"))), 5));
        examples.add(new Example("BUREAU-LITIGATION", List.of(
                step("Day 5: a court registers a lawsuit against the borrower.", bureau(5, CreditEventKind.LAWSUIT, 2_000_000L, "Shanghai No. 1 Intermediate People's Court", "(2026) Hu 01 Min Chu 117"))), 5));
        examples.add(new Example("BUREAU-GUARANTEE-CALLED", List.of(
                step("Day 5: a guarantee the borrower gave for an affiliate is called.", bureau(5, CreditEventKind.GUARANTEE_CALLED, 500_000L, "Credit Reference Center", "CRC-2026-0140"))), 5));
        examples.add(new Example("BUREAU-TAX-ARREARS", List.of(
                step("Day 5: the tax office reports arrears.", bureau(5, CreditEventKind.TAX_ARREARS, 80_000L, "Shanghai Tax Service", "STS-2026-5521"))), 5));
        examples.add(new Example("BUREAU-NEGATIVE-NEWS", List.of(
                step("Day 5: a news feed reports a factory fire.", CreditEvent.newBuilder(bureau(5, CreditEventKind.NEGATIVE_NEWS, null, "Caixin", "caixin.com/2026-01-06/factory-fire"))
                        .setDescription("Fire halts production at the borrower's main plant").build())), 5));
        java.time.LocalDate y2025 = java.time.LocalDate.parse("2025-01-01");
        List<dev.kestrel.events.ForecastPeriod> operating = new ArrayList<>();
        for (int q = 0; q < 24; q++) { // 2025 to 2030 by quarter: CNY 13,000,000.00 available, CNY 10,000,000.00 due
            operating.add(Events.period(y2025.plusMonths(3L * q), 3, 20_000_000, 6_000_000, 1_000_000, 10_000_000));
        }
        examples.add(new Example("PF-COVENANT-BREACH", List.of(
                step("Day 0: a toll road in operation since mid-2024, CNY 150,000,000.00 drawn on its senior loan F-B-7.",
                        profile(B, null, 0, 150_000_000, 150_000_000), Events.project(B, 0, -550, -365)),
                step("Day 0: its base case: each quarter CNY 20,000,000.00 of tolls, CNY 7,000,000.00 of costs and capex, "
                        + "CNY 10,000,000.00 of debt service, to 2030.", Events.forecast(B, "FM-B-7-2025", 0, 500,
                        operating.toArray(dev.kestrel.events.ForecastPeriod[]::new))),
                step("Day 0: the covenants since 2025: historic DSCR lock-up 1.20x, default 1.05x; LLCR lock-up 1.30x, default 1.10x.",
                        Events.covenants(B, 0, -365, 12_000, 10_500, 13_000, 11_000)),
                step("Day 45: the 2025 accounts: operating cash flow CNY 48,000,000.00 and capex CNY 2,000,000.00 against the "
                        + "CNY 40,000,000.00 of debt service due in the year.",
                        Events.yearStatement(B, 45, java.time.LocalDate.parse("2025-12-31"), 48_000_000, 2_000_000))), 45));
        examples.add(new Example("PF-MILESTONE-SLIPPAGE", List.of(
                step("Day 0: a hydropower plant under construction, commercial operation scheduled for 2026-12-31.",
                        profile(B, null, 0, 80_000_000, 40_000_000), Events.project(B, 0, 364, 545)),
                step("Day 20: the technical adviser's report: the turbine hall, planned for 2026-03-01, is now expected on "
                        + "2026-06-15, 60% complete.", Events.milestone(B, "TURBINE-HALL", dev.kestrel.events.MilestoneKind.CONSTRUCTION,
                        59, 165, Days.NONE, 6_000, 20))), 20));
        examples.add(new Example("PF-COD-AT-RISK", List.of(
                step("Day 0: a hydropower plant under construction: operation scheduled for 2026-12-31, the first repayment of principal "
                        + "due 2027-06-30.", profile(B, null, 0, 80_000_000, 40_000_000), Events.project(B, 0, 364, 545)),
                step("Day 30: the report moves commercial operation to 2027-05-15.", Events.milestone(B, "COD",
                        dev.kestrel.events.MilestoneKind.COMMERCIAL_OPERATION, 364, 499, Days.NONE, 0, 30))), 30));
        examples.add(new Example("PF-CAPEX-OVERRUN", List.of(
                step("Day 0: a plant budgeted at CNY 100,000,000.00, whose model at financial close expects CNY 95,000,000.00 of capex.",
                        profile(B, null, 0, 80_000_000, 40_000_000), Events.project(B, 0, 364, 545), Events.forecast(B, "FM-B-7-CLOSE", 0, 500,
                                Events.period(y2025, 12, 0, 0, 50_000_000, 0), Events.period(y2025.plusYears(1), 12, 0, 0, 45_000_000, 0))),
                step("Day 40: the updated model expects CNY 115,000,000.00.", Events.forecast(B, "FM-B-7-2026-02", 40, 500,
                        Events.period(y2025, 12, 0, 0, 50_000_000, 0), Events.period(y2025.plusYears(1), 12, 0, 0, 65_000_000, 0)))), 40));
        List<dev.kestrel.events.ForecastPeriod> tolls = new ArrayList<>();
        for (int q = 0; q < 24; q++) { // 2025 to 2030 by quarter: CNY 20,000,000.00 of tolls forecast
            tolls.add(Events.period(y2025.plusMonths(3L * q), 3, 20_000_000, 6_000_000, 1_000_000, 10_000_000));
        }
        examples.add(new Example("PF-REVENUE-SHORTFALL", List.of(
                step("Day 0: a toll road in operation, its tolls paid into project revenue account REV-B-7; the base case expects "
                        + "CNY 20,000,000.00 a quarter.", profile(B, null, 0, 150_000_000, 150_000_000),
                        dev.kestrel.events.Project.newBuilder(Events.project(B, 0, -550, -365)).setRevenueAccountId("REV-B-7").build(),
                        Events.forecast(B, "FM-B-7-2025", 0, 500, tolls.toArray(dev.kestrel.events.ForecastPeriod[]::new))),
                step("Day 100: the second quarter's tolls, CNY 17,000,000.00, reach the revenue account.",
                        Events.transaction(B, 100, dev.kestrel.events.Direction.CREDIT, 17_000_000).setAccountId("REV-B-7").build()),
                step("Day 200: the third quarter's, CNY 16,000,000.00.",
                        Events.transaction(B, 200, dev.kestrel.events.Direction.CREDIT, 16_000_000).setAccountId("REV-B-7").build())), 273));
        List<dev.kestrel.events.ForecastPeriod> halfYears = new ArrayList<>();
        for (int h = 0; h < 12; h++) { // 2025 to 2030 by half-year: CNY 10,000,000.00 of debt service each
            halfYears.add(Events.period(y2025.plusMonths(6L * h), 6, 40_000_000, 12_000_000, 2_000_000, 10_000_000));
        }
        examples.add(new Example("PF-DSRA-UNDERFUNDED", List.of(
                step("Day 0: a toll road in operation whose senior loan requires a debt-service reserve account, DSRA-B-7, holding "
                        + "the next 6 months of debt service: CNY 10,000,000.00 due each half-year.",
                        profile(B, null, 0, 150_000_000, 150_000_000), Events.project(B, 0, -550, -365),
                        Events.forecast(B, "FM-B-7-2025", 0, 500, halfYears.toArray(dev.kestrel.events.ForecastPeriod[]::new)),
                        dev.kestrel.events.FacilityCovenants.newBuilder(Events.covenants(B, 0, -365, 12_000, 10_500, 13_000, 11_000))
                                .setDsra(dev.kestrel.events.ReserveRequirement.newBuilder().setAccountId("DSRA-B-7").setMonths(6).build()).build()),
                step("Day 10: interest credited to the reserve leaves it at CNY 10,000,000.00.",
                        Events.transaction(B, 10, dev.kestrel.events.Direction.CREDIT, 20_000).setAccountId("DSRA-B-7")
                                .setKind(dev.kestrel.events.TransactionKind.INTEREST).setBalanceAfterMinor(yuan(10_000_000)).build()),
                step("Day 20: CNY 4,000,000.00 is taken out of the reserve to pay a contractor.",
                        Events.transaction(B, 20, dev.kestrel.events.Direction.DEBIT, 4_000_000).setAccountId("DSRA-B-7")
                                .setBalanceAfterMinor(yuan(6_000_000)).build())), 20));
        examples.add(new Example("COLL-LTV", List.of(
                step("Day 0: a facility of CNY 1,000,000.00 with CNY 800,000.00 drawn.", profile(B, null, 0, 1_000_000, 800_000)),
                step("Day 20: the mortgaged building is revalued at CNY 1,200,000.00 with a 20% haircut.",
                        valuation(B, "F-B-7", 20, 1_200_000, 2_000))), 20));
        examples.add(new Example("GRP-LIMIT-NEAR", List.of(
                step("Day 0: group G-1 gets a shared limit of CNY 10,000,000.00.", groupLimit("G-1", 0, 10_000_000)),
                step("Day 0: its members B-1 and B-2 have CNY 5,000,000.00 and CNY 3,000,000.00 drawn.",
                        profile("B-1", "G-1", 0, 6_000_000, 5_000_000), profile("B-2", "G-1", 0, 6_000_000, 3_000_000)),
                step("Day 3: B-2 draws another CNY 1,500,000.00.", disbursement("B-2", 3, "F-B-2", 1_500_000))), 3));
        examples.add(new Example("GRP-LIMIT-BREACH", List.of(
                step("Day 0: group G-1 gets a shared limit of CNY 10,000,000.00.", groupLimit("G-1", 0, 10_000_000)),
                step("Day 0: its members B-1 and B-2 have CNY 5,000,000.00 and CNY 4,500,000.00 drawn.",
                        profile("B-1", "G-1", 0, 6_000_000, 5_000_000), profile("B-2", "G-1", 0, 6_000_000, 4_500_000)),
                step("Day 5: B-1 draws another CNY 1,000,000.00.", disbursement("B-1", 5, "F-B-1", 1_000_000))), 5));
        examples.add(new Example("GRP-DISTRESS", List.of(
                step("Day 0: B-1, B-2 and B-3 belong to group G-1, each with CNY 1,000,000.00 drawn.",
                        profile("B-1", "G-1", 0, 2_000_000, 1_000_000), profile("B-2", "G-1", 0, 2_000_000, 1_000_000),
                        profile("B-3", "G-1", 0, 2_000_000, 1_000_000)),
                step("Day 0: instalments of CNY 100,000.00 due on day 10 are billed to B-1 and B-2; neither pays.",
                        scheduled("B-1", "F-B-1", "01", 0, 10, 100_000), scheduled("B-2", "F-B-2", "01", 0, 10, 100_000))), 11));
        examples.add(new Example("GRP-CONTAGION", List.of(
                step("Day 0: B-1, B-2 and B-3 belong to group G-1, each with CNY 1,000,000.00 drawn.",
                        profile("B-1", "G-1", 0, 2_000_000, 1_000_000), profile("B-2", "G-1", 0, 2_000_000, 1_000_000),
                        profile("B-3", "G-1", 0, 2_000_000, 1_000_000)),
                step("Day 0: an instalment of CNY 100,000.00 due on day 10 is billed to B-2; nothing is paid.",
                        scheduled("B-2", "F-B-2", "01", 0, 10, 100_000))), 101));
        examples.add(new Example("CONC-INDUSTRY", List.of(
                step("Day 0: 20 borrowers draw CNY 1,000,000.00 each: 6 in manufacturing (C), 2 in each of 7 other "
                        + "industries, 5 in each of 4 regions.", portfolio(i -> i < 6 ? "C" : "ABDEFGH".substring((i - 6) / 2, (i - 6) / 2 + 1),
                        i -> "CN-" + "JS,ZJ,GD,SH".split(",")[i % 4]))), 0));
        examples.add(new Example("CONC-REGION", List.of(
                step("Day 0: 20 borrowers draw CNY 1,000,000.00 each, 4 in each of 5 industries; 9 of them are in Jiangsu (CN-JS).",
                        portfolio(i -> "ABCDE".substring(i % 5, i % 5 + 1), i -> i < 9 ? "CN-JS" : "CN-ZJ,CN-GD,CN-SH".split(",")[i % 3]))), 0));
        return examples;
    }

    private static SpecificRecordBase twoFacilities(String borrower, long drawnYuan, long secondDrawnYuan) {
        BorrowerProfile profile = profile(borrower, null, 0, drawnYuan, drawnYuan);
        Facility second = Facility.newBuilder(profile.getFacilities().get(0)).setFacilityId("F-" + borrower + "-2")
                .setLimitMinor(yuan(secondDrawnYuan)).setDrawnMinor(yuan(secondDrawnYuan)).build();
        return BorrowerProfile.newBuilder(profile).setFacilities(List.of(profile.getFacilities().get(0), second)).build();
    }

    /** Twenty borrowers P-0..P-19 with CNY 1,000,000.00 drawn each, in the industries and regions given by number. */
    private static SpecificRecordBase[] portfolio(IntFunction<String> industry, IntFunction<String> region) {
        return IntStream.range(0, 20).mapToObj(i -> profile("P-" + i, null, industry.apply(i), region.apply(i), 0, 2_000_000, 1_000_000))
                .toArray(SpecificRecordBase[]::new);
    }

    /**
     * Runs an example through the real code: each borrower's events through its state and the borrower rules, what
     * changed for groups and the portfolio through their operators (under the operator test harness), and day timers
     * for every borrower up to the example's last day.
     */
    static List<Alert> run(Example example, RuleBook rules) throws Exception {
        Map<String, BorrowerState> borrowers = new TreeMap<>();
        IndicatorValues before = new IndicatorValues();
        IndicatorValues after = new IndicatorValues();
        List<Alert> alerts = new ArrayList<>();
        try (GroupStages stages = GroupStages.open("classpath:rules/default-rules.jsonl")) {
            for (Step step : example.steps()) {
                for (SpecificRecordBase record : step.events()) {
                    if (record instanceof GroupLimit limit) {
                        stages.limit(limit);
                        continue;
                    }
                    BorrowerEvent event = BorrowerEvent.of(record);
                    BorrowerState state = borrowers.computeIfAbsent(event.borrowerId, id -> new BorrowerState());
                    state.advanceClock(event.eventTimeMillis);
                    state.indicators(before, SETTINGS);
                    state.apply(event, SETTINGS);
                    state.indicators(after, SETTINGS);
                    evaluate(event.borrowerId, state, rules, before, after, alerts, stages);
                }
            }
            for (int day = lastDay(example) + 1; day <= example.untilDay(); day++) {
                for (Map.Entry<String, BorrowerState> borrower : borrowers.entrySet()) {
                    BorrowerState state = borrower.getValue();
                    state.indicators(before, SETTINGS);
                    state.advanceClock(Days.start(Days.of(at(day).toEpochMilli())));
                    state.indicators(after, SETTINGS);
                    evaluate(borrower.getKey(), state, rules, before, after, alerts, stages);
                }
            }
            alerts.addAll(stages.alerts());
        }
        return alerts;
    }

    private static void evaluate(String borrowerId, BorrowerState state, RuleBook rules, IndicatorValues before,
            IndicatorValues after, List<Alert> alerts, GroupStages stages) throws Exception {
        AlertEpisodes.evaluate(borrowerId, state, rules.rules(AlertScope.BORROWER), before, after, 0, alerts::add);
        List<dev.kestrel.jobs.group.MemberStatus> statuses = new ArrayList<>();
        MemberStatuses.announce(borrowerId, state, after, false, statuses::add); // the rules document does not score
        for (var status : statuses) {
            stages.member(status);
        }
    }

    @Test
    void everyShippedRuleHasAnExampleThatRaisesIt() throws Exception {
        RuleBook rules = RuleBook.load("classpath:rules/default-rules.jsonl");
        Map<String, Example> byRule = examples().stream().collect(Collectors.toMap(Example::ruleId, e -> e, (a, b) -> a, LinkedHashMap::new));

        assertThat(byRule.keySet()).containsExactlyInAnyOrderElementsOf(rules.rules().stream().map(CompiledRule::ruleId).toList());
        for (Example example : byRule.values()) {
            assertThat(run(example, rules)).as(example.ruleId())
                    .anySatisfy(alert -> {
                        assertThat(alert.getRuleId()).isEqualTo(example.ruleId());
                        assertThat(alert.getScope()).isEqualTo(rules.get(example.ruleId()).scope());
                        assertThat(alert.getLifecycle()).isEqualTo(AlertLifecycle.OPENED);
                    });
        }
    }

    @Test
    void docsRulesMdDescribesEveryRuleAndIndicator() throws Exception {
        String expected = document(RuleBook.load("classpath:rules/default-rules.jsonl"));
        if (Boolean.getBoolean("kestrel.writeDocs")) {
            Files.writeString(DOC, expected);
        }
        assertThat(Files.readString(DOC))
                .as("docs/rules.md is out of date: run mvn -pl flink-jobs -am test -Dtest=RulesDocTest -Dkestrel.writeDocs=true "
                        + "-Dsurefire.failIfNoSpecifiedTests=false")
                .isEqualTo(expected);
    }

    static String document(RuleBook rules) throws Exception {
        StringBuilder doc = new StringBuilder("""
                # Rules and indicators

                <!-- Generated by RulesDocTest from the shipped rule pack and its examples; do not edit by hand. -->

                A rule is data: a condition over the indicators below (any of several groups of clauses, each group
                true when all its clauses are), a severity, optional escalations to higher severities, and optional
                clear thresholds (hysteresis). The job ships the pack in
                [`default-rules.jsonl`](../schemas/src/main/resources/rules/default-rules.jsonl) (the JSON-lines form of
                `Rule` records, see [events.md](events.md)); risk staff publish new versions on the rules topic and the job
                applies each, without a restart, to events from its `publishedAt` (event time) on; an event dated
                earlier is judged by the version in force on its date.

                Each rule has a scope, and names only indicators of that scope:

                - **BORROWER** rules are evaluated for one borrower on each of its events and at the start of days that
                  change its indicators: days past due, due dates, statement and review deadlines; the cash-flow windows, which move every day,
                  as of each event's day and, for a borrower with no event for `cash-flow.silence-check` (7 days), day by day
                  ([early-warning-job.md](early-warning-job.md#time)). A rule with no episode open for the borrower is evaluated
                  again only when an indicator it reads has moved since the borrower was last evaluated against the same rules (a
                  rule published or changed reads every borrower again): on the same values it decides as it did.
                - **GROUP** rules are evaluated for a corporate group whenever a member's exposure or condition changes,
                  a member joins or leaves, or the group limit changes. A GROUP rule of category CONTAGION also raises,
                  while its episode is open, a borrower alert of the same rule on every member that is not itself
                  non-performing or critical, naming the distressed members and the link; a member that joins gets
                  one, a member that leaves has its alert closed.
                - **PORTFOLIO** rules are evaluated for each industry and each region of the portfolio whenever a
                  borrower's drawn exposure, industry or region changes; the alert title names the segment.

                An alert episode opens when a rule's condition becomes true for its subject, escalates only up its
                rule's escalations, and closes when the condition clears; with a clear threshold it closes only past that
                value. Escalations are listed from the lowest severity up, and several may share a severity: each is a
                further step at it, announced as an `ESCALATED` change at the same severity (CLASS-STATUS uses two
                CRITICAL steps after non-performing, for doubtful and loss). The episode keeps the step it reached in
                state (with its severity in one byte; state written before steps were kept reads as the lowest step of
                its severity, so a step may be announced again after such an upgrade, never missed).
                HIGH and CRITICAL alerts on a borrower or group also move its limit recommendation (the
                `LimitRecommendation` record): CRITICAL recommends freezing the undrawn limit, HIGH cutting the limit
                by `recommendations.limit-cut-bp`, and the recommendation is withdrawn when no severe alert is open.
                Each recommendation carries the bank's decision in force on that limit, as the desk approved it
                (`decisionInForce`, [events.md](events.md#limitrecommendation)); a withdrawal while a freeze or a cut the
                bank decided on the engine's recommendation is in force says so and suggests restoring the limit. While a severe
                alert is open, a cut (or freeze) the bank decided on the engine's recommendation answers the recommendation of the same
                action: a later one, written because another severe alert joined, says the restriction in force answers it and is to be
                kept, not a further cut of the limit left.
                The watch-list alert counts as one ([scorecard.md](scorecard.md)): RED is HIGH, BLACK CRITICAL.

                An indicator with no data to compute it from (too little history, no statement yet, no receipts in the
                baseline period) is unknown: no clause on it holds, so nothing opens on it, and missing data is not a
                recovery either: an open episode closes only when its condition no longer holds on indicators that are
                known, or when its rule is disabled or withdrawn. Its later changes say since when an indicator has had
                no data, e.g. `inflowDrop unknown since 2026-05-01 (no data)`. An indicator that does not apply to the
                subject (a utilisation without a facility that can be redrawn) is known, though it has no value: no
                clause on it holds, and an open episode on it closes.

                Every example below ran through the real indicator, rule and group code when this page was generated.

                ## Regulatory regimes

                The option `regulation.regimes` ([configuration.md](configuration.md)) names the regimes the bank
                classifies borrowers under: `EU`, `CN`, `IN`, or several (`EU,CN`). Only the active regimes are
                evaluated: their indicators are present, the others' absent, so no rule on another jurisdiction's class
                can fire. The default is `CN`: the shipped simulator book is in CNY and the founding requirements are
                Chinese; a bank in the euro area sets `EU`, a branch network reporting to two supervisors sets both.
                A replay takes `--regimes`, a scenario `regimes:`.

                One fact, one alert: **CLASS-STATUS** is the one regulatory-status alert of a borrower. Its explanation
                lists every active regime's class, e.g. *EU: in default since 2026-06-30 (91 material days past due);
                IFRS 9 stage 3 | CN: substandard (91 days overdue); CAS 22 stage 3*, and it escalates on
                `regulatoryStep`, the worst step of any active regime:

                | Step | EU | CN | IN | CLASS-STATUS |
                |---|---|---|---|---|
                | 0 | performing | normal | standard | - |
                | 1 | material arrears | special mention (any overdue) | SMA-0 (1-30 days) | - (REPAY-ARREARS tells collections) |
                | 2 | IFRS 9 stage 2 (over 30 material days past due) | CAS 22 stage 2 (over 30 days overdue) | SMA-1 (31-60), Ind AS 109 stage 2 | opens MEDIUM |
                | 3 | - | - | SMA-2 (61-90) | HIGH |
                | 4 | in default, IFRS 9 stage 3 | substandard (over 90 days) | NPA (over 90) | CRITICAL |
                | 5 | - | doubtful (over 270 days) | NPA doubtful (12 months as NPA) | CRITICAL, a further step |
                | 6 | - | loss (over 360 days) | - | CRITICAL, a further step |

                Severity stops at CRITICAL, and non-performing is already critical for the desk, so doubtful and loss are
                escalations at the same severity: the rule lists three CRITICAL escalations, and an episode announces each
                step it climbs (see below). Days are counted from the day after the due date (day 1), at the start of each
                day (UTC), over the borrower's oldest unpaid instalment.

                **EU.** CRR art. 178(1)(b): default when a material credit obligation is more than 90 days past due.
                Materiality per Commission Delegated Regulation (EU) 2018/171 (arts. 1 and 2) for exposures other than
                retail: the arrears exceed BOTH the absolute component (EUR 500, `materiality.floor-minor`) AND the
                relative component (1% of the obligor's on-balance exposure, `materiality.exposure-share-bp`);
                EBA/GL/2016/07 (days-past-due criterion) counts days past due only while both are exceeded, so
                `materialDaysPastDue` restarts when the arrears fall below either. Both components are judged on the
                obligor: the sum of its amounts past due over all facilities, against its whole on-balance exposure,
                each amount converted to euro at the FX rate in force on the day judged (CRR art. 178(2)(d) sets the
                threshold; Delegated Regulation 2018/171 arts. 1 and 2 allow a national currency's equivalent of
                EUR 500, and `materiality.floor-minor` is in euro cents), so EUR 300 and USD 300 past due on two
                facilities are material together when either alone is not. A rate is the reference rate of its UTC
                day: arrears become material on the day a moving rate takes them over EUR 500. Default ends only after a probation
                of at least three months without a default trigger (EBA/GL/2016/07 para. 71(a); `cure.probation`,
                `3mo`, calendar months). IFRS 9 5.5.11 presumes a significant increase in credit risk over 30 days past
                due; the presumption is rebuttable, and the engine rebuts it for arrears below the CRR materiality
                threshold, because B5.5.37 asks the default definition (and so the notion of past due the bank manages
                credit risk by) to be consistent with the one used for credit risk management: stage 2 over 30
                *material* days past due, stage 3 in default (B5.5.37). Not evaluated: unlikeliness to pay (178(1)(a)),
                distressed restructuring, retail thresholds. Under CN or IN alone, which set no money floor, the
                materiality test behind `materialDaysPastDue` (and REPAY-ARREARS) is made in the borrower's currency,
                with `materiality.floor-minor` read in its minor units; amounts in other currencies are still converted
                into it, never added as they are.

                **CN.** 《商业银行金融资产风险分类办法》 (CBIRC/PBOC Order 2023 No. 1), non-retail assets: principal,
                interest or income overdue makes an asset at least special mention (art. 11), overdue more than 90 days
                at least substandard (art. 12), more than 270 days at least doubtful (art. 13), more than 360 days loss
                (art. 14); substandard and worse are non-performing (art. 6). There is no money floor: CNY 3,000 overdue
                for 91 days is substandard. Art. 11 excepts short overdues of up to 7 days due to operational or technical
                reasons from special mention; the feeds carry no reason for a delay, and special mention raises nothing
                on its own (step 1), so the exception is not evaluated. Art. 7 para. 2: when more than 10% of a non-retail
                debtor's claims on the bank are non-performing, all its claims are; `nonPerformingClaimsShare` measures it
                and the status text says "all claims non-performing" only when it changes something (some claims were
                still performing), and snapshots flag every facility. Art. 12's rule that a debtor whose debts overdue
                more than 90 days exceed 20% of its debts at all banks is at least substandard needs the other banks'
                days past due and the debtor's total debt; the bureau feed gives only an amount past due elsewhere
                (`overdueElsewhere`), so it is **not evaluated** (BUREAU-OVERDUE-ELSEWHERE still alerts the fact). CAS 22
                (财会〔2017〕7号), China's IFRS 9: stage 2 over 30 days overdue, stage 3 credit-impaired, which art. 6 makes
                substandard or worse. **Not yet evaluated:** the 办法's conditions for moving a non-performing asset back up
                (arrears repaid and then, as we read them, two repayment periods or six months, whichever is longer,
                paid on time); today the category follows the days overdue and returns to normal when the arrears are
                paid, which is earlier than the 办法 allows. The 7-day exception and these upgrade conditions were
                checked against secondary sources only; confirm the article numbers against the Order's official text.

                **IN.** RBI Master Circular on Income Recognition, Asset Classification and Provisioning (IRACP): an NPA
                is overdue more than 90 days; an asset substandard for 12 months is doubtful (para. 4.1.3); loss assets
                are identified by the bank or its auditors, not by days, and are not evaluated. Special mention accounts
                (Prudential Framework for Resolution of Stressed Assets, 7 June 2019): SMA-0 up to 30 days, SMA-1 31-60,
                SMA-2 61-90. The clarification circular of 12 November 2021 (RBI/2021-2022/125) classifies in the
                day-end process of each calendar date, the due date's own day-end being the first day overdue (due 31
                March: SMA-1 on 30 April, SMA-2 on 30 May, NPA on 29 June). The engine's count at the start of a day is
                exactly the count at the previous day's day-end, so each class is raised at that day-end (00:00 UTC of
                the next day) and the explanation names RBI's date ("SMA-1 since 2026-04-30 (RBI day-end ...)"); it cannot
                raise earlier, because a payment may still arrive before the day-end. An NPA returns to standard only
                when all arrears are paid, as the same circular requires: days past due follow the oldest unpaid
                instalment. Ind AS 109: stage 2 over 30 days, stage 3 NPA.

                **Groups.** The group stage reads each member's status on the five-category scale from the worst active
                regime (China's category under CN; EU default and NPA count as substandard, IN doubtful as doubtful), so
                `distressedMembers`, `nonPerformingMembers` and GRP-CONTAGION follow the active regimes: an immaterial EU
                arrear more than 90 days old makes no member non-performing.

                ## Indicators

                Money is in minor units (fen, cents), ratios in basis points (10,000 = 100%), flags 1 or 0.

                | Indicator | Scope | Unit | Meaning |
                |---|---|---|---|
                """);
        // By scope, each in the contract's order (an indicator added later sits with its scope, not at the end).
        for (Indicator indicator : java.util.Arrays.stream(Indicator.values()).sorted(java.util.Comparator.comparing(Indicator::scope)).toList()) {
            doc.append("| `").append(indicator.indicatorName()).append("` | ").append(indicator.scope()).append(" | ")
                    .append(indicator.unit()).append(" | ").append(indicator.meaning()).append(" |\n");
        }
        doc.append("\n## Rules\n\n| Rule | Scope | Category | Severity | Title |\n|---|---|---|---|---|\n");
        for (CompiledRule rule : rules.rules()) {
            doc.append("| [").append(rule.ruleId()).append("](#").append(rule.ruleId().toLowerCase()).append(") | ")
                    .append(rule.scope()).append(" | ").append(rule.category()).append(" | ").append(rule.severity())
                    .append(" | ").append(rule.title()).append(" |\n");
        }
        Map<String, Example> examples = examples().stream().collect(Collectors.toMap(Example::ruleId, e -> e));
        for (CompiledRule rule : rules.rules()) {
            doc.append("\n### ").append(rule.ruleId()).append("\n\n**").append(rule.title()).append("** (")
                    .append(rule.category()).append(", ").append(rule.severity()).append(", version ").append(rule.version())
                    .append("). ").append(rule.rationale()).append("\n\n");
            doc.append("- Raised when ").append(condition(rule.condition(), true)).append(".\n");
            for (CompiledRule.Escalation escalation : rule.escalations()) {
                doc.append("- ").append(escalation.severity()).append(" when ").append(condition(escalation.condition(), false)).append(".\n");
            }
            Example example = examples.get(rule.ruleId());
            doc.append("\nExample:\n\n");
            for (Step step : example.steps()) {
                doc.append("1. ").append(step.says()).append('\n');
            }
            if (example.untilDay() > lastDay(example)) {
                doc.append("1. Days pass until day ").append(example.untilDay()).append(".\n");
            }
            List<Alert> opened = run(example, rules).stream()
                    .filter(a -> a.getRuleId().equals(rule.ruleId()) && a.getLifecycle() == AlertLifecycle.OPENED).toList();
            Alert raised = opened.stream().filter(a -> a.getScope() == rule.scope()).findFirst().orElseThrow();
            long day = (raised.getEventTime().toEpochMilli() - Days.start(Days.of(at(0).toEpochMilli()))) / Days.MILLIS_PER_DAY;
            doc.append("\nRaises on day ").append(day).append(", ").append(raised.getSeverity()).append(": **")
                    .append(raised.getTitle()).append("**. *").append(raised.getExplanation().getSummary()).append("*\n");
            List<Alert> escalated = run(example, rules).stream()
                    .filter(a -> a.getRuleId().equals(rule.ruleId()) && a.getScope() == rule.scope()
                            && a.getLifecycle() == AlertLifecycle.ESCALATED).toList();
            for (Alert step : escalated) {
                long on = (step.getEventTime().toEpochMilli() - Days.start(Days.of(at(0).toEpochMilli()))) / Days.MILLIS_PER_DAY;
                doc.append("\nEscalates on day ").append(on).append(", ").append(step.getSeverity()).append(": *")
                        .append(step.getExplanation().getSummary()).append("*\n");
            }
            List<Alert> onMembers = opened.stream().filter(a -> a.getScope() != rule.scope()).toList();
            if (!onMembers.isEmpty()) {
                doc.append("\nAnd on the members ").append(onMembers.stream().map(Alert::getBorrowerId).sorted()
                        .collect(Collectors.joining(", "))).append(", for example: *")
                        .append(onMembers.get(0).getExplanation().getSummary()).append("*\n");
            }
        }
        return doc.toString();
    }

    private static int lastDay(Example example) {
        long last = 0;
        for (Step step : example.steps()) {
            for (SpecificRecordBase record : step.events()) {
                long time = record instanceof GroupLimit limit ? limit.getEventTime().toEpochMilli() : BorrowerEvent.of(record).eventTimeMillis;
                last = Math.max(last, (time - at(0).toEpochMilli()) / Days.MILLIS_PER_DAY);
            }
        }
        return (int) last;
    }

    private static String condition(CompiledRule.Condition condition, boolean withClear) {
        return condition.anyOf().stream()
                .map(group -> group.stream().map(clause -> clause(clause, withClear)).collect(Collectors.joining(" and ")))
                .collect(Collectors.joining("; or "));
    }

    private static String clause(CompiledRule.Clause clause, boolean withClear) {
        Indicator indicator = clause.indicator();
        String text = "`" + indicator.indicatorName() + "` " + clause.symbol() + " "
                + AlertEpisodes.format(indicator.unit(), clause.threshold(), "CNY").replace("CNY ", "");
        if (withClear && clause.clearThreshold() != null) {
            text += " (once raised, it clears only when no longer " + clause.symbol() + " "
                    + AlertEpisodes.format(indicator.unit(), clause.clearThreshold(), "CNY").replace("CNY ", "") + ")";
        }
        return text;
    }
}
