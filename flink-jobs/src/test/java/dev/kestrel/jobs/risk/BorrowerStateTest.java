package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.date;
import static dev.kestrel.jobs.Events.disbursement;
import static dev.kestrel.jobs.Events.facilityType;
import static dev.kestrel.jobs.Events.inflow;
import static dev.kestrel.jobs.Events.outflow;
import static dev.kestrel.jobs.Events.paid;
import static dev.kestrel.jobs.Events.profile;
import static dev.kestrel.jobs.Events.ratingChange;
import static dev.kestrel.jobs.Events.scheduled;
import static dev.kestrel.jobs.Events.statement;
import static dev.kestrel.jobs.Events.valuation;
import static dev.kestrel.jobs.Events.wrap;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.tuple;

import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FacilityStatus;
import dev.kestrel.events.Direction;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.events.FacilityType;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.jobs.Events;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The indicators, computed from small event sequences whose right answer can be worked out by hand. */
class BorrowerStateTest {
    private static final String B = "B-1";
    /** Every regime active, so that every classification indicator is present. */
    private final RiskSettings settings = RiskSettings.defaults().withRegimes(java.util.EnumSet.allOf(Regime.class));
    private final BorrowerState state = new BorrowerState();
    private final IndicatorValues values = new IndicatorValues();

    private void apply(SpecificRecordBase... records) {
        for (SpecificRecordBase record : records) {
            state.apply(wrap(record), settings);
        }
    }

    private long indicator(Indicator indicator, int onDay) {
        state.advanceClock(at(onDay).toEpochMilli());
        state.indicators(values, settings);
        assertThat(values.has(indicator)).as(indicator.indicatorName() + " present").isTrue();
        return values.get(indicator);
    }

    private boolean has(Indicator indicator, int onDay) {
        state.advanceClock(at(onDay).toEpochMilli());
        state.indicators(values, settings);
        return values.has(indicator);
    }

    @Test
    void sumsInflowAndOutflowOverThirtyAndNinetyDays() {
        apply(inflow(B, 0, 1_000), inflow(B, 40, 2_000), inflow(B, 60, 4_000), inflow(B, 95, 8_000), outflow(B, 95, 500, "CP-1"));

        assertThat(indicator(Indicator.INFLOW_30D, 95)).isEqualTo(yuan(8_000));
        assertThat(indicator(Indicator.INFLOW_90D, 95)).isEqualTo(yuan(2_000 + 4_000 + 8_000));
        assertThat(indicator(Indicator.OUTFLOW_30D, 95)).isEqualTo(yuan(500));
        assertThat(indicator(Indicator.OUTFLOW_TO_INFLOW_30D, 95)).isEqualTo(625);
        // Thirty days later the day-95 inflow has left the 30-day window but is still within 90 days.
        assertThat(indicator(Indicator.INFLOW_30D, 125)).isZero();
        assertThat(indicator(Indicator.INFLOW_90D, 125)).isEqualTo(yuan(2_000 + 4_000 + 8_000));
        // Beyond 30 days the window moves in 10-day blocks (days 36-45 hold day 40; day 135's window starts in 46-55).
        assertThat(indicator(Indicator.INFLOW_90D, 135)).isEqualTo(yuan(4_000 + 8_000));
    }

    @Test
    void measuresTheInflowDropAgainstTheMonthlyAverageOfTheNinetyDaysBefore() {
        for (int day = 0; day < 120; day++) {
            apply(inflow(B, day, 1_000)); // 30,000 a month for four months
        }
        apply(inflow(B, 120, 6_000)); // then one receipt in the last 30 days

        assertThat(indicator(Indicator.INFLOW_BASELINE_30D, 149)).isEqualTo(yuan(30_000));
        assertThat(indicator(Indicator.INFLOW_30D, 149)).isEqualTo(yuan(6_000));
        assertThat(indicator(Indicator.INFLOW_DROP, 149)).isEqualTo(8_000);
    }

