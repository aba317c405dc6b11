package dev.kestrel.contract;

import static dev.kestrel.contract.EventValidator.MAX_AMOUNT_MINOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.ReviewKind;
import dev.kestrel.events.TransactionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitDecisionAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the validator refuses, field by field, in the words the dead letter carries. */
class EventValidatorTest {
    private static final String BOUND = "100,000,000,000,000,000";
    private static final long OVER = MAX_AMOUNT_MINOR + 1;
    private static final RatingScale ONE_TO_TEN =
            RatingScale.parse("PRIME: 1, 2, 3; INVESTMENT_GRADE: 4, 5; SPECULATIVE: 6, 7, 8; DISTRESSED: 9, 10");

    @Test
    void acceptsTheContractsSampleOfEveryRecord() {
        for (SpecificRecordBase record : List.of(Samples.transaction(), Samples.repayment(), Samples.creditEvent(),
                Samples.borrowerProfile(), Samples.financialStatement(), Samples.collateralValuation(), Samples.groupLimit(),
                Samples.fxRate(), Samples.project(), Samples.projectMilestone(), Samples.cashFlowForecast(), Samples.facilityCovenants())) {
            assertThat(EventValidator.problem(record, RatingScale.LETTERS)).as(record.getSchema().getName()).isNull();
        }
    }

    @Test
    void aForecastWhosePeriodsOverlapRunBackwardsOrSplitMonthsIsRefusedNamingThePeriod() {
        java.util.function.Function<List<dev.kestrel.events.ForecastPeriod>, String> with = periods ->
                problem(dev.kestrel.events.CashFlowForecast.newBuilder(Samples.cashFlowForecast()).setPeriods(periods));
        var first = Samples.cashFlowForecast().getPeriods().get(0);
        var second = Samples.cashFlowForecast().getPeriods().get(1);
        assertThat(with.apply(List.of(first, dev.kestrel.events.ForecastPeriod.newBuilder(second)
                .setPeriodStart(java.time.LocalDate.parse("2028-06-01")).build())))
                .isEqualTo("periods[1].periodStart 2028-06-01 overlaps or precedes the period before it, which ends 2028-06-30");
        assertThat(with.apply(List.of(dev.kestrel.events.ForecastPeriod.newBuilder(first)
                .setPeriodEnd(java.time.LocalDate.parse("2027-12-31")).build())))
                .isEqualTo("periods[0].periodEnd 2027-12-31 runs backwards: it is before periodStart 2028-01-01");
        assertThat(with.apply(List.of(second, first))).as("in order").startsWith("periods[1].periodStart 2028-01-01 overlaps or precedes");
        assertThat(with.apply(List.of(dev.kestrel.events.ForecastPeriod.newBuilder(first)
                .setPeriodStart(java.time.LocalDate.parse("2028-01-15")).build())))
                .isEqualTo("periods[0].periodStart 2028-01-15 is not the first day of a month");
        assertThat(with.apply(List.of(dev.kestrel.events.ForecastPeriod.newBuilder(first).setDebtServiceMinor(-1L).build())))
                .isEqualTo("periods[0].debtServiceMinor must not be negative; got -1");
        assertThat(with.apply(List.of())).isEqualTo("periods: at least one");
    }

    @Test
    void aCovenantWithoutALevelOrWithItsLevelsTheWrongWayRoundIsRefused() {
        var covenants = dev.kestrel.events.FacilityCovenants.newBuilder(Samples.facilityCovenants());
        assertThat(problem(covenants.setLlcr(dev.kestrel.events.CoverLevels.newBuilder().setLockUpBasisPoints(null)
                .setDefaultBasisPoints(null).build())))
                .isEqualTo("llcr: a covenant without a level; set lockUpBasisPoints or defaultBasisPoints");
        assertThat(problem(dev.kestrel.events.FacilityCovenants.newBuilder(Samples.facilityCovenants()).setHistoricDscr(
                dev.kestrel.events.CoverLevels.newBuilder().setLockUpBasisPoints(10_000).setDefaultBasisPoints(11_000).build())))
                .isEqualTo("historicDscr: the lock-up level 10000 is below the default level 11000; a minimum locks up before it defaults");
        assertThat(problem(dev.kestrel.events.FacilityCovenants.newBuilder(Samples.facilityCovenants()).setMaxDebtToEquity(
                dev.kestrel.events.CeilingLevels.newBuilder().setLockUpBasisPoints(30_000).setDefaultBasisPoints(23_300).build())))
                .isEqualTo("maxDebtToEquity: the lock-up level 30000 is above the default level 23300; a maximum locks up before it defaults");
        assertThat(problem(dev.kestrel.events.FacilityCovenants.newBuilder(Samples.facilityCovenants()).setHistoricDscr(null)
                .setProjectedDscr(null).setLlcr(null).setMaxDebtToEquity(null).setDsra(null)))
                .isEqualTo("no covenant: set historicDscr, projectedDscr, llcr, maxDebtToEquity or dsra");
    }

