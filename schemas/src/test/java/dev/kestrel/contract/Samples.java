package dev.kestrel.contract;

import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.CeilingLevels;
import dev.kestrel.events.CoverLevels;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.ForecastPeriod;
import dev.kestrel.events.MilestoneKind;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.ProjectSector;
import dev.kestrel.events.ProjectStage;
import dev.kestrel.events.ReserveRequirement;
import dev.kestrel.events.Sponsor;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertExplanation;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.Channel;
import dev.kestrel.events.Clause;
import dev.kestrel.events.ClauseGroup;
import dev.kestrel.events.CollateralKind;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.Direction;
import dev.kestrel.events.Escalation;
import dev.kestrel.events.EventReference;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FacilityStatus;
import dev.kestrel.events.FacilityType;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GradeThreshold;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupMemberStatus;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.InstalmentState;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.IndicatorReading;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.IndicatorValue;
import dev.kestrel.events.LimitAction;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitDecisionAction;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.LoanCategory;
import dev.kestrel.events.OpenAlert;
import dev.kestrel.events.PeriodType;
import dev.kestrel.events.RatingBand;
import dev.kestrel.events.RatingTier;
import dev.kestrel.events.RecommendationBasis;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.ReviewKind;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.ScoreBin;
import dev.kestrel.events.ScoreContribution;
import dev.kestrel.events.ScoreFactor;
import dev.kestrel.events.ScoreScaling;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.Severity;
import dev.kestrel.events.SmaClass;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionSource;
import dev.kestrel.events.VersionStatus;
import dev.kestrel.events.VersionedKind;
import dev.kestrel.events.WatchGrade;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/** One realistic, valid record of every top-level type, at fixed instants; docs/events.md shows the same ones. */
public final class Samples {
    public static final Instant T0 = Instant.parse("2026-03-02T09:15:00Z");

    private Samples() {}

    public static List<SpecificRecordBase> oneOfEach() {
        return List.of(transaction(), repayment(), creditEvent(), borrowerProfile(), financialStatement(),
                collateralValuation(), groupLimit(), fxRate(), rule(), scorecard(), alert(), borrowerRiskSnapshot(), instalmentStatus(), borrowerScore(),
                groupRiskSnapshot(),
                limitRecommendation(), limitDecision(), borrowerReview(), project(), projectMilestone(), cashFlowForecast(),
                facilityCovenants(), ruleVersionStatus(), deadLetter());
    }

    /** A hydropower project company under construction, financed by one senior loan. */
    public static Project project() {
        return Project.newBuilder()
                .setProjectId("PRJ-2001").setBorrowerId("B-2001").setName("Jinsha River 1.2 GW hydropower station")
                .setSector(ProjectSector.RENEWABLES).setStage(ProjectStage.CONSTRUCTION).setCurrency("CNY")
                .setTotalInvestmentMinor(480_000_000_000L)
                .setSponsors(List.of(
                        Sponsor.newBuilder().setSponsorId("SP-YEI").setName("Yunnan Energy Investment Group").setBorrowerId("B-3001")
                                .setShareBasisPoints(6_000).build(),
                        Sponsor.newBuilder().setSponsorId("SP-HDC").setName("Huadian Construction Partners").setBorrowerId(null)
                                .setShareBasisPoints(4_000).build()))
                .setFinancialCloseDate(LocalDate.parse("2025-06-30")).setScheduledCodDate(LocalDate.parse("2027-12-31"))
                .setFirstDebtServiceDate(LocalDate.parse("2028-06-30")).setFacilityIds(List.of("F-2001-SENIOR"))
                .setRevenueAccountId("ACC-2001-REV").setEventTime(T0)
                .build();
    }

