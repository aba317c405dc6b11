package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.jobs.ingest.RatingScale;
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

    void record(CreditEvent c) {
        int day = Days.of(c.getEventTime().toEpochMilli());
        lastEventAt = Math.max(lastEventAt, c.getEventTime().toEpochMilli());
        switch (c.getKind()) {
            case RATING_CHANGE -> {
                if (ratings.isEmpty()) {
                    ratings.add(new int[] {day, RatingScale.notch(c.getPreviousRating())});
                }
                ratings.add(new int[] {day, RatingScale.notch(c.getNewRating())});
                trim(ratings, day);
            }
            case OVERDUE_ELSEWHERE -> {
                overdueElsewhere = c.getAmountMinor() == null ? 0 : c.getAmountMinor();
                overdueElsewhereDay = day;
            }
            case LAWSUIT -> addDay(lawsuitDays, day);
            case ENFORCEMENT -> {
                addDay(lawsuitDays, day);
                enforcementDay = Math.max(enforcementDay, day);
            }
            case GUARANTEE_CALLED -> guaranteeCalledDay = Math.max(guaranteeCalledDay, day);
            case TAX_ARREARS -> taxArrearsDay = Math.max(taxArrearsDay, day);
            case NEGATIVE_NEWS -> negativeNewsDay = Math.max(negativeNewsDay, day);
            default -> { }
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