    @Test
    void aDrawdownIsNotAReceiptAndRepayingTheLoanIsNotSpending() {
        for (int day = 0; day < 120; day++) {
            apply(inflow(B, day, 1_000)); // steady receipts, 30,000 a month
        }
        apply(Events.disbursement(B, 90, "F-1", 5_000_000)); // the loan is drawn into the account
        apply(Events.transaction(B, 100, Direction.DEBIT, 200_000).setKind(TransactionKind.REPAYMENT).setFacilityId("F-1").build());

        assertThat(indicator(Indicator.INFLOW_30D, 119)).as("receipts only").isEqualTo(yuan(30_000));
        assertThat(indicator(Indicator.INFLOW_BASELINE_30D, 149)).as("the drawdown does not raise the baseline").isEqualTo(yuan(30_000));
        assertThat(indicator(Indicator.OUTFLOW_30D, 119)).as("debt service is not spending").isZero();
        assertThat(indicator(Indicator.PROCEEDS_TO_NEW_COUNTERPARTIES, 119)).as("the drawdown is still watched for diversion")
                .isZero();
    }

    @Test
    void hasNoBaselineBeforeSixtyDaysOfHistory() {
        apply(inflow(B, 0, 1_000), inflow(B, 50, 1_000));

        assertThat(has(Indicator.INFLOW_BASELINE_30D, 50)).isFalse();
        assertThat(has(Indicator.INFLOW_DROP, 50)).isFalse();
    }

    @Test
    void comparesASingleOutflowWithTheUsualSize() {
        for (int i = 0; i < 10; i++) {
            apply(outflow(B, i, 1_000, "CP-1"));
        }
        assertThat(has(Indicator.OUTFLOW_SIZE_VS_USUAL, 10)).isFalse();

        apply(outflow(B, 11, 25_000, "CP-1"));

        assertThat(indicator(Indicator.OUTFLOW_SIZE_VS_USUAL, 11)).isEqualTo(250_000);
    }

    @Test
    void flagsANegativeBalanceFromTheLatestBooking() {
        apply(Events.transaction(B, 1, Direction.DEBIT, 100).setBalanceAfterMinor(-500L).build());
        assertThat(indicator(Indicator.NEGATIVE_BALANCE, 1)).isEqualTo(1);
        assertThat(indicator(Indicator.BALANCE, 1)).isEqualTo(-500);

        apply(Events.transaction(B, 2, Direction.CREDIT, 100).setBalanceAfterMinor(9_500L).build());
        assertThat(indicator(Indicator.NEGATIVE_BALANCE, 2)).isZero();
    }

    @Test
    void measuresTheShareOfADisbursementPaidToNeverSeenCounterparties() {
        apply(outflow(B, 0, 100, "CP-supplier"));
        apply(disbursement(B, 40, "F-1", 1_000_000));
        apply(outflow(B, 41, 300_000, "CP-supplier"), outflow(B, 42, 600_000, "CP-shell-1"),
                outflow(B, 60, 50_000, "CP-shell-2")); // day 60 is outside the 7-day window

        assertThat(indicator(Indicator.PROCEEDS_TO_NEW_COUNTERPARTIES, 60)).isEqualTo(6_000);
    }

    @Test
    void countsDaysPastDueFromTheDueDateAndClearsOnPayment() {
        apply(profile(B, null, 0, 1_000_000, 1_000_000), scheduled(B, "F-B-1", "01", 0, 10, 100_000));

        assertThat(indicator(Indicator.DAYS_PAST_DUE, 10)).isZero();
        assertThat(indicator(Indicator.DAYS_PAST_DUE, 11)).isEqualTo(1);
        assertThat(indicator(Indicator.DAYS_PAST_DUE, 42)).isEqualTo(32);
        assertThat(indicator(Indicator.OVERDUE_AMOUNT, 42)).isEqualTo(yuan(100_000));
        assertThat(indicator(Indicator.IFRS9_STAGE, 42)).isEqualTo(2);
        assertThat(indicator(Indicator.SMA_CLASS, 42)).isEqualTo(2);
        assertThat(indicator(Indicator.LOAN_CATEGORY, 42)).isEqualTo(2);

        apply(paid(B, "F-B-1", "01", 43, 10, 100_000, 100_000));

        assertThat(indicator(Indicator.DAYS_PAST_DUE, 43)).isZero();
        assertThat(state.repayments().open).isEmpty();
    }