    public static ProjectMilestone projectMilestone() {
        return ProjectMilestone.newBuilder()
                .setReportId("MS-2001-TURBINE-HALL-2026-03").setBorrowerId("B-2001").setProjectId("PRJ-2001")
                .setMilestoneId("TURBINE-HALL").setName("Turbine hall roofed").setKind(MilestoneKind.CONSTRUCTION)
                .setPlannedDate(LocalDate.parse("2026-02-28")).setExpectedDate(LocalDate.parse("2026-04-15")).setActualDate(null)
                .setPercentCompleteBasisPoints(8_200).setEventTime(T0)
                .build();
    }

    public static CashFlowForecast cashFlowForecast() {
        return CashFlowForecast.newBuilder()
                .setForecastId("FM-2001-2026-02").setBorrowerId("B-2001").setProjectId("PRJ-2001")
                .setModelDate(LocalDate.parse("2026-02-20")).setCurrency("CNY").setDiscountRateBasisPoints(520)
                .setPeriods(List.of(
                        ForecastPeriod.newBuilder().setPeriodStart(LocalDate.parse("2028-01-01")).setPeriodEnd(LocalDate.parse("2028-06-30"))
                                .setRevenueMinor(31_000_000_000L).setOperatingCostMinor(6_000_000_000L).setCapexMinor(500_000_000L)
                                .setDebtServiceMinor(18_000_000_000L).build(),
                        ForecastPeriod.newBuilder().setPeriodStart(LocalDate.parse("2028-07-01")).setPeriodEnd(LocalDate.parse("2028-12-31"))
                                .setRevenueMinor(29_000_000_000L).setOperatingCostMinor(6_200_000_000L).setCapexMinor(500_000_000L)
                                .setDebtServiceMinor(17_800_000_000L).build()))
                .setEventTime(T0)
                .build();
    }

    public static FacilityCovenants facilityCovenants() {
        return FacilityCovenants.newBuilder()
                .setBorrowerId("B-2001").setFacilityId("F-2001-SENIOR").setProjectId("PRJ-2001")
                .setEffectiveDate(LocalDate.parse("2028-06-30"))
                .setHistoricDscr(CoverLevels.newBuilder().setLockUpBasisPoints(12_000).setDefaultBasisPoints(10_500).build())
                .setProjectedDscr(CoverLevels.newBuilder().setLockUpBasisPoints(12_000).setDefaultBasisPoints(null).build())
                .setLlcr(CoverLevels.newBuilder().setLockUpBasisPoints(13_000).setDefaultBasisPoints(11_000).build())
                .setMaxDebtToEquity(CeilingLevels.newBuilder().setLockUpBasisPoints(null).setDefaultBasisPoints(23_300).build())
                .setDsra(ReserveRequirement.newBuilder().setAccountId("ACC-2001-DSRA").setMonths(6).build())
                .setEventTime(T0)
                .build();
    }

    public static TransactionEvent transaction() {
        return TransactionEvent.newBuilder()
                .setEventId("TX-20260302-000117").setBorrowerId("B-1001").setAccountId("ACC-1001-01")
                .setFacilityId(null).setDirection(Direction.DEBIT).setKind(TransactionKind.TRANSFER)
                .setAmountMinor(48_500_000L).setCurrency("CNY").setChannel(Channel.ONLINE)
                .setCounterpartyId("CP-7f3a9c").setCounterpartyName("Huadong Steel Trading Co.")
                .setPurpose("raw material prepayment").setBalanceAfterMinor(1_250_000L).setEventTime(T0)
                .build();
    }

    public static RepaymentEvent repayment() {
        return RepaymentEvent.newBuilder()
                .setEventId("RP-F-1001-A-07-MISSED").setBorrowerId("B-1001").setFacilityId("F-1001-A")
                .setInstalmentId("07").setKind(RepaymentKind.MISSED).setScheduleDate(LocalDate.parse("2025-09-01"))
                .setDueDate(LocalDate.parse("2026-03-01")).setAmountDueMinor(12_000_000L).setPrincipalMinor(10_000_000L)
                .setAmountPaidMinor(0L).setCurrency("CNY").setEventTime(T0)
                .build();
    }

