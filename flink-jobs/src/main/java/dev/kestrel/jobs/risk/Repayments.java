package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import dev.kestrel.events.InstalmentState;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The borrower's unpaid instalments and what follows from them: days past due, arrears, the EU CRR materiality test,
 * default with its cure probation ({@link RegulatoryStatus} derives each regime's classification from them). An
 * instalment leaves state when it is paid in full; what it became is told as it changes ({@link Told}).
 */
final class Repayments {
    static final class Instalment {
        String facilityId;
        String instalmentId;
        int dueDay;
        long due;
        long paid;
        /** The instalment's currency and the latest event about it, for the alerts that cite it; null before format 7. */
        String currency;
        String eventId;
        long eventAt = Long.MIN_VALUE;
        /**
         * The arrears of a facility whose schedule the bank does not send, as its servicing system reported them: one
         * overdue amount falling due the day before its first day past due, so that it ages like any instalment.
         */
        boolean reported;

        long outstanding() {
            return Math.max(0, due - paid);
        }

        void cite(RepaymentEvent r) {
            currency = r.getCurrency();
            eventId = r.getEventId();
            eventAt = r.getEventTime().toEpochMilli();
        }

        /**
         * "instalment 03 of F-1, EUR 250,000.00 due 2026-03-31, unpaid", in the instalment's own currency; one not yet
         * due says only what is left to pay of it.
         */
        String fact(String fallbackCurrency, boolean pastDue) {
            String money = currency != null ? currency : fallbackCurrency;
            if (reported) {
                return facilityId + ", " + AlertEpisodes.money(outstanding(), money) + " overdue, past due since "
                        + java.time.LocalDate.ofEpochDay(dueDay + 1) + " as its servicing system reported on " + Evidence.date(eventAt);
            }
            String owed = paid == 0 ? (pastDue ? ", unpaid" : "")
                    : ", " + AlertEpisodes.money(outstanding(), money) + (pastDue ? " of it unpaid" : " of it still to pay");
            return "instalment " + instalmentId + " of " + facilityId + ", " + AlertEpisodes.money(due, money) + " due "
                    + java.time.LocalDate.ofEpochDay(dueDay) + owed;
        }
    }

    /**
     * The engine's word on an instalment as it changes (InstalmentStatus, docs/events.md), taken when the change
     * happens and sent once the event or day is applied whole; not kept. The arrears a servicing system reports for a
     * facility without a schedule are no instalment and are never told.
     */
    record Told(String facilityId, String instalmentId, int dueDay, String currency, long due, long paid, InstalmentState status,
            int settledDay, int daysLate, int asOfDay, String eventId, long eventTime) {

        /** Where {@code instalment} stands on {@code day}, or SUPERSEDED by a servicing report. */
        static Told of(Instalment instalment, int day, boolean superseded, String eventId, long eventTime) {
            int pastDue = Math.max(0, day - instalment.dueDay);
            InstalmentState status = superseded ? InstalmentState.SUPERSEDED
                    : instalment.outstanding() == 0 ? InstalmentState.SETTLED
                    : pastDue > 0 ? InstalmentState.PAST_DUE : InstalmentState.DUE;
            return new Told(instalment.facilityId, instalment.instalmentId, instalment.dueDay, instalment.currency, instalment.due,
                    instalment.paid, status, status == InstalmentState.SETTLED ? day : Days.NONE, pastDue, day, eventId, eventTime);
        }

        boolean about(Instalment instalment) {
            return facilityId.equals(instalment.facilityId) && instalmentId.equals(instalment.instalmentId);
        }

        InstalmentStatus status(String borrowerId) {
            return InstalmentStatus.newBuilder()
                    .setBorrowerId(borrowerId).setFacilityId(facilityId).setInstalmentId(instalmentId).setStatus(status)
                    .setDueDate(java.time.LocalDate.ofEpochDay(dueDay)).setCurrency(currency).setAmountDueMinor(due).setAmountPaidMinor(paid)
                    .setSettledOn(settledDay == Days.NONE ? null : java.time.LocalDate.ofEpochDay(settledDay)).setDaysLate(daysLate)
                    .setAsOf(java.time.LocalDate.ofEpochDay(asOfDay)).setEventId(eventId).setEventTime(java.time.Instant.ofEpochMilli(eventTime))
                    .build();
        }
    }

    /** Tells what a repayment event made of an instalment; it replaces what the same event or day told of it before. */
    private static void tell(List<Told> told, Instalment instalment, RepaymentEvent r, boolean superseded) {
        if (instalment.reported) {
            return;
        }
        told.removeIf(earlier -> earlier.about(instalment));
        long at = r.getEventTime().toEpochMilli();
        told.add(Told.of(instalment, Days.of(at), superseded, r.getEventId(), at));
    }

    final List<Instalment> open = new ArrayList<>();
    /** The order servicing allocates payments in and alerts name instalments in; ties broken so that it is total. */
    static final java.util.Comparator<Instalment> OLDEST_DUE_FIRST = java.util.Comparator.comparingInt((Instalment i) -> i.dueDay)
            .thenComparing(i -> i.facilityId).thenComparing(i -> i.instalmentId);
    /** Facilities whose schedule the bank sends (a SCHEDULED step came): their servicing reports are checked, not used. */
    final List<String> scheduledFacilities = new ArrayList<>();
    /**
     * Facilities without a schedule that a servicing system reports on: its reports are their arrears, so the steps
     * of single instalments that also come for them are not counted beside the report (a payment goes to the reported
     * arrears; a missed or reversed step waits for the next report, which carries it).
     */
    final List<String> reportedFacilities = new ArrayList<>();
    /**
     * The instalments the engine saw settled, the latest {@value #SETTLED_KEPT} due of each facility (part format 2). A
     * settled instalment leaves state, so without them a schedule re-sent after payment, a missed-payment notice that
     * comes after the payment, or the payment posted again would bring it back as unpaid: false arrears, and a ledger
     * that forgets the day it was settled. Only instalments seen settled, by id and due day: one the engine never saw,
     * or an id used again for another due day, is never taken as paid. A reversal reopens one, once it has undone
     * the payments posted again that were ignored.
     */
    final List<Settled> settled = new ArrayList<>();
    static final int SETTLED_KEPT = 12;

    /**
     * A settled instalment: its id kept as a 32-bit hash (a borrower's state stays small; two ids of one facility and
     * due day colliding is not a case to plan for), and what was paid again and ignored, which a reversal undoes first.
     */
    record Settled(String facilityId, int idHash, int dueDay, long ignoredPaid) {
        boolean is(String facility, String instalmentId, int due) {
            return facilityId.equals(facility) && idHash == instalmentId.hashCode() && dueDay == due;
        }
    }

    /**
     * Set when read from a format that told no instalment (part format 1, or the single value): the first look at the
     * arrears tells every open instalment once, so the desk's ledger does not wait for each one's next change. Kept
     * until then (part format 2), so a rewrite before that look does not lose it.
     */
    boolean tellOpenOnce;

    /** The latest servicing report of each scheduled facility, and whether it agreed with the schedule. */
    final List<ServicingReport> reports = new ArrayList<>();
    /** The instalment id the arrears of a facility known only from servicing reports are kept under. */
    static final String REPORTED = "(servicing report)";

    /** A servicing system's arrears of a facility beside what its schedule says on the same day. */
    record ServicingReport(String facilityId, String eventId, long at, String currency, int daysPastDue, long overdue,
            int scheduleDaysPastDue, long scheduleOverdue, boolean disagrees) {

        String fact() {
            return "the servicing system reported " + facilityId + " " + daysPastDue + " days past due with "
                    + AlertEpisodes.money(overdue, currency) + " overdue on " + Evidence.date(at) + "; its schedule says "
                    + scheduleDaysPastDue + " days and " + AlertEpisodes.money(scheduleOverdue, currency);
        }
    }
    int materialSinceDay = Days.NONE;
    int curedSinceDay = Days.NONE;
    boolean inDefault;
    int lastEvaluatedDay = Days.NONE;
    /** What fell due within the reminder horizon at the last {@link #indicators} call: while 0 the means do not matter. Not kept. */
    long dueSoonAtLastLook;

    /**
     * Applies one step of an instalment's life and tells what it made of the instalments it changed; returns the
     * principal it repaid (negative when a payment is reversed).
     */
    long record(RepaymentEvent r, RiskSettings settings, List<Told> told) {
        if (r.getReportedDaysPastDue() != null) {
            recordServicingReport(r, settings, told);
            return 0;
        }
        if (r.getUnallocated()) {
            allocateOldestFirst(r, told);
            return 0; // which part of it was principal the servicing system did not say
        }
        if (r.getKind() == RepaymentKind.SCHEDULED && !scheduledFacilities.contains(r.getFacilityId())) {
            // From now on the schedule tells the facility's arrears; a servicing report is checked against it. The
            // reported arrears stay until then: a schedule sent from today on lists no instalment already past due.
            scheduledFacilities.add(r.getFacilityId());
            reportedFacilities.remove(r.getFacilityId());
        } else if (r.getKind() != RepaymentKind.SCHEDULED && reportedFacilities.contains(r.getFacilityId())) {
            if (r.getKind() == RepaymentKind.PAID || r.getKind() == RepaymentKind.PARTIALLY_PAID) {
                allocateOldestFirst(r, told);
            }
            return 0;
        }
        Instalment instalment = find(r.getFacilityId(), r.getInstalmentId());
        int dueDay = (int) r.getDueDate().toEpochDay();
        if (instalment != null) {
            instalment.cite(r);
        } else {
            Settled seen = seenSettled(r.getFacilityId(), r.getInstalmentId(), dueDay);
            if (seen != null) {
                // Seen settled: a schedule sent again, a notice that it was missed or a payment posted again is about
                // what was already done, and changes nothing; a reversal undoes a payment posted again first.
                long paid = r.getAmountPaidMinor();
                switch (r.getKind()) {
                    case PAID, PARTIALLY_PAID -> {
                        replace(seen, new Settled(seen.facilityId(), seen.idHash(), seen.dueDay(), Math.addExact(seen.ignoredPaid(), paid)));
                        return 0;
                    }
                    case REVERSED -> {
                        if (seen.ignoredPaid() >= paid) {
                            replace(seen, new Settled(seen.facilityId(), seen.idHash(), seen.dueDay(), seen.ignoredPaid() - paid));
                            return 0;
                        }
                    }
                    default -> {
                        return 0;
                    }
                }
            }
        }
        switch (r.getKind()) {
            case SCHEDULED -> {
                if (instalment == null) {
                    instalment = add(r, dueDay);
                }
                instalment.dueDay = dueDay;
                instalment.due = r.getAmountDueMinor();
                removeIfSettled(instalment);
                tell(told, instalment, r, false);
                return 0;
            }
            case PAID, PARTIALLY_PAID -> {
                if (instalment == null) {
                    instalment = add(r, dueDay);
                }
                instalment.paid = Math.addExact(instalment.paid, r.getAmountPaidMinor());
                removeIfSettled(instalment);
                tell(told, instalment, r, false);
                return principalShare(r, r.getAmountPaidMinor());
            }
            case REVERSED -> {
                if (instalment == null) {
                    instalment = add(r, dueDay);
                    instalment.paid = instalment.due; // it was settled and left state; the reversal reopens it
                }
                instalment.paid = Math.max(0, instalment.paid - r.getAmountPaidMinor());
                removeIfSettled(instalment);
                tell(told, instalment, r, false);
                return -principalShare(r, r.getAmountPaidMinor());
            }
            default -> { // MISSED, OVERDUE: the servicing system confirms the instalment is unpaid
                if (instalment == null && r.getAmountDueMinor() > 0) {
                    tell(told, add(r, dueDay), r, false); // a notice about a known instalment changes nothing of it
                }
                return 0;
            }
        }
    }

    /**
     * A servicing system's own arrears of a facility. Where the bank sends no schedule of the facility, they are its
     * arrears: one overdue amount whose first day past due makes the reported count on the report's day. Where it
     * does, they are compared with the schedule on that day: more than a day apart, or more than the materiality floor
     * apart in amount (penalty interest and fees may differ a little), and the two disagree.
     */
    private void recordServicingReport(RepaymentEvent r, RiskSettings settings, List<Told> told) {
        String facilityId = r.getFacilityId();
        long at = r.getEventTime().toEpochMilli();
        int day = Days.of(at);
        int days = r.getReportedDaysPastDue();
        long overdue = r.getReportedOverdueMinor();
        if (scheduledFacilities.contains(facilityId)) {
            open.removeIf(i -> i.reported && i.facilityId.equals(facilityId)); // kept from before the schedule came
            int scheduleDays = daysPastDue(facilityId, day);
            long scheduleOverdue = overdue(facilityId, day);
            // Penalty interest and fees make the amounts differ a little: the floor, or 1% of the larger, whichever is more.
            long tolerance = Math.max(settings.materialityFloorMinor(), Math.max(scheduleOverdue, overdue) / 100);
            boolean disagrees = Math.abs(scheduleDays - days) > 1
                    || Math.abs(Math.subtractExact(scheduleOverdue, overdue)) > tolerance;
            reports.removeIf(report -> report.facilityId().equals(facilityId));
            reports.add(new ServicingReport(facilityId, r.getEventId(), at, r.getCurrency(), days, overdue, scheduleDays,
                    scheduleOverdue, disagrees));
            return;
        }
        // The report is the whole facility's arrears: it replaces what was known of them, instalments named before included.
        for (Instalment instalment : open) {
            if (instalment.facilityId.equals(facilityId)) {
                tell(told, instalment, r, true);
            }
        }
        open.removeIf(i -> i.facilityId.equals(facilityId));
        if (!reportedFacilities.contains(facilityId)) {
            reportedFacilities.add(facilityId);
        }
        if (overdue > 0) {
            Instalment arrears = new Instalment();
            arrears.facilityId = facilityId;
            arrears.instalmentId = REPORTED;
            arrears.dueDay = day - Math.max(1, days);
            arrears.due = overdue;
            arrears.reported = true;
            arrears.cite(r);
            open.add(arrears);
        }
    }

    /** A payment that names no instalment settles the facility's unpaid instalments oldest due first, as servicing does. */
    private void allocateOldestFirst(RepaymentEvent r, List<Told> told) {
        List<Instalment> unpaid = new ArrayList<>();
        for (Instalment instalment : open) {
            if (instalment.facilityId.equals(r.getFacilityId())) {
                unpaid.add(instalment);
            }
        }
        unpaid.sort(OLDEST_DUE_FIRST);
        long left = r.getAmountPaidMinor();
        for (Instalment instalment : unpaid) {
            long paid = Math.min(left, instalment.outstanding());
            instalment.paid = Math.addExact(instalment.paid, paid);
            if (!instalment.reported) { // reported arrears keep citing the report, which dates them
                instalment.cite(r);
            }
            removeIfSettled(instalment);
            tell(told, instalment, r, false);
            left -= paid;
            if (left == 0) {
                break;
            }
        }
    }

    /**
     * Forgets what it knew of facilities the profile no longer lists and that owe nothing: a book that opens a new
     * facility id per drawing must not grow a borrower's state for the borrower's whole life.
     */
    void keepFacilities(List<String> listed) {
        java.util.function.Predicate<String> gone = facilityId -> !listed.contains(facilityId)
                && open.stream().noneMatch(i -> i.facilityId.equals(facilityId));
        scheduledFacilities.removeIf(gone);
        reportedFacilities.removeIf(gone);
        settled.removeIf(s -> gone.test(s.facilityId()));
        reports.removeIf(report -> gone.test(report.facilityId()));
    }

    /** The disagreeing servicing reports, for the data-quality alert. */
    void explainServicingReports(Evidence evidence) {
        for (ServicingReport report : reports) {
            if (report.disagrees()) {
                evidence.add(report.fact(), report.eventId(), "RepaymentEvent", report.at());
            }
        }
    }

    /** The principal part of a payment: payments go to interest first, so principal is what exceeds the interest. */
    private static long principalShare(RepaymentEvent r, long payment) {
        if (r.getPrincipalMinor() == null) {
            return 0;
        }
        long interest = r.getAmountDueMinor() - r.getPrincipalMinor();
        return Math.max(0, Math.min(r.getPrincipalMinor(), payment - interest));
    }

    private Instalment add(RepaymentEvent r, int dueDay) {
        settled.removeIf(s -> s.is(r.getFacilityId(), r.getInstalmentId(), dueDay)); // reopened
        Instalment instalment = new Instalment();
        instalment.facilityId = r.getFacilityId();
        instalment.instalmentId = r.getInstalmentId();
        instalment.dueDay = dueDay;
        instalment.due = r.getAmountDueMinor();
        instalment.cite(r);
        open.add(instalment);
        return instalment;
    }

    private void removeIfSettled(Instalment instalment) {
        if (instalment.outstanding() == 0) {
            open.remove(instalment);
            if (!instalment.reported) {
                remember(instalment);
            }
        }
    }

    /** Keeps the instalment among the facility's settled ones, of which the {@value #SETTLED_KEPT} latest due stay. */
    private void remember(Instalment instalment) {
        settled.removeIf(s -> s.is(instalment.facilityId, instalment.instalmentId, instalment.dueDay));
        settled.add(new Settled(instalment.facilityId, instalment.instalmentId.hashCode(), instalment.dueDay, 0));
        List<Settled> facility = new ArrayList<>();
        for (Settled s : settled) {
            if (s.facilityId().equals(instalment.facilityId)) {
                facility.add(s);
            }
        }
        if (facility.size() > SETTLED_KEPT) {
            facility.sort(java.util.Comparator.comparingInt(Settled::dueDay).thenComparingInt(Settled::idHash));
            settled.remove(facility.get(0));
        }
    }

    /** The facility's instalment of that id and due day, if the engine saw it settled (among the latest it keeps). */
    private Settled seenSettled(String facilityId, String instalmentId, int dueDay) {
        for (Settled s : settled) {
            if (s.is(facilityId, instalmentId, dueDay)) {
                return s;
            }
        }
        return null;
    }

    private void replace(Settled was, Settled now) {
        settled.set(settled.indexOf(was), now);
    }

    private Instalment find(String facilityId, String instalmentId) {
        for (Instalment instalment : open) {
            if (instalment.facilityId.equals(facilityId) && instalment.instalmentId.equals(instalmentId)) {
                return instalment;
            }
        }
        return null;
    }

    /**
     * Brings days past due, materiality and default up to {@code today} and sets the repayment indicators.
     * Called at most once a day without events (by timer) and on every event; the materiality clock is kept exact
     * across days nobody looked, from the due dates.
     *
     * @param coverable what the borrower can pay instalments from (the larger of its balance and last 30 days' inflow)
     * @param meansKnown whether {@code coverable} is known: the engine is fed the borrower's accounts
     * @param exposureForMateriality the borrower's drawn exposure in the materiality currency
     * @param money each instalment in its own currency: the arrears and what falls due are summed in the borrower's
     *              currency; the materiality test compares the arrears with the floor and with the exposure all in
     *              the materiality currency (euro under the EU regime)
     */
    void indicators(IndicatorValues out, int today, long now, java.util.function.LongSupplier exposureForMateriality, long coverable,
            boolean meansKnown, Money money, RiskSettings settings, List<Told> told) {
        tellOnLook(today, told);
        int daysPastDue = 0;
        long overdue = 0;
        long overdueForMateriality = 0;
        long dueSoon = 0;
        for (Instalment instalment : open) {
            long outstanding = instalment.outstanding();
            if (instalment.dueDay < today) {
                overdue = Math.addExact(overdue, money.inBorrowerCurrency(outstanding, instalment.currency));
                overdueForMateriality = Math.addExact(overdueForMateriality, money.forMateriality(outstanding, instalment.currency));
                daysPastDue = Math.max(daysPastDue, today - instalment.dueDay);
            } else if (instalment.dueDay <= today + settings.reminderHorizonDays()) {
                dueSoon = Math.addExact(dueSoon, money.inBorrowerCurrency(outstanding, instalment.currency));
            }
        }
        // Nothing overdue is never material, whatever the exposure: it is read (and its part of the state) only when needed.
        long exposureBase = overdueForMateriality == 0 ? 0 : Math.max(exposureForMateriality.getAsLong(), overdueForMateriality);
        boolean material = overdueForMateriality != 0 && isMaterial(overdueForMateriality, exposureBase, settings);
        dueSoonAtLastLook = dueSoon;
        if (material) {
            if (materialSinceDay == Days.NONE) {
                // Days nobody evaluated count too: material since the last look, but not before the arrears grew material.
                int afterLastLook = lastEvaluatedDay == Days.NONE ? Integer.MIN_VALUE : lastEvaluatedDay + 1;
                materialSinceDay = Math.min(today, Math.max(firstMaterialDay(today, exposureBase, money, settings), afterLastLook));
            }
            curedSinceDay = Days.NONE;
        } else {
            materialSinceDay = Days.NONE;
            if (inDefault && curedSinceDay == Days.NONE) {
                curedSinceDay = today;
            }
        }
        int materialDaysPastDue = material ? today - materialSinceDay + 1 : 0;
        if (materialDaysPastDue > 90) {
            inDefault = true;
        }
        if (inDefault && curedSinceDay != Days.NONE && today >= settings.probationEnds(curedSinceDay)) {
            inDefault = false;
            curedSinceDay = Days.NONE;
        }
        lastEvaluatedDay = Math.max(lastEvaluatedDay, today);

        out.set(Indicator.DAYS_PAST_DUE, daysPastDue, now);
        out.set(Indicator.OVERDUE_AMOUNT, overdue, now);
        out.set(Indicator.MATERIAL_DAYS_PAST_DUE, materialDaysPastDue, now);
        if (!reports.isEmpty()) {
            boolean disagree = false;
            for (ServicingReport report : reports) {
                disagree |= report.disagrees();
            }
            out.set(Indicator.SERVICING_ARREARS_MISMATCH, disagree ? 1 : 0, now);
        }
        // The classifications of each regime follow from these in RegulatoryStatus, once the claims share is known.
        // Nothing due soon is a shortfall of 0 whatever the means (absent would be unknown, and keep a reminder open).
        // Something due is a shortfall only against known means: a borrower whose accounts the bank does not feed us
        // has unknown means, not none, and every instalment of it would look uncovered.
        if (dueSoon == 0) {
            out.set(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 0, now);
        } else if (meansKnown) {
            out.set(Indicator.UPCOMING_INSTALMENT_SHORTFALL, Math.max(0, dueSoon - Math.max(0, coverable)), now);
        }
    }

    /**
     * Tells what a look at the arrears finds with no event: the instalments that fell past due unpaid since the last
     * look (due on or after that day, and before today), or every open one when still owed after an upgrade
     * ({@link #tellOpenOnce}). One an event of this batch already told is left as that event told it.
     */
    private void tellOnLook(int today, List<Told> told) {
        for (Instalment instalment : open) {
            boolean fellPastDue = instalment.outstanding() > 0 && instalment.dueDay < today
                    && lastEvaluatedDay <= instalment.dueDay; // NONE, before any look, is below every day
            if (!instalment.reported && (fellPastDue || tellOpenOnce) && told.stream().noneMatch(earlier -> earlier.about(instalment))) {
                told.add(Told.of(instalment, today, false, null, Days.start(today)));
            }
        }
        tellOpenOnce = false;
    }

    /** How many instalments an alert names; the rest are counted. */
    static final int CITED = 3;

    /**
     * The instalments behind the arrears, oldest due first: the facts the past-due and classification indicators
     * follow from, each citing the latest event about it (the missed-payment notice, or the schedule).
     */
    void explainOverdue(int today, java.util.function.UnaryOperator<String> facilityCurrency, Evidence evidence) {
        cite(instalmentsBy(today, true), facilityCurrency, true, evidence);
    }

    /** The instalments due within the reminder horizon that a reminder is about, soonest first. */
    void explainDueSoon(int today, int reminderHorizonDays, java.util.function.UnaryOperator<String> facilityCurrency, Evidence evidence) {
        List<Instalment> dueSoon = instalmentsBy(today, false);
        dueSoon.removeIf(instalment -> instalment.dueDay > today + reminderHorizonDays);
        cite(dueSoon, facilityCurrency, false, evidence);
    }

    private List<Instalment> instalmentsBy(int today, boolean overdue) {
        List<Instalment> chosen = new ArrayList<>();
        for (Instalment instalment : open) {
            if ((instalment.dueDay < today) == overdue && instalment.outstanding() > 0) {
                chosen.add(instalment);
            }
        }
        chosen.sort(OLDEST_DUE_FIRST);
        return chosen;
    }

    /** {@code facilityCurrency}: a facility's currency where an instalment kept none (state before format 7). */
    private static void cite(List<Instalment> instalments, java.util.function.UnaryOperator<String> facilityCurrency, boolean pastDue,
            Evidence evidence) {
        for (int i = 0; i < Math.min(CITED, instalments.size()); i++) {
            Instalment instalment = instalments.get(i);
            evidence.add(instalment.fact(facilityCurrency.apply(instalment.facilityId), pastDue), instalment.eventId, "RepaymentEvent",
                    instalment.eventAt);
        }
        if (instalments.size() > CITED) {
            evidence.add("and " + (instalments.size() - CITED) + " more instalments " + (pastDue ? "past due" : "coming due"), null, null, 0);
        }
    }

    private static boolean isMaterial(long overdue, long exposure, RiskSettings settings) {
        return overdue > settings.materialityFloorMinor()
                && Ratios.basisPoints(overdue, Math.max(exposure, 1)) > settings.materialityShareBasisPoints();
    }

    /** The first day the arrears as they stand today were material: the day after the due date that made them so. */
    private int firstMaterialDay(int today, long exposure, Money money, RiskSettings settings) {
        List<Instalment> overdue = new ArrayList<>();
        for (Instalment instalment : open) {
            if (instalment.dueDay < today && instalment.outstanding() > 0) {
                overdue.add(instalment);
            }
        }
        overdue.sort(OLDEST_DUE_FIRST);
        long cumulative = 0;
        for (Instalment instalment : overdue) {
            cumulative = Math.addExact(cumulative, money.forMateriality(instalment.outstanding(), instalment.currency));
            if (isMaterial(cumulative, exposure, settings)) {
                return instalment.dueDay + 1;
            }
        }
        return today;
    }

    /** Days past due of the facility's oldest unpaid instalment on {@code today}. */
    int daysPastDue(String facilityId, int today) {
        int days = 0;
        for (Instalment instalment : open) {
            if (instalment.facilityId.equals(facilityId) && instalment.dueDay < today && instalment.outstanding() > 0) {
                days = Math.max(days, today - instalment.dueDay);
            }
        }
        return days;
    }

    /** The facility's unpaid amount past due on {@code today}. */
    long overdue(String facilityId, int today) {
        long overdue = 0;
        for (Instalment instalment : open) {
            if (instalment.facilityId.equals(facilityId) && instalment.dueDay < today) {
                overdue = Math.addExact(overdue, instalment.outstanding());
            }
        }
        return overdue;
    }

    /** The currencies the open instalments are in, each once (none known for state before format 7). */
    List<String> currencies() {
        List<String> currencies = new ArrayList<>(1);
        for (Instalment instalment : open) {
            if (instalment.currency != null && !currencies.contains(instalment.currency)) {
                currencies.add(instalment.currency);
            }
        }
        return currencies;
    }

    /** Facilities with open instalments that the profile does not list, each once. */
    List<String> facilitiesWithoutLine(Exposure exposure) {
        if (open.isEmpty()) {
            return List.of();
        }
        // A borrower has a handful of facilities: comparing lists beats hashing ids read fresh on every event.
        List<String> facilities = new ArrayList<>(2);
        for (Instalment instalment : open) {
            if (!facilities.contains(instalment.facilityId) && exposure.line(instalment.facilityId) == null) {
                facilities.add(instalment.facilityId);
            }
        }
        return facilities;
    }

    /** The next day whose start changes a repayment indicator without any event, or NONE. */
    int nextEvaluationDay(int today, RiskSettings settings) {
        int next = Days.NONE;
        for (Instalment instalment : open) {
            int candidate;
            if (instalment.dueDay < today) {
                candidate = today + 1; // past due: the count moves every day
            } else if (instalment.dueDay - settings.reminderHorizonDays() > today) {
                candidate = instalment.dueDay - settings.reminderHorizonDays(); // the reminder window opens
            } else {
                candidate = instalment.dueDay + 1; // the day it falls past due
            }
            next = next == Days.NONE ? candidate : Math.min(next, candidate);
        }
        if (inDefault && curedSinceDay != Days.NONE) {
            int probationEnds = settings.probationEnds(curedSinceDay);
            next = next == Days.NONE ? probationEnds : Math.min(next, probationEnds);
        }
        return next;
    }

    void write(DataOutputView out, int base) throws IOException {
        StateIO.writeInt(out, open.size());
        for (Instalment instalment : open) {
            StateIO.writeText(out, instalment.facilityId);
            StateIO.writeText(out, instalment.instalmentId);
            StateIO.writeDay(out, instalment.dueDay, base);
            StateIO.writeLong(out, instalment.due);
            StateIO.writeLong(out, instalment.paid);
        }
        StateIO.writeDay(out, materialSinceDay, base);
        StateIO.writeDay(out, curedSinceDay, base);
        out.writeBoolean(inDefault);
        StateIO.writeDay(out, lastEvaluatedDay, base);
    }

    /** Each open instalment's currency and latest event (format 7 on), written after the rest of the borrower's state. */
    void writeCitations(DataOutputView out, long clock) throws IOException {
        for (Instalment instalment : open) {
            StateIO.writeString(out, instalment.currency);
            StateIO.writeString(out, instalment.eventId);
            StateIO.writeTime(out, instalment.eventAt, clock);
        }
    }

    /** What servicing systems reported (format 8 on), written after the rest of the borrower's state. */
    void writeServicing(DataOutputView out, long clock) throws IOException {
        for (Instalment instalment : open) {
            out.writeBoolean(instalment.reported);
        }
        StateIO.writeInt(out, scheduledFacilities.size());
        for (String facilityId : scheduledFacilities) {
            StateIO.writeText(out, facilityId);
        }
        StateIO.writeInt(out, reportedFacilities.size());
        for (String facilityId : reportedFacilities) {
            StateIO.writeText(out, facilityId);
        }
        StateIO.writeInt(out, reports.size());
        for (ServicingReport report : reports) {
            StateIO.writeText(out, report.facilityId());
            StateIO.writeText(out, report.eventId());
            StateIO.writeTime(out, report.at(), clock);
            StateIO.writeText(out, report.currency());
            StateIO.writeInt(out, report.daysPastDue());
            StateIO.writeLong(out, report.overdue());
            StateIO.writeInt(out, report.scheduleDaysPastDue());
            StateIO.writeLong(out, report.scheduleOverdue());
            out.writeBoolean(report.disagrees());
        }
    }

    /**
     * Before format 8 nothing was reported: every facility with an instalment had its schedule sent, so those are
     * taken as scheduled.
     */
    void readServicing(DataInputView in, int format, long clock) throws IOException {
        if (format < 8) {
            for (Instalment instalment : open) {
                if (!scheduledFacilities.contains(instalment.facilityId)) {
                    scheduledFacilities.add(instalment.facilityId);
                }
            }
            return;
        }
        for (Instalment instalment : open) {
            instalment.reported = in.readBoolean();
        }
        for (int i = StateIO.readInt(in); i > 0; i--) {
            scheduledFacilities.add(StateIO.readText(in, format));
        }
        for (int i = StateIO.readInt(in); i > 0; i--) {
            reportedFacilities.add(StateIO.readText(in, format));
        }
        for (int i = StateIO.readInt(in); i > 0; i--) {
            reports.add(new ServicingReport(StateIO.readText(in, format), StateIO.readText(in, format), StateIO.readTime(in, format, clock),
                    StateIO.readText(in, format), StateIO.readInt(in), StateIO.readLong(in), StateIO.readInt(in), StateIO.readLong(in),
                    in.readBoolean()));
        }
    }

    /** The instalments seen settled (part format 2 on), by facility: a facility's id once, then its instalments. */
    void writeSettled(DataOutputView out, int base) throws IOException {
        List<String> facilities = new ArrayList<>(2);
        for (Settled s : settled) {
            if (!facilities.contains(s.facilityId())) {
                facilities.add(s.facilityId());
            }
        }
        StateIO.writeInt(out, facilities.size());
        for (String facilityId : facilities) {
            StateIO.writeText(out, facilityId);
            StateIO.writeInt(out, (int) settled.stream().filter(s -> s.facilityId().equals(facilityId)).count());
            for (Settled s : settled) {
                if (s.facilityId().equals(facilityId)) {
                    out.writeInt(s.idHash());
                    StateIO.writeDay(out, s.dueDay(), base);
                    StateIO.writeLong(out, s.ignoredPaid());
                }
            }
        }
        // Still to tell: a part read from before format 2 and written again before its first look (the store's
        // periodic rewrite) keeps owing its open instalments.
        out.writeBoolean(tellOpenOnce);
    }

    /**
     * Before part format 2 no settled instalment was kept, and no instalment was told: every open one is told
     * at the first look ({@link #tellOpenOnce}).
     */
    void readSettled(DataInputView in, int partFormat, int base) throws IOException {
        if (partFormat < 2) {
            tellOpenOnce = true;
            return;
        }
        for (int facilities = StateIO.readInt(in); facilities > 0; facilities--) {
            String facilityId = StateIO.readText(in, 10);
            for (int i = StateIO.readInt(in); i > 0; i--) {
                settled.add(new Settled(facilityId, in.readInt(), StateIO.readDay(in, base), StateIO.readLong(in)));
            }
        }
        tellOpenOnce = in.readBoolean();
    }

    void readCitations(DataInputView in, int format, long clock) throws IOException {
        for (Instalment instalment : open) {
            instalment.currency = StateIO.readString(in, format);
            instalment.eventId = StateIO.readString(in, format);
            instalment.eventAt = StateIO.readTime(in, format, clock);
        }
    }

    static Repayments read(DataInputView in, int format, int base) throws IOException {
        Repayments r = new Repayments();
        for (int i = StateIO.readInt(in); i > 0; i--) {
            Instalment instalment = new Instalment();
            instalment.facilityId = StateIO.readText(in, format);
            instalment.instalmentId = StateIO.readText(in, format);
            instalment.dueDay = StateIO.readDay(in, base);
            instalment.due = StateIO.readLong(in);
            instalment.paid = StateIO.readLong(in);
            r.open.add(instalment);
        }
        r.materialSinceDay = StateIO.readDay(in, base);
        r.curedSinceDay = StateIO.readDay(in, base);
        r.inDefault = in.readBoolean();
        r.lastEvaluatedDay = StateIO.readDay(in, base);
        return r;
    }
}