    @Test
    void countsOnlyMaterialArrearsTowardsMaterialDaysPastDue() {
        // Exposure 1,000,000: 1% is 10,000. Arrears of 8,000 are above the 500 floor but below 1% of exposure.
        apply(profile(B, null, 0, 1_000_000, 1_000_000), scheduled(B, "F-B-1", "01", 0, 10, 8_000));
        assertThat(indicator(Indicator.DAYS_PAST_DUE, 20)).isEqualTo(10);
        assertThat(indicator(Indicator.MATERIAL_DAYS_PAST_DUE, 20)).isZero();

        apply(scheduled(B, "F-B-1", "02", 20, 25, 8_000)); // now 16,000 overdue from day 26
        assertThat(indicator(Indicator.MATERIAL_DAYS_PAST_DUE, 26)).isEqualTo(1);
        assertThat(indicator(Indicator.MATERIAL_DAYS_PAST_DUE, 40)).isEqualTo(15);
    }

    @Test
    void defaultsAfterNinetyMaterialDaysAndCuresOnlyAfterProbation() {
        apply(profile(B, null, 0, 1_000_000, 1_000_000), scheduled(B, "F-B-1", "01", 0, 10, 100_000));
        for (int day = 11; day <= 100; day++) {
            indicator(Indicator.MATERIAL_DAYS_PAST_DUE, day); // the daily timer's evaluations
        }
        assertThat(indicator(Indicator.MATERIAL_DAYS_PAST_DUE, 100)).isEqualTo(90);
        assertThat(indicator(Indicator.IN_DEFAULT, 100)).isZero();
        assertThat(indicator(Indicator.IN_DEFAULT, 101)).isEqualTo(1);
        assertThat(indicator(Indicator.IFRS9_STAGE, 101)).isEqualTo(3);
        assertThat(indicator(Indicator.REGULATORY_STEP, 101)).isEqualTo(RegulatoryStatus.NON_PERFORMING);

        apply(paid(B, "F-B-1", "01", 110, 10, 100_000, 100_000)); // day 110 is 2026-04-21
        assertThat(indicator(Indicator.DAYS_PAST_DUE, 110)).isZero();
        assertThat(indicator(Indicator.IN_DEFAULT, 110)).isEqualTo(1);
        assertThat(indicator(Indicator.IFRS9_STAGE, 110)).isEqualTo(3);
        // Three calendar months of probation (EBA/GL/2016/07 para. 71(a)): 2026-07-21, day 201, not 90 days.
        assertThat(state.nextEvaluationDay(settings)).isEqualTo(Days.of(at(201).toEpochMilli()));
        assertThat(indicator(Indicator.IN_DEFAULT, 200)).isEqualTo(1);
        assertThat(indicator(Indicator.IN_DEFAULT, 201)).isZero();
        assertThat(indicator(Indicator.REGULATORY_STEP, 201)).isEqualTo(RegulatoryStatus.PERFORMING);
    }

    @Test
    void remindsOfAnInstalmentDueSoonThatTheBorrowerCannotCover() {
        apply(Events.transaction(B, 0, Direction.CREDIT, 20_000).setBalanceAfterMinor(yuan(30_000)).build(),
                scheduled(B, "F-B-1", "01", 0, 20, 50_000));

        assertThat(indicator(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 12)).as("nothing due within the horizon yet").isZero();
        assertThat(state.nextEvaluationDay(settings)).isEqualTo(Days.of(at(13).toEpochMilli()));
        assertThat(indicator(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 13)).isEqualTo(yuan(20_000));
    }

    @Test
    void knowsNoShortfallOfABorrowerWhoseAccountsTheEngineIsNotFed() {
        apply(scheduled(B, "F-B-1", "01", 0, 20, 50_000));

        assertThat(indicator(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 12)).as("nothing due within the horizon").isZero();
        assertThat(has(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 13)).as("due soon, against means unknown").isFalse();
        apply(Events.transaction(B, 14, Direction.DEBIT, 100).build()); // the first transaction the engine sees
        assertThat(indicator(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 14)).as("no receipts, no balance: nothing to pay from")
                .isEqualTo(yuan(50_000));
    }