    public static CreditEvent creditEvent() {
        return CreditEvent.newBuilder()
                .setEventId("CE-PBOC-88231").setBorrowerId("B-1001").setKind(CreditEventKind.RATING_CHANGE)
                .setSource("Credit Reference Center").setReference("CRC-2026-0302-88231")
                .setPreviousRating("BBB+").setNewRating("BB").setAmountMinor(null).setCurrency(null)
                .setDescription("Rating lowered after loss year").setEventTime(T0)
                .build();
    }

    public static BorrowerProfile borrowerProfile() {
        return BorrowerProfile.newBuilder()
                .setBorrowerId("B-1001").setName("Jiangnan Precision Machinery Co., Ltd.")
                .setUnifiedSocialCreditCode("91310000MA1K4C1234").setLegalRepresentativeName("Wang Lei")
                .setLegalRepresentativeIdNumber("310101198001011234").setLegalRepresentativePhone("13812345678")
                .setIndustry("C").setRegion("CN-SH").setGroupId("G-17").setInternalRating("BBB+")
                .setSegment(CustomerSegment.MID_CORPORATE)
                .setFacilities(List.of(Facility.newBuilder()
                        .setFacilityId("F-1001-A").setType(FacilityType.TERM_LOAN).setCurrency("CNY")
                        .setLimitMinor(5_000_000_000L).setDrawnMinor(3_200_000_000L)
                        .setStartDate(LocalDate.parse("2025-09-01")).setMaturityDate(LocalDate.parse("2030-09-01"))
                        .build()))
                .setEventTime(T0)
                .build();
    }

    public static FinancialStatement financialStatement() {
        return FinancialStatement.newBuilder()
                .setStatementId("FS-B-1001-2025Q4").setBorrowerId("B-1001").setPeriodType(PeriodType.QUARTER)
                .setPeriodStart(LocalDate.parse("2025-10-01")).setPeriodEnd(LocalDate.parse("2025-12-31"))
                .setAudited(false).setCurrency("CNY")
                .setTotalAssetsMinor(120_000_000_000L).setTotalLiabilitiesMinor(86_000_000_000L)
                .setCurrentAssetsMinor(41_000_000_000L).setCurrentLiabilitiesMinor(45_000_000_000L)
                .setRevenueMinor(18_000_000_000L).setNetProfitMinor(-900_000_000L)
                .setOperatingCashFlowMinor(-1_200_000_000L).setTotalEquityMinor(34_000_000_000L)
                .setCashAndEquivalentsMinor(6_500_000_000L).setInventoriesMinor(15_000_000_000L)
                .setShortTermDebtMinor(21_000_000_000L).setLongTermDebtMinor(30_000_000_000L)
                .setOperatingProfitMinor(-350_000_000L).setInterestExpenseMinor(640_000_000L).setEventTime(T0)
                .build();
    }

    public static CollateralValuation collateralValuation() {
        return CollateralValuation.newBuilder()
                .setValuationId("CV-2026-0045").setCollateralId("COL-1001-1").setBorrowerId("B-1001")
                .setFacilityId("F-1001-A").setKind(CollateralKind.REAL_ESTATE).setValueMinor(3_600_000_000L)
                .setCurrency("CNY").setHaircutBasisPoints(3000).setValuationDate(LocalDate.parse("2026-02-27"))
                .setValuer("Shanghai Appraisal Ltd.").setEventTime(T0)
                .build();
    }

    public static GroupLimit groupLimit() {
        return GroupLimit.newBuilder()
                .setGroupId("G-17").setGroupName("Jiangnan Industrial Group").setLimitMinor(20_000_000_000L)
                .setCurrency("CNY").setEffectiveDate(LocalDate.parse("2026-01-01")).setEventTime(T0)
                .build();
    }

    public static FxRate fxRate() {
        return FxRate.newBuilder()
                .setEventId("FX-ECB-20260302-CNY").setBaseCurrency("EUR").setQuoteCurrency("CNY").setRate("7.8123")
                .setSource("ECB euro foreign exchange reference rates").setEventTime(Instant.parse("2026-03-02T15:00:00Z"))
                .build();
    }

