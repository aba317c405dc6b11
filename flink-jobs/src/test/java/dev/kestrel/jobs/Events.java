package dev.kestrel.jobs;

import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.CoverLevels;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.ForecastPeriod;
import dev.kestrel.events.MilestoneKind;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.ProjectSector;
import dev.kestrel.events.ProjectStage;
import dev.kestrel.jobs.risk.Days;
import dev.kestrel.events.ReviewKind;
import dev.kestrel.events.Channel;
import dev.kestrel.events.CollateralKind;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.Direction;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FacilityType;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.PeriodType;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small, readable fixtures: events on day N after 2026-01-01 (a fixed instant), at 10:00 UTC, in CNY.
 * Amounts are in yuan here and converted to fen (minor units).
 */
public final class Events {
    public static final LocalDate DAY_ZERO = LocalDate.parse("2026-01-01");
    private static final AtomicLong IDS = new AtomicLong();

    private Events() {}

    public static Instant at(int day) {
        return DAY_ZERO.plusDays(day).atTime(10, 0).toInstant(java.time.ZoneOffset.UTC);
    }

    public static LocalDate date(int day) {
        return DAY_ZERO.plusDays(day);
    }

    public static long yuan(long amount) {
        return amount * 100;
    }

    public static TransactionEvent.Builder transaction(String borrower, int day, Direction direction, long yuan) {
        return TransactionEvent.newBuilder()
                .setEventId("TX-" + borrower + "-" + IDS.incrementAndGet()).setBorrowerId(borrower).setAccountId("ACC-" + borrower)
                .setFacilityId(null).setDirection(direction).setKind(TransactionKind.TRANSFER).setAmountMinor(yuan(yuan))
                .setCurrency("CNY").setChannel(Channel.ONLINE).setCounterpartyId("CP-regular").setCounterpartyName(null)
                .setPurpose(null).setBalanceAfterMinor(null).setEventTime(at(day));
    }

    public static TransactionEvent inflow(String borrower, int day, long yuan) {
        return transaction(borrower, day, Direction.CREDIT, yuan).build();
    }

    public static TransactionEvent outflow(String borrower, int day, long yuan, String counterparty) {
        return transaction(borrower, day, Direction.DEBIT, yuan).setCounterpartyId(counterparty).build();
    }

    public static TransactionEvent disbursement(String borrower, int day, String facility, long yuan) {
        return transaction(borrower, day, Direction.CREDIT, yuan).setKind(TransactionKind.DISBURSEMENT)
                .setFacilityId(facility).setCounterpartyId("BANK").build();
    }

    public static RepaymentEvent instalment(String borrower, String facility, String instalment, RepaymentKind kind,
            int day, int dueDay, long dueYuan, long paidYuan) {
        return RepaymentEvent.newBuilder()
                .setEventId("RP-" + borrower + "-" + facility + "-" + instalment + "-" + kind + "-" + IDS.incrementAndGet())
                .setBorrowerId(borrower).setFacilityId(facility).setInstalmentId(instalment).setKind(kind)
                .setScheduleDate(kind == RepaymentKind.SCHEDULED ? date(Math.min(day, dueDay)) : null).setDueDate(date(dueDay))
                .setAmountDueMinor(yuan(dueYuan)).setPrincipalMinor(yuan(dueYuan * 8 / 10)).setAmountPaidMinor(yuan(paidYuan))
                .setCurrency("CNY").setEventTime(at(day))
                .build();
    }

    /** A servicing system's arrears report on a whole facility (RepaymentEvent v2), with an id fixed by borrower, facility and day. */
    public static RepaymentEvent servicingReport(String borrower, String facility, int day, int daysPastDue, long overdueYuan) {
        return RepaymentEvent.newBuilder(instalment(borrower, facility, "-", RepaymentKind.OVERDUE, day, day, 0, 0))
                .setEventId("SV-" + borrower + "-" + facility + "-" + day).setReportedDaysPastDue(daysPastDue)
                .setReportedOverdueMinor(yuan(overdueYuan)).build();
    }

