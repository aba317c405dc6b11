package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.RatingScale;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What outside sources said about the borrower in the last year: rating moves, arrears at other lenders, lawsuits,
 * enforcement, called guarantees, tax arrears and adverse news. Only the days of these facts are kept, and only
 * within their windows.
 */
final class Bureau {
    static final int YEAR = 365;
    static final int MAX_KEPT = 8;

    /** The ratings held within the last year as (day, notch) pairs, oldest first; the last is the current one. */
    final List<int[]> ratings = new ArrayList<>();
    long overdueElsewhere;
    int overdueElsewhereDay = Days.NONE;
    final List<Integer> lawsuitDays = new ArrayList<>();
    int enforcementDay = Days.NONE;
    int guaranteeCalledDay = Days.NONE;
    int taxArrearsDay = Days.NONE;
    int negativeNewsDay = Days.NONE;
    long lastEventAt = Long.MIN_VALUE;
    /**
     * What the desk is told of each kind: the latest report of it as the source gave it (who, their reference, the
     * ratings or amount), and for lawsuits the latest {@link #CITED_LAWSUITS}; null or empty in state written before
     * format 7, until the next report.
     */
    Report rating;
    Report overdueElsewhereReport;
    Report enforcement;
    Report guaranteeCalled;
    Report taxArrears;
    Report negativeNews;
    final List<Report> lawsuits = new ArrayList<>();

    /** A source's report as kept in state: the parts that vary, worded into a sentence only when an alert cites it. */
    record Report(String eventId, long at, String source, String reference, String what) {

        String fact() {
            return source + " (ref. " + reference + ") reported on " + Evidence.date(at) + ": " + what;
        }

        void write(DataOutputView out, long clock) throws IOException {
            StateIO.writeText(out, eventId);
            StateIO.writeTime(out, at, clock);
            StateIO.writeText(out, source);
            StateIO.writeText(out, reference);
            StateIO.writeText(out, what);
        }

        static Report read(DataInputView in, int format, long clock) throws IOException {
            return new Report(StateIO.readText(in, format), StateIO.readTime(in, format, clock), StateIO.readText(in, format),
                    StateIO.readText(in, format), StateIO.readText(in, format));
        }
    }
    static final int CITED_LAWSUITS = 3;

    void record(CreditEvent c) {
        long at = c.getEventTime().toEpochMilli();
        int day = Days.of(at);
        lastEventAt = Math.max(lastEventAt, at);
        switch (c.getKind()) {
            case RATING_CHANGE -> {
                // Agencies' grades, on the agencies' scale whatever the bank's internal scale is.
                if (ratings.isEmpty()) {
                    ratings.add(new int[] {day, RatingScale.LETTERS.notch(c.getPreviousRating())});
                }
                ratings.add(new int[] {day, RatingScale.LETTERS.notch(c.getNewRating())});
                trim(ratings, day);
                rating = cite(c, (c.getPreviousRating() == null ? "rating set to " + c.getNewRating()
                        : "rating moved from " + c.getPreviousRating() + " to " + c.getNewRating()));
            }
            case OVERDUE_ELSEWHERE -> {
                overdueElsewhere = c.getAmountMinor() == null ? 0 : c.getAmountMinor();
                overdueElsewhereDay = day;
                overdueElsewhereReport = cite(c, (c.getAmountMinor() == null ? "arrears" : amount(c)) + " past due at another lender");
            }
            case LAWSUIT -> {
                addDay(lawsuitDays, day);
                addLawsuit(cite(c, "a lawsuit against the borrower" + (c.getAmountMinor() == null ? "" : ", claim " + amount(c))));
            }
            case ENFORCEMENT -> {
                addDay(lawsuitDays, day);
                enforcementDay = Math.max(enforcementDay, day);
                enforcement = cite(c, "enforcement against the borrower's assets" + (c.getAmountMinor() == null ? "" : ", " + amount(c)));
                addLawsuit(enforcement);
            }
            case GUARANTEE_CALLED -> {
                guaranteeCalledDay = Math.max(guaranteeCalledDay, day);
                guaranteeCalled = cite(c, "a guarantee given by the borrower was called" + (c.getAmountMinor() == null ? "" : ", " + amount(c)));
            }
            case TAX_ARREARS -> {
                taxArrearsDay = Math.max(taxArrearsDay, day);
                taxArrears = cite(c, "tax arrears" + (c.getAmountMinor() == null ? "" : " of " + amount(c)));
            }
            case NEGATIVE_NEWS -> {
                negativeNewsDay = Math.max(negativeNewsDay, day);
                // The item is cited by its reference; its free text may name individuals, and alert text is not masked.
                negativeNews = cite(c, "adverse news");
            }
            default -> { }
        }
    }