    public static Rule rule() {
        return Rule.newBuilder()
                .setRuleId("REPAY-DPD-30").setVersion(1).setEnabled(true).setScope(AlertScope.BORROWER)
                .setCategory(AlertCategory.REPAYMENT).setSeverity(Severity.MEDIUM)
                .setTitle("Material arrears over 30 days")
                .setRationale("Over 30 days past due is IFRS 9's backstop for a significant increase in credit risk.")
                .setCondition(condition("materialDaysPastDue", Comparison.GT, 30, 25L))
                .setEscalations(List.of(
                        Escalation.newBuilder().setSeverity(Severity.HIGH).setCondition(condition("materialDaysPastDue", Comparison.GT, 60, null)).build(),
                        Escalation.newBuilder().setSeverity(Severity.CRITICAL).setCondition(condition("materialDaysPastDue", Comparison.GT, 90, null)).build()))
                .setPublishedBy("risk.admin").setPublishedAt(T0)
                .build();
    }

    private static RuleCondition condition(String indicator, Comparison comparison, long threshold, Long clearThreshold) {
        Clause clause = Clause.newBuilder().setIndicator(indicator).setComparison(comparison)
                .setThreshold(threshold).setClearThreshold(clearThreshold).build();
        return RuleCondition.newBuilder().setAnyOf(List.of(ClauseGroup.newBuilder().setAllOf(List.of(clause)).build())).build();
    }

    public static Scorecard scorecard() {
        return Scorecard.newBuilder()
                .setScorecardId("KESTREL-DEFAULT").setVersion(2).setTitle("Kestrel default early-warning scorecard")
                .setRationale("Expert-set points for the early-warning signals of EBA/GL/2020/06 section 8.5; see docs/scorecard.md.")
                .setBasePoints(200)
                .setScaling(new ScoreScaling(200, 50, 20))
                .setFactors(List.of(
                        ScoreFactor.newBuilder().setFactorId("ARREARS").setTitle("Days past due")
                                .setRationale("Arrears are the strongest predictor of default; 30 days is IFRS 9's backstop.")
                                .setIndicator("daysPastDue").setRuleId(null)
                                .setBins(List.of(new ScoreBin(null, 1L, 0, "none"), new ScoreBin(1L, 31L, 50, "1 to 30 days"),
                                        new ScoreBin(31L, 91L, 110, "31 to 90 days"), new ScoreBin(91L, null, 135, "over 90 days")))
                                .setUnknownPoints(10).setNotApplicablePoints(0).build(),
                        ScoreFactor.newBuilder().setFactorId("CASH_STRESS").setTitle("Cash-flow stress alert")
                                .setRationale("Receipts falling while spending holds is a combination no single indicator shows.")
                                .setIndicator(null).setRuleId("CF-STRESS")
                                .setBins(List.of(new ScoreBin(null, 1L, 0, "no alert"), new ScoreBin(1L, null, 20, "alert open")))
                                .setUnknownPoints(0).setNotApplicablePoints(0).build()))
                .setGrades(List.of(new GradeThreshold(WatchGrade.AMBER, 270, 255), new GradeThreshold(WatchGrade.RED, 320, 300),
                        new GradeThreshold(WatchGrade.BLACK, 370, 350)))
                .setMinimumStayDays(90).setCoreMaxPdBasisPoints(56)
                .setRatingBands(List.of(new RatingBand("A", 10), new RatingBand("BBB", 56), new RatingBand("BB", 208),
                        new RatingBand("B", 776), new RatingBand("CCC", 4000), new RatingBand("D", 10000)))
                .setPublishedBy("risk.officer@bank.example").setPublishedAt(T0)
                .build();
    }