    public static RepaymentEvent scheduled(String borrower, String facility, String instalment, int day, int dueDay, long yuan) {
        return instalment(borrower, facility, instalment, RepaymentKind.SCHEDULED, day, dueDay, yuan, 0);
    }

    public static RepaymentEvent paid(String borrower, String facility, String instalment, int day, int dueDay, long dueYuan, long paidYuan) {
        return instalment(borrower, facility, instalment, paidYuan >= dueYuan ? RepaymentKind.PAID : RepaymentKind.PARTIALLY_PAID,
                day, dueDay, dueYuan, paidYuan);
    }

    public static BorrowerProfile profile(String borrower, String group, int day, long limitYuan, long drawnYuan) {
        return profile(borrower, group, "C", "CN-SH", day, limitYuan, drawnYuan);
    }

    /** A profile with one facility {@code F-<borrower>}, in an industry and a region. */
    public static BorrowerProfile profile(String borrower, String group, String industry, String region, int day, long limitYuan,
            long drawnYuan) {
        return BorrowerProfile.newBuilder()
                .setBorrowerId(borrower).setName("Borrower " + borrower).setUnifiedSocialCreditCode("91310000MA1K4C0001")
                .setLegalRepresentativeName("Li Ming").setLegalRepresentativeIdNumber("310101198001010011")
                .setLegalRepresentativePhone("13800000001").setIndustry(industry).setRegion(region).setGroupId(group)
                .setInternalRating("BBB").setSegment(CustomerSegment.MID_CORPORATE)
                .setFacilities(List.of(Facility.newBuilder().setFacilityId("F-" + borrower).setType(FacilityType.TERM_LOAN)
                        .setCurrency("CNY").setLimitMinor(yuan(limitYuan)).setDrawnMinor(yuan(drawnYuan))
                        .setStartDate(date(-365)).setMaturityDate(date(1460)).build()))
                .setEventTime(at(day))
                .build();
    }

    /**
     * A profile with no facilities: the bank knows the borrower, for a test about something other than its limits. The
     * engine holds a borrower's live events until its profile has come (docs/early-warning-job.md).
     */
    public static BorrowerProfile bareProfile(String borrower, int day) {
        return BorrowerProfile.newBuilder(profile(borrower, null, day, 0, 0)).setFacilities(List.of()).build();
    }

    /** The same profile with every facility of {@code type} (profiles are made with term loans). */
    public static BorrowerProfile facilityType(BorrowerProfile profile, FacilityType type) {
        return BorrowerProfile.newBuilder(profile)
                .setFacilities(profile.getFacilities().stream().map(f -> Facility.newBuilder(f).setType(type).build()).toList())
                .build();
    }

    public static GroupLimit groupLimit(String group, int day, long limitYuan) {
        return GroupLimit.newBuilder().setGroupId(group).setGroupName("Group " + group).setLimitMinor(yuan(limitYuan))
                .setCurrency("CNY").setEffectiveDate(date(day)).setEventTime(at(day)).build();
    }

    public static FinancialStatement statement(String borrower, int receivedDay, LocalDate periodEnd, long assets, long liabilities,
            long currentAssets, long currentLiabilities, long revenue, long netProfit, long operatingCashFlow) {
        return FinancialStatement.newBuilder()
                .setStatementId("FS-" + borrower + "-" + periodEnd).setBorrowerId(borrower).setPeriodType(PeriodType.QUARTER)
                .setPeriodStart(periodEnd.minusMonths(3).plusDays(1)).setPeriodEnd(periodEnd).setAudited(false).setCurrency("CNY")
                .setTotalAssetsMinor(yuan(assets)).setTotalLiabilitiesMinor(yuan(liabilities))
                .setCurrentAssetsMinor(yuan(currentAssets)).setCurrentLiabilitiesMinor(yuan(currentLiabilities))
                .setRevenueMinor(yuan(revenue)).setNetProfitMinor(yuan(netProfit)).setOperatingCashFlowMinor(yuan(operatingCashFlow))
                .setEventTime(at(receivedDay))
                .build();
    }