    @Test
    void measuresLimitUtilisationAndBreachAndMovesDrawnWithDisbursementsAndRepaidPrincipal() {
        apply(facilityType(profile(B, null, 0, 1_000_000, 900_000), FacilityType.REVOLVING));
        assertThat(indicator(Indicator.LIMIT_UTILISATION, 0)).isEqualTo(9_000);

        apply(disbursement(B, 1, "F-B-1", 200_000));
        assertThat(indicator(Indicator.LIMIT_UTILISATION, 1)).isEqualTo(11_000);
        assertThat(indicator(Indicator.LIMIT_BREACH, 1)).isEqualTo(1);

        // 150,000 instalment of which 120,000 principal: paying it in full repays 120,000 of principal.
        apply(paid(B, "F-B-1", "01", 2, 2, 150_000, 150_000));
        assertThat(indicator(Indicator.LIMIT_UTILISATION, 2)).isEqualTo(9_800);
        assertThat(indicator(Indicator.LIMIT_BREACH, 2)).isZero();
    }

    @Test
    void derivesRatiosFromTheLatestStatementAndComparesRevenueWithAYearBefore() {
        apply(statement(B, 40, date(-1), 1_000, 600, 400, 300, 1_000, 50, 10));
        apply(statement(B, 400, date(364), 1_000, 900, 200, 400, 600, -60, -5));

        assertThat(indicator(Indicator.DEBT_TO_ASSETS, 400)).isEqualTo(9_000);
        assertThat(indicator(Indicator.CURRENT_RATIO, 400)).isEqualTo(5_000);
        assertThat(indicator(Indicator.NET_MARGIN, 400)).isEqualTo(-1_000);
        assertThat(indicator(Indicator.REVENUE_CHANGE_YOY, 400)).isEqualTo(-4_000);
        assertThat(indicator(Indicator.NEGATIVE_OPERATING_CASH_FLOW_PERIODS, 400)).isEqualTo(1);
    }

    @Test
    void countsNegativeOperatingCashFlowPeriodsInARowAndOverdueStatements() {
        apply(statement(B, 30, date(-1), 1_000, 500, 400, 300, 1_000, 10, 5));
        apply(statement(B, 120, date(89), 1_000, 500, 400, 300, 1_000, 10, -5));
        apply(statement(B, 210, date(180), 1_000, 500, 400, 300, 1_000, 10, -7));

        assertThat(indicator(Indicator.NEGATIVE_OPERATING_CASH_FLOW_PERIODS, 210)).isEqualTo(2);
        // The next quarter ends on day 272 (2026-09-30); with 120 days' grace the statement is due by day 392.
        assertThat(indicator(Indicator.STATEMENT_OVERDUE_DAYS, 392)).isZero();
        assertThat(indicator(Indicator.STATEMENT_OVERDUE_DAYS, 400)).isEqualTo(8);
    }

    @Test
    void measuresRatingDowngradesFromTheBestRatingWithinAYear() {
        apply(ratingChange(B, 0, "A-", "BBB+"), ratingChange(B, 100, "BBB+", "BB+"));
        assertThat(indicator(Indicator.RATING_DOWNGRADE_NOTCHES, 100)).isEqualTo(4);

        apply(ratingChange(B, 500, "BB+", "BB"));
        assertThat(indicator(Indicator.RATING_DOWNGRADE_NOTCHES, 500)).isEqualTo(1);
    }

    @Test
    void keepsBureauFactsWithinTheirWindows() {
        apply(Events.credit(B, 10, CreditEventKind.LAWSUIT), Events.credit(B, 20, CreditEventKind.ENFORCEMENT),
                Events.credit(B, 30, CreditEventKind.NEGATIVE_NEWS),
                dev.kestrel.events.CreditEvent.newBuilder(Events.credit(B, 40, CreditEventKind.OVERDUE_ELSEWHERE))
                        .setAmountMinor(yuan(70_000)).setCurrency("CNY").build());

        assertThat(indicator(Indicator.LAWSUITS_365D, 40)).isEqualTo(2);
        assertThat(indicator(Indicator.ENFORCEMENT_365D, 40)).isEqualTo(1);
        assertThat(indicator(Indicator.NEGATIVE_NEWS_90D, 40)).isEqualTo(1);
        assertThat(indicator(Indicator.OVERDUE_ELSEWHERE, 40)).isEqualTo(yuan(70_000));
        assertThat(indicator(Indicator.NEGATIVE_NEWS_90D, 120)).isZero();
        assertThat(indicator(Indicator.OVERDUE_ELSEWHERE, 220)).isZero();
        assertThat(indicator(Indicator.LAWSUITS_365D, 376)).isEqualTo(1);
    }