    public static BorrowerScore borrowerScore() {
        return BorrowerScore.newBuilder()
                .setBorrowerId("B-1001").setGroupId("G-17").setScorecardId("KESTREL-DEFAULT").setScorecardVersion(2)
                .setScore(295).setPreviousScore(250).setPdBasisPoints(1191).setGrade(WatchGrade.AMBER).setPreviousGrade(WatchGrade.GREEN)
                .setGradeSince(T0).setSegment(RiskSegment.RISK_WATCH).setInternalRating("BBB").setSuggestedRating("CCC")
                .setFactors(List.of(
                        ScoreContribution.newBuilder().setFactorId("ARREARS").setTitle("Days past due").setIndicator("daysPastDue")
                                .setRuleId(null).setValue(35L).setUnit(IndicatorUnit.DAYS).setCurrency(null).setBin("31 to 90 days")
                                .setPoints(110).setObservedAt(T0)
                                .setEvidence(List.of(new EventReference("RP-20260125-000031", "RepaymentEvent",
                                        Instant.parse("2026-01-25T00:00:00Z")))).build(),
                        ScoreContribution.newBuilder().setFactorId("CASH_STRESS").setTitle("Cash-flow stress alert").setIndicator(null)
                                .setRuleId("CF-STRESS").setValue(0L).setUnit(IndicatorUnit.COUNT).setCurrency(null).setBin("no alert")
                                .setPoints(0).setObservedAt(T0).setEvidence(List.of()).build()))
                .setEventTime(T0).setDetectedAt(Instant.parse("2026-03-02T09:15:00.120Z"))
                .build();
    }

    public static Alert alert() {
        return Alert.newBuilder()
                .setAlertId("a-3f1c2e9b7d5a4c60").setLifecycle(AlertLifecycle.OPENED).setScope(AlertScope.BORROWER)
                .setBorrowerId("B-1001").setGroupId("G-17").setRuleId("REPAY-DPD-30").setRuleVersion(1)
                .setCategory(AlertCategory.REPAYMENT).setSeverity(Severity.MEDIUM)
                .setTitle("Material arrears over 30 days")
                .setExplanation(AlertExplanation.newBuilder()
                        .setSummary("Days past due 31 > 30 on facility F-1001-A; overdue CNY 120,000.00 is above the materiality floor.")
                        .setInputs(List.of(IndicatorReading.newBuilder()
                                .setIndicator("materialDaysPastDue").setUnit(IndicatorUnit.DAYS).setValue(31L)
                                .setPreviousValue(30L).setComparison(">").setThreshold(30L).setCurrency(null)
                                .setObservedAt(T0).build()))
                        .setTriggeringEvents(List.of(EventReference.newBuilder()
                                .setEventId("RP-F-1001-A-07-MISSED").setEventType("RepaymentEvent").setEventTime(T0).build()))
                        .build())
                .setEpisodeStartedAt(T0).setEventTime(T0).setDetectedAt(T0.plusMillis(42))
                .build();
    }

    public static BorrowerRiskSnapshot borrowerRiskSnapshot() {
        return BorrowerRiskSnapshot.newBuilder()
                .setBorrowerId("B-1001").setGroupId("G-17").setAsOf(T0).setInternalRating("BBB+")
                .setRatingTier(RatingTier.INVESTMENT_GRADE).setSegment(RiskSegment.RISK_WATCH)
                .setIfrs9Stage(2).setLoanCategory(LoanCategory.SPECIAL_MENTION).setSmaClass(SmaClass.SMA_1)
                .setInDefault(false).setDaysPastDue(31).setDrawnMinor(3_200_000_000L).setLimitMinor(5_000_000_000L)
                .setCurrency("CNY")
                .setFacilities(List.of(FacilityStatus.newBuilder().setFacilityId("F-1001-A").setLimitMinor(5_000_000_000L)
                        .setDrawnMinor(3_200_000_000L).setDaysPastDue(31).setOverdueMinor(12_000_000L).setCurrency("CNY")
                        .setSecured(true).setCollateralLendingValueMinor(2_100_000_000L)
                        .setUtilisationBasisPoints(6_400L).setLoanToValueBasisPoints(15_238L).build()))
                .setIndicators(List.of(
                        IndicatorValue.newBuilder().setIndicator("daysPastDue").setUnit(IndicatorUnit.DAYS).setValue(31L).setObservedAt(T0).build(),
                        IndicatorValue.newBuilder().setIndicator("limitUtilisation").setUnit(IndicatorUnit.BASIS_POINTS).setValue(6400L).setObservedAt(T0).build()))
                .setOpenAlerts(List.of(OpenAlert.newBuilder()
                        .setAlertId("a-3f1c2e9b7d5a4c60").setRuleId("REPAY-DPD-30").setSeverity(Severity.MEDIUM).build()))
                .setLastReviewDate(LocalDate.parse("2025-12-10")).setReviewDueDate(LocalDate.parse("2026-03-10"))
                .build();
    }