    @Test
    void aProjectAndItsMilestonesAreRefusedWhenTheirDatesOrSharesCannotBe() {
        assertThat(problem(dev.kestrel.events.Project.newBuilder(Samples.project()).setScheduledCodDate(java.time.LocalDate.parse("2025-01-01"))))
                .isEqualTo("scheduledCodDate 2025-01-01 is before financialCloseDate 2025-06-30");
        assertThat(problem(dev.kestrel.events.Project.newBuilder(Samples.project()).setSponsors(List.of(
                dev.kestrel.events.Sponsor.newBuilder(Samples.project().getSponsors().get(0)).setShareBasisPoints(7_000).build(),
                Samples.project().getSponsors().get(1)))))
                .isEqualTo("sponsors: shares sum to 11000 basis points, more than 10000");
        assertThat(problem(dev.kestrel.events.Project.newBuilder(Samples.project()).setSponsors(List.of(
                dev.kestrel.events.Sponsor.newBuilder(Samples.project().getSponsors().get(0)).setBorrowerId("B-2001").build()))))
                .isEqualTo("sponsors[0].borrowerId: the project company cannot sponsor itself");
        assertThat(problem(dev.kestrel.events.Project.newBuilder(Samples.project()).setFacilityIds(List.of())))
                .isEqualTo("facilityIds: name at least one facility financing the project");
        assertThat(problem(dev.kestrel.events.Project.newBuilder(Samples.project()).setTotalInvestmentMinor(0L)))
                .isEqualTo("totalInvestmentMinor must be above 0; got 0");
        assertThat(problem(dev.kestrel.events.ProjectMilestone.newBuilder(Samples.projectMilestone()).setExpectedDate(null)))
                .isEqualTo("expectedDate: a milestone not reached needs the date it is now expected");
        assertThat(problem(dev.kestrel.events.ProjectMilestone.newBuilder(Samples.projectMilestone())
                .setActualDate(java.time.LocalDate.parse("2026-03-09"))))
                .isEqualTo("actualDate 2026-03-09 is after the day it was reported (eventTime 2026-03-02): a milestone is reported once reached");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EUR", "CNY", "INR", "USD", "JPY", "GBP", "HKD"})
    void acceptsActiveCurrencies(String code) {
        assertThat(EventValidator.problem(transaction().setCurrency(code).build(), RatingScale.LETTERS)).isNull();
    }

    @Test
    void aLimitDecisionNamesItsSubjectAndTheLimitAfterItAndWasApprovedBySomeoneElse() {
        LimitDecision decision = Samples.limitDecision();
        assertThat(EventValidator.problem(decision, null)).isNull();
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setApprovedBy("ana").build(), null))
                .isEqualTo("approvedBy: four eyes; ana proposed it and cannot approve it");
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setLimitMinor(null).build(), null))
                .isEqualTo("missing limitMinor: the limit after REDUCE_LIMIT");
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setLimitMinor(0L).build(), null))
                .isEqualTo("limitMinor must be above 0; got 0");
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setAction(LimitDecisionAction.FREEZE_UNDRAWN).build(), null))
                .isEqualTo("limitMinor and currency: a freeze keeps the limit as it is, so name no new limit");
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setAction(LimitDecisionAction.FREEZE_UNDRAWN)
                .setLimitMinor(null).setCurrency(null).build(), null)).isNull();
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setScope(AlertScope.GROUP).build(), null))
                .isEqualTo("missing groupId");
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setScope(AlertScope.PORTFOLIO).build(), null))
                .isEqualTo("scope: a limit is a borrower's or a group's, not the PORTFOLIO's");
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setCurrency("XXX").build(), null))
                .startsWith("currency: 'XXX' is not an active ISO 4217 currency");
        assertThat(EventValidator.problem(LimitDecision.newBuilder(decision).setApprovedAt(decision.getProposedAt().minusSeconds(1)).build(), null))
                .startsWith("approvedAt ").contains("is before proposedAt");
    }

    @Test
    void aReviewIsDoneBeforeItIsRecordedConcludesAGradeOfTheInternalScaleAndAVisitSaysWhatWasSeen() {
        BorrowerReview review = Samples.borrowerReview();
        assertThat(EventValidator.problem(review, RatingScale.LETTERS)).isNull();
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setReviewDate(LocalDate.parse("2026-03-03")).build(),
                RatingScale.LETTERS)).isEqualTo("reviewDate 2026-03-03 is after the day it was recorded (eventTime 2026-03-02): a review is recorded once done");
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setReviewDate(LocalDate.parse("2026-03-02")).build(),
                RatingScale.LETTERS)).as("reviewed the day it is recorded").isNull();
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setFindings(" ").build(), RatingScale.LETTERS))
                .isEqualTo("missing findings");
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setRatingConcluded("BB+").build(), ONE_TO_TEN))
                .startsWith("ratingConcluded: 'BB+' is not a grade of the internal scale (rating.internal-scale): 1, 2, 3");
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setRatingConcluded("7").setRatingInForce("BBB").build(), ONE_TO_TEN))
                .isEqualTo("ratingInForce: 'BBB' is not a grade of the internal scale (rating.internal-scale)");
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setRatingConcluded("7").setRatingInForce(null).build(), ONE_TO_TEN))
                .as("a borrower without a rating in force").isNull();
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setNextReviewDate(LocalDate.parse("2026-03-01")).build(), RatingScale.LETTERS))
                .isEqualTo("nextReviewDate 2026-03-01 must be after reviewDate 2026-03-01");
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setNextReviewDate(null).build(), RatingScale.LETTERS)).isNull();
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setVisitNotes(null).build(), RatingScale.LETTERS))
                .isEqualTo("visitNotes must say what was seen on a SITE_VISIT");
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setVisitNotes(null).setKind(ReviewKind.CALL).build(), RatingScale.LETTERS))
                .isNull();
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setReviewedBy("").build(), RatingScale.LETTERS))
                .isEqualTo("missing reviewedBy");
        assertThat(EventValidator.problem(BorrowerReview.newBuilder(review).setEventId(" ").build(), RatingScale.LETTERS))
                .isEqualTo("missing eventId");
    }

    @Test
    void refusesCodesThatAreNotMoneyALoanCanBeIn() {
        assertThat(currencyProblem("XXX")).isEqualTo("currency: 'XXX' is not an active ISO 4217 currency (XXX means no currency)");
        assertThat(currencyProblem("XTS")).isEqualTo("currency: 'XTS' is not an active ISO 4217 currency (XTS is reserved for testing)");
        assertThat(currencyProblem("XAU")).isEqualTo("currency: 'XAU' is not an active ISO 4217 currency (XAU is gold, a precious metal)");
        assertThat(currencyProblem("XDR"))
                .isEqualTo("currency: 'XDR' is not an active ISO 4217 currency (XDR is the IMF's Special Drawing Right, a unit of account)");
        assertThat(currencyProblem("CLF")).isEqualTo(
                "currency: 'CLF' is not an active ISO 4217 currency (CLF is Chile's Unidad de Fomento, an index unit; send the amount in CLP)");
    }

    @Test
    void refusesAnFxRateThatIsNotAnExactPositiveDecimalOfTwoActiveCurrencies() {
        assertThat(problem(FxRate.newBuilder(Samples.fxRate()).setRate("1.08450000"))).isNull();
        assertThat(problem(FxRate.newBuilder(Samples.fxRate()).setRate("0")))
                .isEqualTo("rate must be above 0; got \"0\"");
        assertThat(problem(FxRate.newBuilder(Samples.fxRate()).setRate("-7.8")))
                .isEqualTo("rate: expected an exact decimal above 0 such as \"7.8123\", got \"-7.8\"");
        assertThat(problem(FxRate.newBuilder(Samples.fxRate()).setRate("7,8123")))
                .isEqualTo("rate: expected an exact decimal above 0 such as \"7.8123\", got \"7,8123\"");
        assertThat(problem(FxRate.newBuilder(Samples.fxRate()).setRate("1E3")))
                .isEqualTo("rate: expected an exact decimal above 0 such as \"7.8123\", got \"1E3\"");
        assertThat(problem(FxRate.newBuilder(Samples.fxRate()).setRate("7.81234567891234")))
                .isEqualTo("rate: at most 12 significant digits; got \"7.81234567891234\" (15)");
        assertThat(problem(FxRate.newBuilder(Samples.fxRate()).setQuoteCurrency("XXX")))
                .isEqualTo("quoteCurrency: 'XXX' is not an active ISO 4217 currency (XXX means no currency)");
        assertThat(problem(FxRate.newBuilder(Samples.fxRate()).setQuoteCurrency("EUR")))
                .isEqualTo("quoteCurrency must differ from baseCurrency; got EUR for both");
    }

    @Test
    void refusesWithdrawnCurrenciesAndNamesTheirSuccessor() {
        assertThat(currencyProblem("DEM")).isEqualTo("currency: 'DEM' is not an active ISO 4217 currency (DEM is withdrawn; use EUR)");
        assertThat(currencyProblem("HRK")).isEqualTo("currency: 'HRK' is not an active ISO 4217 currency (HRK is withdrawn; use EUR)");
        assertThat(currencyProblem("BGN")).isEqualTo("currency: 'BGN' is not an active ISO 4217 currency (BGN is withdrawn; use EUR)");
        assertThat(currencyProblem("ZWL")).isEqualTo("currency: 'ZWL' is not an active ISO 4217 currency (ZWL is withdrawn; use ZWG)");
    }

    @Test
    void refusesUnknownCodesAndSaysWhenOnlyTheCaseIsWrong() {
        assertThat(currencyProblem("RMB")).isEqualTo("currency: 'RMB' is not an active ISO 4217 currency");
        assertThat(currencyProblem("")).isEqualTo("currency: '' is not an active ISO 4217 currency");
        assertThat(currencyProblem("cny")).isEqualTo("currency: 'cny' is not an active ISO 4217 currency (codes are upper case: CNY)");
    }

    @Test
    void checksTheCurrencyOfEveryRecordThatCarriesMoney() {
        Facility second = Facility.newBuilder(Samples.borrowerProfile().getFacilities().get(0)).setFacilityId("F-1001-B")
                .setCurrency("XXX").build();
        assertThat(problem(BorrowerProfile.newBuilder(Samples.borrowerProfile())
                .setFacilities(List.of(Samples.borrowerProfile().getFacilities().get(0), second))))
                .isEqualTo("facilities[1].currency: 'XXX' is not an active ISO 4217 currency (XXX means no currency)");
        String xts = "currency: 'XTS' is not an active ISO 4217 currency (XTS is reserved for testing)";
        assertThat(problem(RepaymentEvent.newBuilder(Samples.repayment()).setCurrency("XTS"))).isEqualTo(xts);
        assertThat(problem(FinancialStatement.newBuilder(Samples.financialStatement()).setCurrency("XTS"))).isEqualTo(xts);
        assertThat(problem(CollateralValuation.newBuilder(Samples.collateralValuation()).setCurrency("XTS"))).isEqualTo(xts);
        assertThat(problem(GroupLimit.newBuilder(Samples.groupLimit()).setCurrency("XTS"))).isEqualTo(xts);
        assertThat(problem(lawsuit(250_000_000L).setCurrency("XTS"))).isEqualTo(xts);
    }

    @Test
    void wantsACurrencyWithACreditEventsAmountAndIgnoresOneWithout() {
        assertThat(problem(lawsuit(250_000_000L).setCurrency(null))).isEqualTo("currency must be set when amountMinor is; got null");
        assertThat(problem(lawsuit(250_000_000L).setCurrency("CNY"))).isNull();
        assertThat(problem(CreditEvent.newBuilder(Samples.creditEvent()).setCurrency("XXX"))).isNull();
    }

    @Test
    void refusesTheOverflowingAmountTheTesterSent() {
        assertThat(problem(transaction().setAmountMinor(Long.MAX_VALUE)))
                .isEqualTo("amountMinor must be at most " + BOUND + " minor units; got 9223372036854775807");
    }

    @Test
    void acceptsEveryAmountExactlyAtTheBound() {
        long max = MAX_AMOUNT_MINOR;
        assertThat(problem(transaction().setAmountMinor(max).setBalanceAfterMinor(-max))).isNull();
        assertThat(problem(transaction().setBalanceAfterMinor(max))).isNull();
        assertThat(problem(RepaymentEvent.newBuilder(Samples.repayment()).setKind(RepaymentKind.PAID)
                .setAmountDueMinor(max).setPrincipalMinor(max).setAmountPaidMinor(max))).isNull();
        assertThat(problem(lawsuit(max).setCurrency("CNY"))).isNull();
        assertThat(problem(profileWith(facility().setLimitMinor(max).setDrawnMinor(max)))).isNull();
        assertThat(problem(statement().setTotalAssetsMinor(max).setTotalLiabilitiesMinor(max).setCurrentAssetsMinor(max)
                .setCurrentLiabilitiesMinor(max).setRevenueMinor(max).setNetProfitMinor(-max).setOperatingCashFlowMinor(-max))).isNull();
        assertThat(problem(statement().setNetProfitMinor(max).setOperatingCashFlowMinor(max))).isNull();
        assertThat(problem(CollateralValuation.newBuilder(Samples.collateralValuation()).setValueMinor(max))).isNull();
        assertThat(problem(GroupLimit.newBuilder(Samples.groupLimit()).setLimitMinor(max))).isNull();
    }

    @Test
    void refusesEveryAmountOneAboveTheBoundNamingTheField() {
        String above = " must be at most " + BOUND + " minor units; got " + OVER;
        String outside = " must lie between -" + BOUND + " and " + BOUND + " minor units; got ";
        assertThat(problem(transaction().setAmountMinor(OVER))).isEqualTo("amountMinor" + above);
        assertThat(problem(transaction().setBalanceAfterMinor(OVER))).isEqualTo("balanceAfterMinor" + outside + OVER);
        assertThat(problem(transaction().setBalanceAfterMinor(-OVER))).isEqualTo("balanceAfterMinor" + outside + -OVER);
        assertThat(problem(transaction().setBalanceAfterMinor(Long.MIN_VALUE)))
                .isEqualTo("balanceAfterMinor" + outside + "-9223372036854775808");
        assertThat(problem(RepaymentEvent.newBuilder(Samples.repayment()).setAmountDueMinor(OVER))).isEqualTo("amountDueMinor" + above);
        assertThat(problem(RepaymentEvent.newBuilder(Samples.repayment()).setKind(RepaymentKind.PAID).setAmountPaidMinor(OVER)))
                .isEqualTo("amountPaidMinor" + above);
        assertThat(problem(lawsuit(OVER).setCurrency("CNY"))).isEqualTo("amountMinor" + above);
        assertThat(problem(profileWith(facility().setLimitMinor(OVER)))).isEqualTo("facilities[1].limitMinor" + above);
        assertThat(problem(profileWith(facility().setDrawnMinor(OVER)))).isEqualTo("facilities[1].drawnMinor" + above);
        assertThat(problem(statement().setTotalAssetsMinor(OVER))).isEqualTo("totalAssetsMinor" + above);
        assertThat(problem(statement().setTotalLiabilitiesMinor(OVER))).isEqualTo("totalLiabilitiesMinor" + above);
        assertThat(problem(statement().setCurrentAssetsMinor(OVER))).isEqualTo("currentAssetsMinor" + above);
        assertThat(problem(statement().setCurrentLiabilitiesMinor(OVER))).isEqualTo("currentLiabilitiesMinor" + above);
        assertThat(problem(statement().setRevenueMinor(OVER))).isEqualTo("revenueMinor" + above);
        assertThat(problem(statement().setNetProfitMinor(-OVER))).isEqualTo("netProfitMinor" + outside + -OVER);
        assertThat(problem(statement().setOperatingCashFlowMinor(OVER))).isEqualTo("operatingCashFlowMinor" + outside + OVER);
        assertThat(problem(CollateralValuation.newBuilder(Samples.collateralValuation()).setValueMinor(OVER))).isEqualTo("valueMinor" + above);
        assertThat(problem(GroupLimit.newBuilder(Samples.groupLimit()).setLimitMinor(OVER))).isEqualTo("limitMinor" + above);
    }

    @Test
    void refusesNegativeMoneyNamingTheFieldAndTheValue() {
        assertThat(problem(profileWith(facility().setLimitMinor(-5L)))).isEqualTo("facilities[1].limitMinor must not be negative; got -5");
        assertThat(problem(profileWith(facility().setDrawnMinor(-5L)))).isEqualTo("facilities[1].drawnMinor must not be negative; got -5");
        assertThat(problem(statement().setRevenueMinor(-1L))).isEqualTo("revenueMinor must not be negative; got -1");
        assertThat(problem(RepaymentEvent.newBuilder(Samples.repayment()).setAmountPaidMinor(-1L)))
                .isEqualTo("amountPaidMinor must not be negative; got -1");
        assertThat(problem(lawsuit(-1L).setCurrency("CNY"))).isEqualTo("amountMinor must not be negative; got -1");
        assertThat(problem(GroupLimit.newBuilder(Samples.groupLimit()).setLimitMinor(-1L))).isEqualTo("limitMinor must not be negative; got -1");
    }

    @Test
    void namesTheFieldPathOfEveryOtherProblem() {
        assertThat(problem(profileWith(facility().setFacilityId(" ")))).isEqualTo("missing facilities[1].facilityId");
        assertThat(problem(profileWith(facility().setMaturityDate(LocalDate.parse("2020-01-01")))))
                .isEqualTo("facilities[1].maturityDate 2020-01-01 is before facilities[1].startDate 2025-09-01");
        assertThat(problem(transaction().setEventId(""))).isEqualTo("missing eventId");
        assertThat(problem(statement().setStatementId(""))).isEqualTo("missing statementId");
        assertThat(problem(CollateralValuation.newBuilder(Samples.collateralValuation()).setValuationId(""))).isEqualTo("missing valuationId");
        assertThat(problem(RepaymentEvent.newBuilder(Samples.repayment()).setKind(RepaymentKind.REVERSED).setAmountPaidMinor(0L)))
                .isEqualTo("amountPaidMinor must be above 0 on a REVERSED step; got 0");
    }

    @Test
    void aBankOnOneToTenHasProfilesOffItsScaleRefusedNamingTheFieldTheValueAndTheScale() {
        String notOnIt = "' is not a grade of the internal scale (rating.internal-scale): 1, 2, 3, 4, 5, 6, 7, 8, 9, 10";

        assertThat(EventValidator.problem(rated("11"), ONE_TO_TEN)).isEqualTo("internalRating: '11" + notOnIt);
        assertThat(EventValidator.problem(rated("BBB"), ONE_TO_TEN)).isEqualTo("internalRating: 'BBB" + notOnIt);
        assertThat(EventValidator.problem(rated("0"), ONE_TO_TEN)).isEqualTo("internalRating: '0" + notOnIt);
        for (String grade : ONE_TO_TEN.grades()) {
            assertThat(EventValidator.problem(rated(grade), ONE_TO_TEN)).as(grade).isNull();
        }
    }

    @Test
    void onTheDefaultLetterScaleProfilesAreJudgedAsBefore() {
        assertThat(EventValidator.problem(rated("BBB+"), RatingScale.LETTERS)).isNull();
        assertThat(EventValidator.problem(rated("bbb+"), RatingScale.LETTERS)).isNull();
        assertThat(EventValidator.problem(rated("D"), RatingScale.LETTERS)).isNull();
        assertThat(EventValidator.problem(rated("7"), RatingScale.LETTERS)).isEqualTo("internalRating: '7' is not a grade of the internal "
                + "scale (rating.internal-scale): AAA, AA+, AA, AA-, A+, A, A-, BBB+, BBB, BBB-, BB+, BB, BB-, B+, B, B-, CCC+, CCC, "
                + "CCC-, CC, C, D");
    }

    @Test
    void bureauRatingsStayOnTheAgenciesLetterScaleWhateverTheBanksOwn() {
        CreditEvent downgrade = CreditEvent.newBuilder(Samples.creditEvent()).setPreviousRating("BBB").setNewRating("BB-").build();
        CreditEvent onTheBanksScale = CreditEvent.newBuilder(downgrade).setNewRating("7").build();

        assertThat(EventValidator.problem(downgrade, ONE_TO_TEN)).isNull();
        assertThat(EventValidator.problem(onTheBanksScale, ONE_TO_TEN)).isEqualTo("newRating '7' is not a grade of the AAA..D scale");
    }

    @Test
    void eventsMdStatesTheBoundAndHowManyCurrenciesAreActive() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "events.md"));

        assertThat(doc).contains("(`EventValidator.MAX_AMOUNT_MINOR`, " + BOUND + ")")
                .contains("holds one of the " + Currencies.active().size() + " codes");
    }

    private static String currencyProblem(String code) {
        return problem(transaction().setCurrency(code));
    }

    @Test
    void aStatementLineThatCannotBeNegativeRefusesTheStatementNamingTheLineAndValue() {
        assertThat(problem(statement().setInventoriesMinor(-5L))).isEqualTo("inventoriesMinor must not be negative; got -5");
        assertThat(problem(statement().setCashAndEquivalentsMinor(-1L))).isEqualTo("cashAndEquivalentsMinor must not be negative; got -1");
        assertThat(problem(statement().setReceivablesMinor(-2L))).isEqualTo("receivablesMinor must not be negative; got -2");
        assertThat(problem(statement().setShortTermDebtMinor(-3L))).isEqualTo("shortTermDebtMinor must not be negative; got -3");
        assertThat(problem(statement().setLongTermDebtMinor(-4L))).isEqualTo("longTermDebtMinor must not be negative; got -4");
        assertThat(problem(statement().setInterestExpenseMinor(-6L))).isEqualTo("interestExpenseMinor must not be negative; got -6");
        assertThat(problem(statement().setCapitalExpenditureMinor(-7L))).isEqualTo("capitalExpenditureMinor must not be negative; got -7");
        assertThat(problem(statement().setTotalAssetsMinor(-8L))).isEqualTo("totalAssetsMinor must not be negative; got -8");
        assertThat(problem(statement().setRevenueMinor(-9L))).isEqualTo("revenueMinor must not be negative; got -9");
    }

    @Test
    void equityProfitsAndCashFlowMayBeNegative() {
        assertThat(problem(statement().setTotalEquityMinor(-500L).setOperatingProfitMinor(-40L).setEbitdaMinor(-10L)
                .setNetProfitMinor(-60L).setOperatingCashFlowMinor(-70L))).isNull();
        assertThat(problem(statement().setTotalEquityMinor(-OVER)))
                .isEqualTo("totalEquityMinor must lie between -" + BOUND + " and " + BOUND + " minor units; got -" + OVER);
    }

    @Test
    void unknownLinesAreNullOrNamedAsUnknown() {
        assertThat(problem(statement().setTotalEquityMinor(null).setInventoriesMinor(null))).isNull();
        assertThat(problem(statement().setTotalLiabilitiesMinor(0).setUnknownAmounts(List.of("totalLiabilitiesMinor")))).isNull();
    }

    @Test
    void anAmountDeclaredUnknownMustBeSentAsZeroAndBeOneOfTheRequiredOnes() {
        assertThat(problem(statement().setUnknownAmounts(List.of("totalLiabilitiesMinor"))))
                .startsWith("unknownAmounts[0] names totalLiabilitiesMinor, which must then be sent as 0; got ");
        assertThat(problem(statement().setUnknownAmounts(List.of("totalEquityMinor"))))
                .startsWith("unknownAmounts[0]: 'totalEquityMinor' is not one of totalAssetsMinor, totalLiabilitiesMinor,")
                .endsWith("(the other lines are left null when unknown)");
        assertThat(problem(statement().setUnknownAmounts(List.of("ebitda"))))
                .startsWith("unknownAmounts[0]: 'ebitda' is not one of");
    }

    private static String problem(org.apache.avro.data.RecordBuilder<? extends SpecificRecordBase> builder) {
        return EventValidator.problem(builder.build(), RatingScale.LETTERS);
    }

    private static BorrowerProfile rated(String internalRating) {
        return BorrowerProfile.newBuilder(Samples.borrowerProfile()).setInternalRating(internalRating).build();
    }

    private static TransactionEvent.Builder transaction() {
        return TransactionEvent.newBuilder(Samples.transaction());
    }

    private static CreditEvent.Builder lawsuit(long amountMinor) {
        return CreditEvent.newBuilder(Samples.creditEvent()).setKind(CreditEventKind.LAWSUIT).setPreviousRating(null)
                .setNewRating(null).setAmountMinor(amountMinor);
    }

    private static FinancialStatement.Builder statement() {
        return FinancialStatement.newBuilder(Samples.financialStatement());
    }

    /** A second facility beside the sample's, so that paths show the index. */
    private static Facility.Builder facility() {
        return Facility.newBuilder(Samples.borrowerProfile().getFacilities().get(0)).setFacilityId("F-1001-B");
    }

    private static BorrowerProfile.Builder profileWith(Facility.Builder second) {
        BorrowerProfile sample = Samples.borrowerProfile();
        return BorrowerProfile.newBuilder(sample).setFacilities(List.of(sample.getFacilities().get(0), second.build()));
    }
}