    /** A year's statement to {@code periodEnd} with its operating cash flow and capex, as a project company reports. */
    public static FinancialStatement yearStatement(String borrower, int receivedDay, LocalDate periodEnd, long operatingCashFlowYuan,
            long capexYuan) {
        return FinancialStatement.newBuilder(statement(borrower, receivedDay, periodEnd, 500_000_000, 350_000_000, 20_000_000,
                        10_000_000, 60_000_000, 5_000_000, operatingCashFlowYuan))
                .setStatementId("FS-" + borrower + "-Y-" + periodEnd).setPeriodType(PeriodType.YEAR)
                .setPeriodStart(periodEnd.minusYears(1).plusDays(1)).setCapitalExpenditureMinor(yuan(capexYuan))
                .setTotalEquityMinor(yuan(150_000_000)).setShortTermDebtMinor(yuan(20_000_000)).setLongTermDebtMinor(yuan(300_000_000))
                .build();
    }

    /**
     * The project of project company {@code borrower}, financed by its facility {@code F-<borrower>}: CNY 100,000,000.00
     * budgeted, financial close a year before day 0, commercial operation scheduled for {@code codDay} (in operation
     * when that is before {@code day}, else under construction), the first repayment on {@code firstDebtServiceDay}.
     */
    public static Project project(String borrower, int day, int codDay, int firstDebtServiceDay) {
        return Project.newBuilder()
                .setProjectId("PRJ-" + borrower).setBorrowerId(borrower).setName("Project of " + borrower)
                .setSector(ProjectSector.RENEWABLES).setStage(codDay < day ? ProjectStage.OPERATION : ProjectStage.CONSTRUCTION).setCurrency("CNY")
                .setTotalInvestmentMinor(yuan(100_000_000)).setSponsors(List.of()).setFinancialCloseDate(date(Math.min(-365, codDay)))
                .setScheduledCodDate(date(codDay)).setFirstDebtServiceDate(firstDebtServiceDay == Days.NONE ? null : date(firstDebtServiceDay))
                .setFacilityIds(List.of("F-" + borrower)).setRevenueAccountId(null).setEventTime(at(day))
                .build();
    }

    /** A progress report on day {@code reportDay}: planned, expected (NONE once reached) and reached (NONE while not). */
    public static ProjectMilestone milestone(String borrower, String milestoneId, MilestoneKind kind, int plannedDay, int expectedDay,
            int actualDay, int percentComplete, int reportDay) {
        return ProjectMilestone.newBuilder()
                .setReportId("MS-" + IDS.incrementAndGet()).setBorrowerId(borrower).setProjectId("PRJ-" + borrower)
                .setMilestoneId(milestoneId).setName(milestoneId.toLowerCase(java.util.Locale.ROOT).replace('-', ' ')).setKind(kind)
                .setPlannedDate(date(plannedDay)).setExpectedDate(expectedDay == Days.NONE ? null : date(expectedDay))
                .setActualDate(actualDay == Days.NONE ? null : date(actualDay)).setPercentCompleteBasisPoints(percentComplete)
                .setEventTime(at(reportDay))
                .build();
    }

    /** A period of the model: {@code months} whole months from {@code start}, its amounts in yuan. */
    public static ForecastPeriod period(LocalDate start, int months, long revenueYuan, long operatingCostYuan, long capexYuan,
            long debtServiceYuan) {
        return ForecastPeriod.newBuilder().setPeriodStart(start).setPeriodEnd(start.plusMonths(months).minusDays(1))
                .setRevenueMinor(yuan(revenueYuan)).setOperatingCostMinor(yuan(operatingCostYuan)).setCapexMinor(yuan(capexYuan))
                .setDebtServiceMinor(yuan(debtServiceYuan)).build();
    }