    public static GroupRiskSnapshot groupRiskSnapshot() {
        return GroupRiskSnapshot.newBuilder()
                .setGroupId("G-17").setGroupName("Huadong Industrial Group").setAsOf(T0).setCurrency("CNY")
                .setLimitMinor(20_000_000_000L).setDrawnMinor(18_400_000_000L).setUtilisationBasisPoints(9200L)
                .setDistressedMembers(1).setNonPerformingMembers(1).setWorstLoanCategory(LoanCategory.SUBSTANDARD)
                .setMembers(List.of(
                        GroupMemberStatus.newBuilder().setBorrowerId("B-1001").setDrawnMinor(3_200_000_000L)
                                .setLimitMinor(5_000_000_000L).setCurrency("CNY").setLoanCategory(LoanCategory.SUBSTANDARD)
                                .setDaysPastDue(95).setInDefault(true).setNonPerforming(true).setCriticalAlertRules(List.of("REPAY-DEFAULT"))
                                .setScore(395).setWatchGrade(WatchGrade.BLACK).setMaterial(true).setAsOf(T0).build(),
                        GroupMemberStatus.newBuilder().setBorrowerId("B-1002").setDrawnMinor(15_200_000_000L)
                                .setLimitMinor(15_000_000_000L).setCurrency("CNY").setLoanCategory(LoanCategory.NORMAL)
                                .setDaysPastDue(0).setInDefault(false).setNonPerforming(false).setCriticalAlertRules(List.of())
                                .setScore(215).setWatchGrade(WatchGrade.GREEN).setMaterial(true).setAsOf(T0).build()))
                // B-1001 draws 17% of the group: material, so its BLACK is the group's; (3.2 x 395 + 15.2 x 215) / 18.4 = 246
                .setWatchGrade(WatchGrade.BLACK).setWatchGradeMemberId("B-1001").setExposureWeightedScore(246).setScoredMembers(2)
                .setOpenAlerts(List.of(
                        OpenAlert.newBuilder().setAlertId("7c0b1d9e-2f43-3a8e-9d51-0c6f3e2a1b44").setRuleId("GRP-CONTAGION").setSeverity(Severity.HIGH).build(),
                        OpenAlert.newBuilder().setAlertId("1e9a7f02-5b6c-3d11-8e4f-9a2b7c3d5e60").setRuleId("GRP-LIMIT-NEAR").setSeverity(Severity.MEDIUM).build()))
                .build();
    }

    public static LimitRecommendation limitRecommendation() {
        return LimitRecommendation.newBuilder()
                .setRecommendationId("5d2c8a41-7e3f-3b90-a6d2-4f1e8c9b0a37").setScope(AlertScope.BORROWER)
                .setBorrowerId("B-1002").setGroupId("G-17").setAction(LimitAction.REDUCE_LIMIT).setReductionBasisPoints(2000)
                .setSeverity(Severity.HIGH)
                .setReason("Cut the limit by 20% while severe alerts are open: Group member non-performing: the other members are at risk (HIGH).")
                .setAlerts(List.of(RecommendationBasis.newBuilder().setAlertId("0a4e6c1f-93b2-3e57-8c0d-2b7f5a9e1d36")
                        .setRuleId("GRP-CONTAGION").setSeverity(Severity.HIGH)
                        .setTitle("Group member non-performing: the other members are at risk").build()))
                .setEventTime(T0).setDetectedAt(T0.plusMillis(42))
                .build();
    }

