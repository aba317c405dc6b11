package dev.kestrel.contract;

import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.CeilingLevels;
import dev.kestrel.events.CoverLevels;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.ForecastPeriod;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.Sponsor;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitDecisionAction;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.ReviewKind;
import dev.kestrel.events.TransactionEvent;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The business checks a decoded event must pass before it may touch a borrower's state. Avro already guarantees
 * types and required fields; these catch what a schema cannot say: blank ids, negative money, money beyond
 * {@link #MAX_AMOUNT_MINOR}, a currency that is not an active ISO 4217 currency, impossible dates, a rating that is not
 * a grade of its scale (the agencies' AAA..D for bureau ratings, the bank's configured scale for its internal rating). Each problem is
 * described by the field's path and the value sent, so the upstream team can fix the record.
 */
public final class EventValidator {
    /**
     * The largest magnitude of any money amount, in minor units: 10^17, a quadrillion units of a 2-decimal currency.
     * It must hold balance sheets, not only bookings: India's largest groups report total assets near 1.8 x 10^15
     * paise, Indonesia's large ones several 10^16 sen (10^15 would refuse both). It refuses garbage such as
     * {@code Long.MAX_VALUE} and leaves room for 92 amounts at the bound in a long; sums in state are exact besides,
     * so one that would overflow throws {@link ArithmeticException} instead of wrapping. docs/events.md states the
     * rule for producers.
     */
    public static final long MAX_AMOUNT_MINOR = 100_000_000_000_000_000L;
    private static final String BOUND = String.format(Locale.ROOT, "%,d", MAX_AMOUNT_MINOR);

    private EventValidator() {}

    /**
     * What is wrong with the record, or null when it may be used.
     *
     * @param internalScale the bank's rating scale, on which a profile's internalRating must be a grade
     */
    public static String problem(SpecificRecordBase record, RatingScale internalScale) {
        if (record instanceof TransactionEvent t) {
            return transaction(t);
        }
        if (record instanceof RepaymentEvent r) {
            return repayment(r);
        }
        if (record instanceof CreditEvent c) {
            return credit(c);
        }
        if (record instanceof BorrowerProfile p) {
            return profile(p, internalScale);
        }
        if (record instanceof FinancialStatement s) {
            return statement(s);
        }
        if (record instanceof CollateralValuation v) {
            return collateral(v);
        }
        if (record instanceof GroupLimit g) {
            return groupLimit(g);
        }
        if (record instanceof FxRate r) {
            return fxRate(r);
        }
        if (record instanceof LimitDecision d) {
            return limitDecision(d);
        }
        if (record instanceof BorrowerReview r) {
            return review(r, internalScale);
        }
        if (record instanceof Project p) {
            return project(p);
        }
        if (record instanceof ProjectMilestone m) {
            return milestone(m);
        }
        if (record instanceof CashFlowForecast f) {
            return forecast(f);
        }
        if (record instanceof FacilityCovenants c) {
            return covenants(c);
        }
        return null;
    }

    /** The most periods a model may have: 40 years of months. */
    public static final int MAX_FORECAST_PERIODS = 480;

    /** A project the engine can measure: a budget above 0, a COD not before financial close, sponsors that add up. */
    private static String project(Project p) {
        String sponsors = null;
        int shares = 0;
        for (int i = 0; i < p.getSponsors().size() && sponsors == null; i++) {
            Sponsor sponsor = p.getSponsors().get(i);
            String at = "sponsors[" + i + "].";
            sponsors = firstOf(blank(sponsor.getSponsorId(), at + "sponsorId"), blank(sponsor.getName(), at + "name"),
                    sponsor.getBorrowerId() != null && sponsor.getBorrowerId().equals(p.getBorrowerId())
                            ? at + "borrowerId: the project company cannot sponsor itself" : null,
                    sponsor.getShareBasisPoints() < 1 || sponsor.getShareBasisPoints() > 10_000
                            ? at + "shareBasisPoints must lie between 1 and 10000; got " + sponsor.getShareBasisPoints() : null);
            shares += sponsor.getShareBasisPoints();
        }
        String facilities = p.getFacilityIds().isEmpty() ? "facilityIds: name at least one facility financing the project" : null;
        for (int i = 0; i < p.getFacilityIds().size() && facilities == null; i++) {
            facilities = blank(p.getFacilityIds().get(i), "facilityIds[" + i + "]");
        }
        return firstOf(
                ids(p.getBorrowerId(), p.getProjectId(), "projectId"),
                blank(p.getName(), "name"),
                currency(p.getCurrency(), "currency"),
                p.getTotalInvestmentMinor() <= 0 ? "totalInvestmentMinor must be above 0; got " + p.getTotalInvestmentMinor()
                        : amount(p.getTotalInvestmentMinor(), "totalInvestmentMinor"),
                sponsors,
                shares > 10_000 ? "sponsors: shares sum to " + shares + " basis points, more than 10000" : null,
                p.getScheduledCodDate().isBefore(p.getFinancialCloseDate()) ? "scheduledCodDate " + p.getScheduledCodDate()
                        + " is before financialCloseDate " + p.getFinancialCloseDate() : null,
                p.getFirstDebtServiceDate() != null && p.getFirstDebtServiceDate().isBefore(p.getFinancialCloseDate())
                        ? "firstDebtServiceDate " + p.getFirstDebtServiceDate() + " is before financialCloseDate "
                        + p.getFinancialCloseDate() : null,
                facilities);
    }

    /** A progress report: dates in order, reached not after the report, expected while not reached. */
    private static String milestone(ProjectMilestone m) {
        LocalDate reported = m.getEventTime().atZone(ZoneOffset.UTC).toLocalDate();
        return firstOf(
                ids(m.getBorrowerId(), m.getReportId(), "reportId"),
                blank(m.getProjectId(), "projectId"),
                blank(m.getMilestoneId(), "milestoneId"),
                blank(m.getName(), "name"),
                m.getPercentCompleteBasisPoints() < 0 || m.getPercentCompleteBasisPoints() > 10_000
                        ? "percentCompleteBasisPoints must lie between 0 and 10000; got " + m.getPercentCompleteBasisPoints() : null,
                m.getActualDate() == null && m.getExpectedDate() == null
                        ? "expectedDate: a milestone not reached needs the date it is now expected" : null,
                m.getActualDate() != null && m.getActualDate().isAfter(reported) ? "actualDate " + m.getActualDate()
                        + " is after the day it was reported (eventTime " + reported + "): a milestone is reported once reached" : null);
    }

    /** A model the engine can read period by period: whole months, in order, not overlapping, amounts not negative. */
    private static String forecast(CashFlowForecast f) {
        String periods = f.getPeriods().isEmpty() ? "periods: at least one"
                : f.getPeriods().size() > MAX_FORECAST_PERIODS ? "periods: at most " + MAX_FORECAST_PERIODS + "; got " + f.getPeriods().size()
                : null;
        for (int i = 0; i < f.getPeriods().size() && periods == null; i++) {
            ForecastPeriod period = f.getPeriods().get(i);
            String at = "periods[" + i + "].";
            LocalDate start = period.getPeriodStart();
            LocalDate end = period.getPeriodEnd();
            periods = firstOf(
                    start.getDayOfMonth() != 1 ? at + "periodStart " + start + " is not the first day of a month" : null,
                    end.getDayOfMonth() != end.lengthOfMonth() ? at + "periodEnd " + end + " is not the last day of a month" : null,
                    end.isBefore(start) ? at + "periodEnd " + end + " runs backwards: it is before periodStart " + start : null,
                    i > 0 && !start.isAfter(f.getPeriods().get(i - 1).getPeriodEnd()) ? at + "periodStart " + start
                            + " overlaps or precedes the period before it, which ends " + f.getPeriods().get(i - 1).getPeriodEnd() : null,
                    amount(period.getRevenueMinor(), at + "revenueMinor"),
                    amount(period.getOperatingCostMinor(), at + "operatingCostMinor"),
                    amount(period.getCapexMinor(), at + "capexMinor"),
                    amount(period.getDebtServiceMinor(), at + "debtServiceMinor"));
        }
        return firstOf(
                ids(f.getBorrowerId(), f.getForecastId(), "forecastId"),
                blank(f.getProjectId(), "projectId"),
                currency(f.getCurrency(), "currency"),
                f.getDiscountRateBasisPoints() < 0 || f.getDiscountRateBasisPoints() > 5_000
                        ? "discountRateBasisPoints must lie between 0 and 5000; got " + f.getDiscountRateBasisPoints() : null,
                periods);
    }

    /** Covenants the engine can test: at least one, each with a level, the lock-up level on the safe side of default. */
    private static String covenants(FacilityCovenants c) {
        boolean none = c.getHistoricDscr() == null && c.getProjectedDscr() == null && c.getLlcr() == null
                && c.getMaxDebtToEquity() == null && c.getDsra() == null;
        return firstOf(
                ids(c.getBorrowerId(), c.getFacilityId(), "facilityId"),
                blank(c.getProjectId(), "projectId"),
                none ? "no covenant: set historicDscr, projectedDscr, llcr, maxDebtToEquity or dsra" : null,
                cover(c.getHistoricDscr(), "historicDscr"),
                cover(c.getProjectedDscr(), "projectedDscr"),
                cover(c.getLlcr(), "llcr"),
                ceiling(c.getMaxDebtToEquity(), "maxDebtToEquity"),
                c.getDsra() == null ? null : firstOf(blank(c.getDsra().getAccountId(), "dsra.accountId"),
                        c.getDsra().getMonths() < 1 || c.getDsra().getMonths() > 24
                                ? "dsra.months must lie between 1 and 24; got " + c.getDsra().getMonths() : null));
    }

    private static String cover(CoverLevels levels, String field) {
        if (levels == null) {
            return null;
        }
        Integer lockUp = levels.getLockUpBasisPoints();
        Integer breach = levels.getDefaultBasisPoints();
        return firstOf(
                lockUp == null && breach == null ? field + ": a covenant without a level; set lockUpBasisPoints or defaultBasisPoints" : null,
                ratio(lockUp, field + ".lockUpBasisPoints"), ratio(breach, field + ".defaultBasisPoints"),
                lockUp != null && breach != null && lockUp < breach ? field + ": the lock-up level " + lockUp
                        + " is below the default level " + breach + "; a minimum locks up before it defaults" : null);
    }

    private static String ceiling(CeilingLevels levels, String field) {
        if (levels == null) {
            return null;
        }
        Integer lockUp = levels.getLockUpBasisPoints();
        Integer breach = levels.getDefaultBasisPoints();
        return firstOf(
                lockUp == null && breach == null ? field + ": a covenant without a level; set lockUpBasisPoints or defaultBasisPoints" : null,
                ratio(lockUp, field + ".lockUpBasisPoints"), ratio(breach, field + ".defaultBasisPoints"),
                lockUp != null && breach != null && lockUp > breach ? field + ": the lock-up level " + lockUp
                        + " is above the default level " + breach + "; a maximum locks up before it defaults" : null);
    }

    /** A covenant level: a ratio in basis points above 0 and at most 100x. */
    private static String ratio(Integer value, String field) {
        return value != null && (value <= 0 || value > 1_000_000) ? field + " must lie between 1 and 1000000; got " + value : null;
    }

    private static String fxRate(FxRate r) {
        return firstOf(
                blank(r.getEventId(), "eventId"),
                currency(r.getBaseCurrency(), "baseCurrency"),
                currency(r.getQuoteCurrency(), "quoteCurrency"),
                r.getBaseCurrency().equals(r.getQuoteCurrency())
                        ? "quoteCurrency must differ from baseCurrency; got " + r.getQuoteCurrency() + " for both" : null,
                RateText.problem(r.getRate()));
    }

    /**
     * What a limit decision decides, before anyone approved it: a borrower's or a group's limit (named), an action, the
     * limit after it (none for a freeze, which leaves the limit as it is) in an active currency, and a reason.
     */
    public static String limitDecisionTerms(LimitDecision d) {
        String subject = switch (d.getScope()) {
            case BORROWER -> blank(d.getBorrowerId(), "borrowerId");
            case GROUP -> blank(d.getGroupId(), "groupId");
            case PORTFOLIO -> "scope: a limit is a borrower's or a group's, not the PORTFOLIO's";
        };
        String terms = d.getAction() == LimitDecisionAction.FREEZE_UNDRAWN
                ? d.getLimitMinor() != null || d.getCurrency() != null
                        ? "limitMinor and currency: a freeze keeps the limit as it is, so name no new limit" : null
                : d.getLimitMinor() == null ? "missing limitMinor: the limit after " + d.getAction()
                : d.getLimitMinor() <= 0 ? "limitMinor must be above 0; got " + d.getLimitMinor()
                : firstOf(amount(d.getLimitMinor(), "limitMinor"), currency(d.getCurrency(), "currency"));
        return firstOf(blank(d.getDecisionId(), "decisionId"), subject, terms, blank(d.getReason(), "reason"));
    }

    private static String limitDecision(LimitDecision d) {
        return firstOf(limitDecisionTerms(d),
                blank(d.getProposedBy(), "proposedBy"),
                blank(d.getApprovedBy(), "approvedBy"),
                d.getApprovedBy() != null && d.getApprovedBy().equals(d.getProposedBy())
                        ? "approvedBy: four eyes; " + d.getProposedBy() + " proposed it and cannot approve it" : null,
                d.getApprovedAt().isBefore(d.getProposedAt())
                        ? "approvedAt " + d.getApprovedAt() + " is before proposedAt " + d.getProposedAt() : null);
    }

    /**
     * A review the schedule can rest on: done on a day (not after it was recorded), with findings, a concluded grade on
     * the bank's internal scale, a next date after it, and, for a visit, what was seen.
     */
    private static String review(BorrowerReview r, RatingScale internalScale) {
        LocalDate recorded = r.getEventTime().atZone(ZoneOffset.UTC).toLocalDate();
        return firstOf(
                ids(r.getBorrowerId(), r.getEventId(), "eventId"),
                r.getReviewDate().isAfter(recorded) ? "reviewDate " + r.getReviewDate() + " is after the day it was recorded (eventTime "
                        + recorded + "): a review is recorded once done" : null,
                blank(r.getFindings(), "findings"),
                r.getRatingConcluded() == null || !internalScale.isGrade(r.getRatingConcluded()) ? "ratingConcluded: '"
                        + r.getRatingConcluded() + "' is not a grade of the internal scale (rating.internal-scale): "
                        + String.join(", ", internalScale.grades()) : null,
                r.getRatingInForce() != null && !internalScale.isGrade(r.getRatingInForce()) ? "ratingInForce: '" + r.getRatingInForce()
                        + "' is not a grade of the internal scale (rating.internal-scale)" : null,
                r.getNextReviewDate() != null && !r.getNextReviewDate().isAfter(r.getReviewDate())
                        ? "nextReviewDate " + r.getNextReviewDate() + " must be after reviewDate " + r.getReviewDate() : null,
                r.getKind() == ReviewKind.SITE_VISIT && (r.getVisitNotes() == null || r.getVisitNotes().isBlank())
                        ? "visitNotes must say what was seen on a SITE_VISIT" : null,
                blank(r.getReviewedBy(), "reviewedBy"));
    }

    private static String groupLimit(GroupLimit g) {
        return firstOf(
                blank(g.getGroupId(), "groupId"),
                blank(g.getGroupName(), "groupName"),
                amount(g.getLimitMinor(), "limitMinor"),
                currency(g.getCurrency(), "currency"));
    }

    private static String transaction(TransactionEvent t) {
        return firstOf(
                ids(t.getBorrowerId(), t.getEventId(), "eventId"),
                blank(t.getAccountId(), "accountId"),
                t.getAmountMinor() <= 0 ? "amountMinor must be above 0, the direction gives the sign; got " + t.getAmountMinor()
                        : amount(t.getAmountMinor(), "amountMinor"),
                t.getBalanceAfterMinor() == null ? null : signedAmount(t.getBalanceAfterMinor(), "balanceAfterMinor"),
                currency(t.getCurrency(), "currency"));
    }

    private static String repayment(RepaymentEvent r) {
        return firstOf(
                ids(r.getBorrowerId(), r.getEventId(), "eventId"),
                blank(r.getFacilityId(), "facilityId"),
                r.getUnallocated() ? null : blank(r.getInstalmentId(), "instalmentId"), // an unallocated payment names none
                amount(r.getAmountDueMinor(), "amountDueMinor"),
                amount(r.getAmountPaidMinor(), "amountPaidMinor"),
                r.getPrincipalMinor() != null && (r.getPrincipalMinor() < 0 || r.getPrincipalMinor() > r.getAmountDueMinor())
                        ? "principalMinor must lie between 0 and amountDueMinor; got " + r.getPrincipalMinor() : null,
                r.getKind() == RepaymentKind.SCHEDULED && r.getScheduleDate() == null ? "scheduleDate must be set on a SCHEDULED instalment" : null,
                r.getScheduleDate() != null && r.getDueDate().isBefore(r.getScheduleDate())
                        ? "dueDate " + r.getDueDate() + " is before scheduleDate " + r.getScheduleDate() : null,
                (r.getKind() == RepaymentKind.PAID || r.getKind() == RepaymentKind.PARTIALLY_PAID || r.getKind() == RepaymentKind.REVERSED)
                        && r.getAmountPaidMinor() == 0 ? "amountPaidMinor must be above 0 on a " + r.getKind() + " step; got 0" : null,
                r.getUnallocated() && r.getKind() != RepaymentKind.PAID && r.getKind() != RepaymentKind.PARTIALLY_PAID
                        ? "unallocated applies to PAID and PARTIALLY_PAID payments only; got it on " + r.getKind() : null,
                servicingReport(r),
                currency(r.getCurrency(), "currency"));
    }

    /** A servicing system's own arrears of the facility: both figures, on an OVERDUE report only, within bounds. */
    private static String servicingReport(RepaymentEvent r) {
        Integer days = r.getReportedDaysPastDue();
        Long overdue = r.getReportedOverdueMinor();
        if (days == null && overdue == null) {
            return null;
        }
        return firstOf(
                r.getKind() != RepaymentKind.OVERDUE ? "reportedDaysPastDue and reportedOverdueMinor belong to an OVERDUE report; got them on "
                        + r.getKind() : null,
                days == null || overdue == null ? "reportedDaysPastDue and reportedOverdueMinor are sent together; got "
                        + (days == null ? "reportedOverdueMinor" : "reportedDaysPastDue") + " alone" : null,
                days != null && (days < 0 || days > MAX_REPORTED_DAYS_PAST_DUE)
                        ? "reportedDaysPastDue must lie in 0.." + MAX_REPORTED_DAYS_PAST_DUE + "; got " + days : null,
                overdue == null ? null : amount(overdue, "reportedOverdueMinor"),
                days != null && overdue != null && (days == 0) != (overdue == 0)
                        ? "reportedDaysPastDue " + days + " and reportedOverdueMinor " + overdue + " disagree: arrears have both or neither" : null);
    }

    /** A century: no servicing system counts further, and a larger figure is a corrupted field. */
    static final int MAX_REPORTED_DAYS_PAST_DUE = 36_500;

    private static String credit(CreditEvent c) {
        boolean ratingChange = c.getKind() == CreditEventKind.RATING_CHANGE;
        Long amount = c.getAmountMinor();
        return firstOf(
                ids(c.getBorrowerId(), c.getEventId(), "eventId"),
                blank(c.getSource(), "source"),
                ratingChange && !RatingScale.LETTERS.isGrade(c.getPreviousRating())
                        ? "previousRating '" + c.getPreviousRating() + "' is not a grade of the AAA..D scale" : null,
                ratingChange && !RatingScale.LETTERS.isGrade(c.getNewRating())
                        ? "newRating '" + c.getNewRating() + "' is not a grade of the AAA..D scale" : null,
                amount == null ? null : amount(amount, "amountMinor"),
                // Without an amount the currency says nothing and is not used: a lawsuit is not refused for it.
                amount == null ? null : c.getCurrency() == null ? "currency must be set when amountMinor is; got null"
                        : currency(c.getCurrency(), "currency"));
    }

    private static String profile(BorrowerProfile p, RatingScale internalScale) {
        String problem = firstOf(
                blank(p.getBorrowerId(), "borrowerId"),
                blank(p.getName(), "name"),
                internalScale.isGrade(p.getInternalRating()) ? null : "internalRating: '" + p.getInternalRating()
                        + "' is not a grade of the internal scale (rating.internal-scale): " + String.join(", ", internalScale.grades()),
                p.getGroupId() != null && p.getGroupId().isBlank() ? "groupId must be null or not blank" : null);
        for (int i = 0; problem == null && i < p.getFacilities().size(); i++) {
            Facility f = p.getFacilities().get(i);
            String at = "facilities[" + i + "].";
            problem = firstOf(
                    blank(f.getFacilityId(), at + "facilityId"),
                    amount(f.getLimitMinor(), at + "limitMinor"),
                    amount(f.getDrawnMinor(), at + "drawnMinor"),
                    f.getMaturityDate().isBefore(f.getStartDate())
                            ? at + "maturityDate " + f.getMaturityDate() + " is before " + at + "startDate " + f.getStartDate() : null,
                    currency(f.getCurrency(), at + "currency"));
        }
        return problem;
    }

    private static String statement(FinancialStatement s) {
        return firstOf(
                ids(s.getBorrowerId(), s.getStatementId(), "statementId"),
                s.getPeriodEnd().isBefore(s.getPeriodStart()) ? "periodEnd " + s.getPeriodEnd() + " is before periodStart " + s.getPeriodStart() : null,
                amount(s.getTotalAssetsMinor(), "totalAssetsMinor"),
                amount(s.getTotalLiabilitiesMinor(), "totalLiabilitiesMinor"),
                amount(s.getCurrentAssetsMinor(), "currentAssetsMinor"),
                amount(s.getCurrentLiabilitiesMinor(), "currentLiabilitiesMinor"),
                amount(s.getRevenueMinor(), "revenueMinor"),
                signedAmount(s.getNetProfitMinor(), "netProfitMinor"),
                signedAmount(s.getOperatingCashFlowMinor(), "operatingCashFlowMinor"),
                unknownAmounts(s),
                s.getTotalEquityMinor() == null ? null : signedAmount(s.getTotalEquityMinor(), "totalEquityMinor"),
                s.getCashAndEquivalentsMinor() == null ? null : amount(s.getCashAndEquivalentsMinor(), "cashAndEquivalentsMinor"),
                s.getReceivablesMinor() == null ? null : amount(s.getReceivablesMinor(), "receivablesMinor"),
                s.getInventoriesMinor() == null ? null : amount(s.getInventoriesMinor(), "inventoriesMinor"),
                s.getShortTermDebtMinor() == null ? null : amount(s.getShortTermDebtMinor(), "shortTermDebtMinor"),
                s.getLongTermDebtMinor() == null ? null : amount(s.getLongTermDebtMinor(), "longTermDebtMinor"),
                s.getOperatingProfitMinor() == null ? null : signedAmount(s.getOperatingProfitMinor(), "operatingProfitMinor"),
                s.getEbitdaMinor() == null ? null : signedAmount(s.getEbitdaMinor(), "ebitdaMinor"),
                s.getInterestExpenseMinor() == null ? null : amount(s.getInterestExpenseMinor(), "interestExpenseMinor"),
                s.getCapitalExpenditureMinor() == null ? null : amount(s.getCapitalExpenditureMinor(), "capitalExpenditureMinor"),
                currency(s.getCurrency(), "currency"));
    }

    /**
     * Each name in unknownAmounts is one of the seven amounts version 1 made required, sent as 0: a figure both
     * reported and declared unknown would mean two different things to a version-1 reader and to this engine.
     */
    private static String unknownAmounts(FinancialStatement s) {
        for (int i = 0; i < s.getUnknownAmounts().size(); i++) {
            String name = s.getUnknownAmounts().get(i);
            Object value = StatementAmounts.REQUIRED_IN_V1.contains(name) ? s.get(name) : null;
            if (value == null) {
                return "unknownAmounts[" + i + "]: '" + name + "' is not one of " + String.join(", ", StatementAmounts.REQUIRED_IN_V1)
                        + " (the other lines are left null when unknown)";
            }
            if ((Long) value != 0) {
                return "unknownAmounts[" + i + "] names " + name + ", which must then be sent as 0; got " + value;
            }
        }
        return null;
    }

    private static String collateral(CollateralValuation v) {
        return firstOf(
                ids(v.getBorrowerId(), v.getValuationId(), "valuationId"),
                blank(v.getCollateralId(), "collateralId"),
                blank(v.getFacilityId(), "facilityId"),
                amount(v.getValueMinor(), "valueMinor"),
                v.getHaircutBasisPoints() < 0 || v.getHaircutBasisPoints() > 10_000
                        ? "haircutBasisPoints must lie between 0 and 10000; got " + v.getHaircutBasisPoints() : null,
                currency(v.getCurrency(), "currency"));
    }

    private static String ids(String borrowerId, String id, String idField) {
        return firstOf(blank(borrowerId, "borrowerId"), blank(id, idField));
    }

    private static String blank(String value, String field) {
        return value == null || value.isBlank() ? "missing " + field : null;
    }

    /** A money amount that cannot be negative: a limit, a payment, an asset. */
    private static String amount(long value, String field) {
        if (value < 0) {
            return field + " must not be negative; got " + value;
        }
        return value > MAX_AMOUNT_MINOR ? field + " must be at most " + BOUND + " minor units; got " + value : null;
    }

    /** A money amount that may be negative: a balance, a profit, a cash flow. */
    private static String signedAmount(long value, String field) {
        return value < -MAX_AMOUNT_MINOR || value > MAX_AMOUNT_MINOR
                ? field + " must lie between -" + BOUND + " and " + BOUND + " minor units; got " + value : null;
    }

    private static String currency(String code, String field) {
        if (Currencies.isActive(code)) {
            return null;
        }
        String why = Currencies.whyRefused(code);
        String upper = code == null ? null : code.toUpperCase(Locale.ROOT);
        String hint = why != null ? " (" + code + " " + why + ")"
                : upper != null && !upper.equals(code) && Currencies.isActive(upper) ? " (codes are upper case: " + upper + ")" : "";
        return field + ": '" + code + "' is not an active ISO 4217 currency" + hint;
    }

    private static String firstOf(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