    /** The base case delivered on {@code day}, discounting at {@code discountRateBasisPoints} a year. */
    public static CashFlowForecast forecast(String borrower, String forecastId, int day, int discountRateBasisPoints, ForecastPeriod... periods) {
        return CashFlowForecast.newBuilder()
                .setForecastId(forecastId).setBorrowerId(borrower).setProjectId("PRJ-" + borrower).setModelDate(date(day))
                .setCurrency("CNY").setDiscountRateBasisPoints(discountRateBasisPoints).setPeriods(List.of(periods))
                .setEventTime(at(day))
                .build();
    }

    /** The covenants of facility {@code F-<borrower>} from {@code effectiveDay}: historic DSCR and LLCR, lock-up and default. */
    public static FacilityCovenants covenants(String borrower, int day, int effectiveDay, int dscrLockUp, int dscrDefault,
            int llcrLockUp, int llcrDefault) {
        return FacilityCovenants.newBuilder()
                .setBorrowerId(borrower).setFacilityId("F-" + borrower).setProjectId("PRJ-" + borrower).setEffectiveDate(date(effectiveDay))
                .setHistoricDscr(CoverLevels.newBuilder().setLockUpBasisPoints(dscrLockUp).setDefaultBasisPoints(dscrDefault).build())
                .setProjectedDscr(null)
                .setLlcr(CoverLevels.newBuilder().setLockUpBasisPoints(llcrLockUp).setDefaultBasisPoints(llcrDefault).build())
                .setMaxDebtToEquity(null).setDsra(null).setEventTime(at(day))
                .build();
    }

    public static CreditEvent credit(String borrower, int day, CreditEventKind kind) {
        return CreditEvent.newBuilder()
                .setEventId("CE-" + borrower + "-" + IDS.incrementAndGet()).setBorrowerId(borrower).setKind(kind)
                .setSource("bureau").setReference("REF-" + IDS.get()).setPreviousRating(null).setNewRating(null)
                .setAmountMinor(null).setCurrency(null).setDescription(null).setEventTime(at(day))
                .build();
    }

    public static CreditEvent ratingChange(String borrower, int day, String from, String to) {
        return CreditEvent.newBuilder(credit(borrower, day, CreditEventKind.RATING_CHANGE)).setPreviousRating(from).setNewRating(to).build();
    }

    public static CollateralValuation valuation(String borrower, String facility, int day, long valueYuan, int haircutBasisPoints) {
        return CollateralValuation.newBuilder()
                .setValuationId("CV-" + IDS.incrementAndGet()).setCollateralId("COL-" + borrower).setBorrowerId(borrower)
                .setFacilityId(facility).setKind(CollateralKind.REAL_ESTATE).setValueMinor(yuan(valueYuan)).setCurrency("CNY")
                .setHaircutBasisPoints(haircutBasisPoints).setValuationDate(date(day)).setValuer(null).setEventTime(at(day))
                .build();
    }

    /**
     * A desk review of the borrower done on {@code reviewDay} and recorded at 10:00 on {@code recordedDay}, the next one
     * set for {@code nextDay} (a negative day: none set); unsigned, as the borrower stage takes it after the route.
     */
    public static BorrowerReview review(String borrower, String id, int reviewDay, int recordedDay, int nextDay) {
        return BorrowerReview.newBuilder().setEventId(id).setBorrowerId(borrower).setKind(ReviewKind.DESK_REVIEW)
                .setReviewDate(date(reviewDay)).setFindings("Accounts and repayments reviewed; business as planned.")
                .setRatingInForce("BBB").setRatingConcluded("BBB").setNextReviewDate(nextDay < 0 ? null : date(nextDay))
                .setReviewedBy("ana").setEventTime(at(recordedDay)).build();
    }

    public static BorrowerEvent wrap(org.apache.avro.specific.SpecificRecordBase record) {
        return BorrowerEvent.of(record);
    }
}