    /** The desk's answer to {@link #limitRecommendation()}: the owner proposed a cut, a supervisor approved it. */
    public static LimitDecision limitDecision() {
        return LimitDecision.newBuilder()
                .setDecisionId("LD-8f3b2a17-4c6e-4d1a-9b58-0e7c2f4a6d91").setScope(AlertScope.BORROWER).setBorrowerId("B-1002")
                .setGroupId(null).setAction(LimitDecisionAction.REDUCE_LIMIT).setLimitMinor(4_000_000_000L).setCurrency("CNY")
                .setRecommendationId("5d2c8a41-7e3f-3b90-a6d2-4f1e8c9b0a37")
                .setReason("Cut from CNY 50m to 40m while the group's contagion alert is open; agreed with the borrower's CFO.")
                .setProposedBy("ana").setProposedAt(T0.plusSeconds(3_600)).setApprovedBy("sue").setApprovedAt(T0.plusSeconds(7_200))
                .build();
    }

    /** The engine's word on the instalment of {@link #repayment()}: missed, one day past due. */
    public static InstalmentStatus instalmentStatus() {
        return InstalmentStatus.newBuilder()
                .setBorrowerId("B-1001").setFacilityId("F-1001-A").setInstalmentId("07").setStatus(InstalmentState.PAST_DUE)
                .setDueDate(LocalDate.parse("2026-03-01")).setCurrency("CNY").setAmountDueMinor(12_000_000L).setAmountPaidMinor(0L)
                .setSettledOn(null).setDaysLate(1).setAsOf(LocalDate.parse("2026-03-02")).setEventId("RP-F-1001-A-07-MISSED")
                .setEventTime(T0)
                .build();
    }

    public static RuleVersionStatus ruleVersionStatus() {
        return RuleVersionStatus.newBuilder()
                .setKind(VersionedKind.RULE).setId("CF-INFLOW-DROP").setVersion(2).setStatus(VersionStatus.IN_FORCE)
                .setSource(VersionSource.PUBLISHED).setInForceFrom(T0).setReason(null)
                .setRunning(VersionRunning.newBuilder().setVersion(2).setSource(VersionSource.PUBLISHED).setInForceFrom(T0).build())
                .build();
    }

    public static BorrowerReview borrowerReview() {
        return BorrowerReview.newBuilder()
                .setEventId("RV-3c9e1f52-8a4d-4b7e-a0f6-2d5b9c8e7a14").setBorrowerId("B-1001").setKind(ReviewKind.SITE_VISIT)
                .setReviewDate(LocalDate.parse("2026-03-01"))
                .setFindings("Orders down a fifth on last year; receivables from two steel traders past 120 days. Repayment capacity holds "
                        + "while the Huadong contract pays; no new lending until the Q1 statement.")
                .setRatingInForce("BBB").setRatingConcluded("BB+").setNextReviewDate(LocalDate.parse("2026-04-01"))
                .setVisitNotes("Plant running one shift of two; finished stock fills half the yard.")
                .setCustomerFeedback("The CFO expects the export orders back in Q3 and asks to keep the working-capital line.")
                .setReviewedBy("ana").setEventTime(T0)
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("kestrel.transactions").setPartition(3).setOffset(1_882_113L)
                .setKey(ByteBuffer.wrap("B-1001".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setPayload(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01, 0x2A}))
                .setRecordType(null).setReasonCode(DeadLetterReason.UNDECODABLE)
                .setReason("not Avro single-object encoded: expected the marker C3 01 and an 8-byte schema fingerprint, got 3 bytes starting C3012A")
                .setFailedAt(T0)
                .build();
    }
}