    /** "Landgericht Hamburg, 2026-04-14 (ref. 312 O 45/26): lawsuit ...": the source and its reference first. */
    private static Report cite(CreditEvent c, String what) {
        return new Report(c.getEventId(), c.getEventTime().toEpochMilli(), c.getSource(), c.getReference(), what);
    }

    private static String amount(CreditEvent c) {
        return AlertEpisodes.money(c.getAmountMinor(), c.getCurrency());
    }

    private void addLawsuit(Report lawsuit) {
        lawsuits.add(lawsuit);
        while (lawsuits.size() > CITED_LAWSUITS) {
            lawsuits.remove(0);
        }
    }

    /** The reports behind one of the bureau's indicators, while they still count towards it. */
    void explain(Indicator indicator, int today, Evidence evidence) {
        switch (indicator) {
            case RATING_DOWNGRADE_NOTCHES -> citeIf(rating, today, YEAR, evidence);
            case OVERDUE_ELSEWHERE -> citeIf(overdueElsewhereReport, today, 180, evidence);
            case LAWSUITS_365D -> lawsuits.forEach(lawsuit -> citeIf(lawsuit, today, YEAR, evidence));
            case ENFORCEMENT_365D -> citeIf(enforcement, today, YEAR, evidence);
            case GUARANTEE_CALLED_365D -> citeIf(guaranteeCalled, today, YEAR, evidence);
            case TAX_ARREARS_365D -> citeIf(taxArrears, today, YEAR, evidence);
            case NEGATIVE_NEWS_90D -> citeIf(negativeNews, today, 90, evidence);
            default -> { }
        }
    }

    private static void citeIf(Report report, int today, int windowDays, Evidence evidence) {
        if (report != null && within(Days.of(report.at()), today, windowDays)) {
            evidence.add(report.fact(), report.eventId(), "CreditEvent", report.at());
        }
    }

    private static void addDay(List<Integer> days, int day) {
        days.add(day);
        days.removeIf(d -> d <= day - YEAR);
        while (days.size() > MAX_KEPT) {
            days.remove(0);
        }
    }

    private static void trim(List<int[]> ratings, int today) {
        // Keep the rating in force a year ago (the last one set before the window) and every later one.
        while (ratings.size() > 1 && ratings.get(1)[0] <= today - YEAR) {
            ratings.remove(0);
        }
        while (ratings.size() > MAX_KEPT) {
            ratings.remove(0);
        }
    }

    void indicators(IndicatorValues out, int today, long now) {
        if (lastEventAt == Long.MIN_VALUE) {
            return;
        }
        trim(ratings, today);
        if (!ratings.isEmpty()) {
            int best = Integer.MAX_VALUE;
            for (int[] rating : ratings) {
                best = Math.min(best, rating[1]);
            }
            int[] current = ratings.get(ratings.size() - 1);
            out.set(Indicator.RATING_DOWNGRADE_NOTCHES, current[1] - best, Days.start(current[0]));
        }
        out.set(Indicator.OVERDUE_ELSEWHERE, within(overdueElsewhereDay, today, 180) ? overdueElsewhere : 0, now);
        long lawsuits = lawsuitDays.stream().filter(d -> within(d, today, YEAR)).count();
        out.set(Indicator.LAWSUITS_365D, lawsuits, now);
        out.set(Indicator.ENFORCEMENT_365D, within(enforcementDay, today, YEAR) ? 1 : 0, now);
        out.set(Indicator.GUARANTEE_CALLED_365D, within(guaranteeCalledDay, today, YEAR) ? 1 : 0, now);
        out.set(Indicator.TAX_ARREARS_365D, within(taxArrearsDay, today, YEAR) ? 1 : 0, now);
        out.set(Indicator.NEGATIVE_NEWS_90D, within(negativeNewsDay, today, 90) ? 1 : 0, now);
    }

