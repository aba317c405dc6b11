package dev.kestrel.jobs.ingest;

import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.TransactionEvent;
import java.util.Currency;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The business checks a decoded event must pass before it may touch a borrower's state. Avro already guarantees
 * types and required fields; these catch what a schema cannot say: blank ids, negative money, unknown currencies,
 * impossible dates. Each problem is described so the upstream team can fix the record.
 */
public final class EventValidator {
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    private EventValidator() {}

    /** What is wrong with the record, or null when it may be used. */
    public static String problem(SpecificRecordBase record) {
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
            return profile(p);
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
        return null;
    }

    private static String groupLimit(GroupLimit g) {
        return firstOf(
                blank(g.getGroupId(), "groupId"),
                blank(g.getGroupName(), "groupName"),
                g.getLimitMinor() < 0 ? "limitMinor must not be negative; got " + g.getLimitMinor() : null,
                currency(g.getCurrency(), "currency"));
    }

    private static String transaction(TransactionEvent t) {
        return firstOf(
                ids(t.getEventId(), t.getBorrowerId()),
                blank(t.getAccountId(), "accountId"),
                t.getAmountMinor() <= 0 ? "amountMinor must be above 0, the direction gives the sign; got " + t.getAmountMinor() : null,
                currency(t.getCurrency(), "currency"));
    }

    private static String repayment(RepaymentEvent r) {
        return firstOf(
                ids(r.getEventId(), r.getBorrowerId()),
                blank(r.getFacilityId(), "facilityId"),
                blank(r.getInstalmentId(), "instalmentId"),
                r.getAmountDueMinor() < 0 ? "amountDueMinor must not be negative; got " + r.getAmountDueMinor() : null,
                r.getAmountPaidMinor() < 0 ? "amountPaidMinor must not be negative; got " + r.getAmountPaidMinor() : null,
                r.getPrincipalMinor() != null && (r.getPrincipalMinor() < 0 || r.getPrincipalMinor() > r.getAmountDueMinor())
                        ? "principalMinor must lie between 0 and amountDueMinor; got " + r.getPrincipalMinor() : null,
                r.getKind() == RepaymentKind.SCHEDULED && r.getScheduleDate() == null ? "a SCHEDULED instalment needs scheduleDate" : null,
                r.getScheduleDate() != null && r.getDueDate().isBefore(r.getScheduleDate())
                        ? "dueDate " + r.getDueDate() + " is before scheduleDate " + r.getScheduleDate() : null,
                (r.getKind() == RepaymentKind.PAID || r.getKind() == RepaymentKind.PARTIALLY_PAID || r.getKind() == RepaymentKind.REVERSED)
                        && r.getAmountPaidMinor() == 0 ? r.getKind() + " needs amountPaidMinor above 0" : null,
                currency(r.getCurrency(), "currency"));
    }

    private static String credit(CreditEvent c) {
        boolean ratingChange = c.getKind() == CreditEventKind.RATING_CHANGE;
        return firstOf(
                ids(c.getEventId(), c.getBorrowerId()),
                blank(c.getSource(), "source"),
                ratingChange && !RatingScale.isGrade(c.getPreviousRating())
                        ? "previousRating '" + c.getPreviousRating() + "' is not a grade of the AAA..D scale" : null,
                ratingChange && !RatingScale.isGrade(c.getNewRating())
                        ? "newRating '" + c.getNewRating() + "' is not a grade of the AAA..D scale" : null,
                c.getAmountMinor() != null && c.getAmountMinor() < 0 ? "amountMinor must not be negative; got " + c.getAmountMinor() : null,
                c.getAmountMinor() != null ? currency(c.getCurrency(), "currency") : null);
    }

    private static String profile(BorrowerProfile p) {
        String problem = firstOf(
                blank(p.getBorrowerId(), "borrowerId"),
                blank(p.getName(), "name"),
                RatingScale.isGrade(p.getInternalRating()) ? null
                        : "internalRating '" + p.getInternalRating() + "' is not a grade of the AAA..D scale",
                p.getGroupId() != null && p.getGroupId().isBlank() ? "groupId must be null or not blank" : null);
        if (problem != null) {
            return problem;
        }
        for (Facility f : p.getFacilities()) {
            problem = firstOf(
                    blank(f.getFacilityId(), "facilities.facilityId"),
                    f.getLimitMinor() < 0 ? "facility " + f.getFacilityId() + ": limitMinor must not be negative" : null,
                    f.getDrawnMinor() < 0 ? "facility " + f.getFacilityId() + ": drawnMinor must not be negative" : null,
                    f.getMaturityDate().isBefore(f.getStartDate()) ? "facility " + f.getFacilityId() + ": maturityDate is before startDate" : null,
                    currency(f.getCurrency(), "facility " + f.getFacilityId() + " currency"));
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String statement(FinancialStatement s) {
        return firstOf(
                ids(s.getStatementId(), s.getBorrowerId()),
                s.getPeriodEnd().isBefore(s.getPeriodStart()) ? "periodEnd " + s.getPeriodEnd() + " is before periodStart " + s.getPeriodStart() : null,
                s.getTotalAssetsMinor() < 0 ? "totalAssetsMinor must not be negative" : null,
                s.getTotalLiabilitiesMinor() < 0 ? "totalLiabilitiesMinor must not be negative" : null,
                s.getCurrentAssetsMinor() < 0 ? "currentAssetsMinor must not be negative" : null,
                s.getCurrentLiabilitiesMinor() < 0 ? "currentLiabilitiesMinor must not be negative" : null,
                s.getRevenueMinor() < 0 ? "revenueMinor must not be negative" : null,
                currency(s.getCurrency(), "currency"));
    }

    private static String collateral(CollateralValuation v) {
        return firstOf(
                ids(v.getValuationId(), v.getBorrowerId()),
                blank(v.getCollateralId(), "collateralId"),
                blank(v.getFacilityId(), "facilityId"),
                v.getValueMinor() < 0 ? "valueMinor must not be negative; got " + v.getValueMinor() : null,
                v.getHaircutBasisPoints() < 0 || v.getHaircutBasisPoints() > 10_000
                        ? "haircutBasisPoints must lie between 0 and 10000; got " + v.getHaircutBasisPoints() : null,
                currency(v.getCurrency(), "currency"));
    }

    private static String ids(String eventId, String borrowerId) {
        return firstOf(blank(borrowerId, "borrowerId"), blank(eventId, "event id"));
    }

    private static String blank(String value, String field) {
        return value == null || value.isBlank() ? "missing " + field : null;
    }

    private static String currency(String code, String field) {
        return code != null && CURRENCIES.contains(code) ? null : field + " '" + code + "' is not an ISO 4217 currency code";
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