    @Test
    void measuresLoanToValueAfterARevaluation() {
        apply(profile(B, null, 0, 1_000_000, 800_000), valuation(B, "F-B-1", 0, 2_000_000, 2_000));
        assertThat(indicator(Indicator.LOAN_TO_VALUE, 0)).isEqualTo(5_000);

        apply(valuation(B, "F-B-1", 30, 1_000_000, 2_000));
        assertThat(indicator(Indicator.LOAN_TO_VALUE, 30)).isEqualTo(10_000);
    }

    @Test
    void theSnapshotGivesEachFacilityItsOwnUtilisationAndLoanToValueWhoseWorstIsTheIndicator() {
        // A term loan drawn 800,000 of 1,000,000 against a plant worth 2,000,000 less 20%; a revolving line drawn
        // 450,000 of 500,000 against stock worth 500,000 less 10%; and a loan the servicing system reports that the
        // profile does not hold.
        Facility term = Facility.newBuilder().setFacilityId("F-TERM").setType(FacilityType.TERM_LOAN).setCurrency("CNY")
                .setLimitMinor(yuan(1_000_000)).setDrawnMinor(yuan(800_000)).setStartDate(date(-365)).setMaturityDate(date(1460)).build();
        Facility line = Facility.newBuilder(term).setFacilityId("F-RCF").setType(FacilityType.REVOLVING)
                .setLimitMinor(yuan(500_000)).setDrawnMinor(yuan(450_000)).build();
        apply(BorrowerProfile.newBuilder(profile(B, null, 0, 0, 0)).setFacilities(List.of(term, line)).build(),
                valuation(B, "F-TERM", 0, 2_000_000, 2_000),
                CollateralValuation.newBuilder(valuation(B, "F-RCF", 0, 500_000, 1_000)).setCollateralId("COL-STOCK").build(),
                Events.instalment(B, "F-OLD", "07", RepaymentKind.MISSED, 3, 1, 10_000, 0));

        assertThat(indicator(Indicator.LOAN_TO_VALUE, 3)).as("the worse of the two lines: 450,000 over 450,000").isEqualTo(10_000);
        assertThat(indicator(Indicator.LIMIT_UTILISATION, 3)).as("only the revolving line can be redrawn").isEqualTo(9_000);
        assertThat(RiskSnapshots.of(B, state, values, settings.internalRatingScale()).getFacilities())
                .extracting(FacilityStatus::getFacilityId, FacilityStatus::getUtilisationBasisPoints, FacilityStatus::getLoanToValueBasisPoints)
                .containsExactly(tuple("F-TERM", 8_000L, 5_000L), tuple("F-RCF", 9_000L, 10_000L),
                        tuple("F-OLD", null, null)); // no limit, no collateral the engine knows: no ratio, not 0

        apply(valuation(B, "F-TERM", 4, 0, 2_000)); // the plant is found worthless
        assertThat(RiskSnapshots.of(B, state, values, settings.internalRatingScale()).getFacilities().get(0))
                .satisfies(f -> {
                    assertThat(f.getCollateralLendingValueMinor()).isZero();
                    assertThat(f.getLoanToValueBasisPoints()).as("nothing to divide by: no ratio, shown as worth nothing").isNull();
                    assertThat(f.getUtilisationBasisPoints()).isEqualTo(8_000L);
                });
    }

    @Test
    void aReversedPaymentReopensTheInstalment() {
        apply(scheduled(B, "F-1", "01", 0, 10, 1_000), paid(B, "F-1", "01", 10, 10, 1_000, 1_000));
        assertThat(state.repayments().open).isEmpty();

        apply(Events.instalment(B, "F-1", "01", RepaymentKind.REVERSED, 12, 10, 1_000, 1_000));

        assertThat(indicator(Indicator.DAYS_PAST_DUE, 12)).isEqualTo(2);
        assertThat(indicator(Indicator.OVERDUE_AMOUNT, 12)).isEqualTo(yuan(1_000));
    }
}