    /**
     * The first day after {@code today} whose start changes a bureau indicator with no report arriving: a report
     * leaving its window, or a rating leaving the year, or NONE when nothing will.
     */
    int nextChangeDay(int today) {
        int next = leaves(Days.NONE, overdueElsewhereDay, 180, today);
        for (int day : lawsuitDays) {
            next = leaves(next, day, YEAR, today);
        }
        next = leaves(next, enforcementDay, YEAR, today);
        next = leaves(next, guaranteeCalledDay, YEAR, today);
        next = leaves(next, taxArrearsDay, YEAR, today);
        next = leaves(next, negativeNewsDay, 90, today);
        for (int[] rating : ratings) {
            next = leaves(next, rating[0], YEAR, today);
        }
        return next;
    }

    /** The earlier of {@code next} and the day a fact of {@code day} leaves a window of {@code windowDays}, if after today. */
    private static int leaves(int next, int day, int windowDays, int today) {
        if (day == Days.NONE || day + windowDays <= today) {
            return next;
        }
        int leaving = day + windowDays;
        return next == Days.NONE ? leaving : Math.min(next, leaving);
    }

    private static boolean within(int day, int today, int windowDays) {
        return day != Days.NONE && day > today - windowDays;
    }

    void write(DataOutputView out, int base, long clock) throws IOException {
        StateIO.writeTime(out, lastEventAt, clock);
        StateIO.writeInt(out, ratings.size());
        for (int[] rating : ratings) {
            StateIO.writeDay(out, rating[0], base);
            StateIO.writeInt(out, rating[1]);
        }
        StateIO.writeLong(out, overdueElsewhere);
        StateIO.writeDay(out, overdueElsewhereDay, base);
        StateIO.writeInt(out, lawsuitDays.size());
        for (int day : lawsuitDays) {
            StateIO.writeDay(out, day, base);
        }
        StateIO.writeDay(out, enforcementDay, base);
        StateIO.writeDay(out, guaranteeCalledDay, base);
        StateIO.writeDay(out, taxArrearsDay, base);
        StateIO.writeDay(out, negativeNewsDay, base);
    }

    /** The reports the desk is told of (format 7 on), written after the rest of the borrower's state. */
    void writeCitations(DataOutputView out, long clock) throws IOException {
        for (Report report : new Report[] {rating, overdueElsewhereReport, enforcement, guaranteeCalled, taxArrears, negativeNews}) {
            out.writeBoolean(report != null);
            if (report != null) {
                report.write(out, clock);
            }
        }
        StateIO.writeInt(out, lawsuits.size());
        for (Report lawsuit : lawsuits) {
            lawsuit.write(out, clock);
        }
    }

    void readCitations(DataInputView in, int format, long clock) throws IOException {
        rating = in.readBoolean() ? Report.read(in, format, clock) : null;
        overdueElsewhereReport = in.readBoolean() ? Report.read(in, format, clock) : null;
        enforcement = in.readBoolean() ? Report.read(in, format, clock) : null;
        guaranteeCalled = in.readBoolean() ? Report.read(in, format, clock) : null;
        taxArrears = in.readBoolean() ? Report.read(in, format, clock) : null;
        negativeNews = in.readBoolean() ? Report.read(in, format, clock) : null;
        for (int i = StateIO.readInt(in); i > 0; i--) {
            lawsuits.add(Report.read(in, format, clock));
        }
    }

    static Bureau read(DataInputView in, int format, int base, long clock) throws IOException {
        Bureau b = new Bureau();
        b.lastEventAt = StateIO.readTime(in, format, clock);
        for (int i = StateIO.readInt(in); i > 0; i--) {
            b.ratings.add(new int[] {StateIO.readDay(in, base), StateIO.readInt(in)});
        }
        b.overdueElsewhere = StateIO.readLong(in);
        b.overdueElsewhereDay = StateIO.readDay(in, base);
        for (int i = StateIO.readInt(in); i > 0; i--) {
            b.lawsuitDays.add(StateIO.readDay(in, base));
        }
        b.enforcementDay = StateIO.readDay(in, base);
        b.guaranteeCalledDay = StateIO.readDay(in, base);
        b.taxArrearsDay = StateIO.readDay(in, base);
        b.negativeNewsDay = StateIO.readDay(in, base);
        return b;
    }
}
