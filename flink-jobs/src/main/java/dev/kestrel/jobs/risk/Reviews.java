package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.ReviewKind;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A borrower's periodic reviews (定期复查, 定期回访) and the day the next one is due. A review sets it one period of the
 * borrower's watch grade after the review (after the day the borrower entered its grade, for a review done before
 * that), or to the reviewer's date when that is earlier; before the first review, one period after the borrower's
 * first profile came. A move to another grade brings it forward to one period of the
 * new grade after the move, when that is sooner, and never puts it off: a borrower that turns RED is due within a
 * month of turning RED (not at once for the months it spent GREEN), one that turns BLACK a month later still owes
 * RED's review, and one that leaves the watch list still owes the review the list called for. Only a review moves the
 * date later. Sets {@link Indicator#REVIEW_OVERDUE_DAYS}.
 */
final class Reviews {
    private static final ReviewKind[] KINDS = ReviewKind.values();
    private static final WatchGrade[] GRADES = WatchGrade.values();
    /** Why the review is due when it is: the grade's period from the latest review (or the start), the reviewer's date, a move of grade. */
    static final int BY_SCHEDULE = 0;
    static final int BY_REVIEWER = 1;
    static final int BY_GRADE = 2;

    /** The day the borrower's first profile came: the schedule's start before any review; NONE before it. */
    int monitoredSinceDay = Days.NONE;
    /** The latest review, by the day it took place; NONE before the first. */
    int reviewDay = Days.NONE;
    int nextDay = Days.NONE;
    String reviewId;
    ReviewKind kind;
    String reviewedBy;
    long recordedAt = Long.MIN_VALUE;
    /** The day the next review is due, NONE while none is (no profile or review yet, or a grade without reviews). */
    int dueDay = Days.NONE;
    /** The grade the due day follows; null until the schedule starts (and for a borrower kept before reviews). */
    WatchGrade dueGrade;
    int dueCause = BY_SCHEDULE;
    /** The grade whose period set the due day (a later move that did not bring it forward leaves it). */
    WatchGrade dueSetBy;
    /** The day the period of the due day counts from: the latest review, the start, or the move of grade. */
    int dueFrom = Days.NONE;

    /** The borrower's profile came: the schedule starts, unless it has already; says whether anything changed. */
    boolean monitoredFrom(int day, WatchStanding watch, ReviewSchedule schedule) {
        if (monitoredSinceDay != Days.NONE) {
            return false;
        }
        monitoredSinceDay = day;
        if (reviewDay == Days.NONE) {
            restart(watch, schedule);
        }
        return true;
    }

    /**
     * Takes a review if it is the latest: done on a later day than the one kept, or on the same day and recorded no
     * earlier (a correction); the schedule restarts from it. An older review arriving late changes nothing, and the
     * same review again (the API may publish one twice) changes nothing either, whatever the grade is by then. Says
     * whether it was taken.
     */
    boolean record(BorrowerReview review, WatchStanding watch, ReviewSchedule schedule) {
        int day = (int) review.getReviewDate().toEpochDay();
        long at = review.getEventTime().toEpochMilli();
        if (reviewDay != Days.NONE && (day < reviewDay || (day == reviewDay && at < recordedAt)
                || review.getEventId().equals(reviewId))) {
            return false;
        }
        reviewDay = day;
        nextDay = review.getNextReviewDate() == null ? Days.NONE : (int) review.getNextReviewDate().toEpochDay();
        reviewId = review.getEventId();
        kind = review.getKind();
        reviewedBy = review.getReviewedBy();
        recordedAt = at;
        restart(watch, schedule);
        return true;
    }

    /**
     * Follows the borrower's grade: a move brings the due day forward to one period of the new grade after the move when
     * that is sooner. A borrower kept before reviews, or whose schedule had not started, starts it now. Says whether
     * anything changed.
     */
    boolean follow(WatchStanding watch, int today, ReviewSchedule schedule) {
        WatchGrade grade = watch.grade;
        if (dueGrade == null) {
            if (monitoredSinceDay == Days.NONE && reviewDay == Days.NONE) {
                return false;
            }
            restart(watch, schedule);
            return true;
        }
        if (dueGrade == grade) {
            return false;
        }
        int moved = watch.gradeSince == Long.MIN_VALUE ? today : Days.of(watch.gradeSince);
        int byGrade = schedule.after(moved, grade);
        dueGrade = grade;
        if (byGrade != Days.NONE && (dueDay == Days.NONE || byGrade < dueDay)) {
            dueDay = byGrade;
            dueCause = BY_GRADE;
            dueFrom = moved;
            dueSetBy = grade;
        }
        return true;
    }

    /**
     * The due day on the schedule of the borrower's grade from the latest review (or the start), or from the day it
     * entered its grade when that is later: a review done before a move to RED does not answer RED's call for one, and
     * recording it late must not make the borrower overdue sooner than not recording it. The reviewer's earlier date
     * wins.
     */
    private void restart(WatchStanding watch, ReviewSchedule schedule) {
        dueGrade = watch.grade;
        int from = reviewDay != Days.NONE ? reviewDay : monitoredSinceDay;
        int gradeSince = watch.gradeSince == Long.MIN_VALUE ? Days.NONE : Days.of(watch.gradeSince);
        boolean fromGrade = gradeSince != Days.NONE && gradeSince > from;
        dueFrom = fromGrade ? gradeSince : from;
        dueDay = schedule.after(dueFrom, dueGrade);
        dueCause = fromGrade ? BY_GRADE : BY_SCHEDULE;
        dueSetBy = dueGrade;
        if (reviewDay != Days.NONE && nextDay != Days.NONE && (dueDay == Days.NONE || nextDay < dueDay)) {
            dueDay = nextDay;
            dueCause = BY_REVIEWER;
        }
    }

    void indicators(IndicatorValues out, int today) {
        if (dueDay != Days.NONE) {
            out.set(Indicator.REVIEW_OVERDUE_DAYS, Math.max(0, today - dueDay), IndicatorValues.AS_OF_EVALUATION);
        }
    }

    /** The next day whose start moves the indicator with no event: the day after the due day, then every day. */
    int nextEvaluationDay(int today) {
        if (dueDay == Days.NONE) {
            return Days.NONE;
        }
        return dueDay >= today ? dueDay + 1 : today + 1;
    }

    /** The latest review (or, before any, since when the borrower has been monitored), and why the next is due when it is. */
    void explain(ReviewSchedule schedule, Evidence evidence) {
        if (dueDay == Days.NONE) {
            return;
        }
        String why = switch (dueCause) {
            case BY_REVIEWER -> "the reviewer's date";
            case BY_GRADE -> schedule.describe(dueSetBy) + " after it became " + dueSetBy + " on " + LocalDate.ofEpochDay(dueFrom);
            default -> "every " + schedule.describe(dueSetBy) + " on " + dueSetBy;
        };
        String dueBy = "next review due " + LocalDate.ofEpochDay(dueDay) + " (" + why + ")";
        if (reviewDay == Days.NONE) {
            evidence.add("no review recorded since monitoring began on " + LocalDate.ofEpochDay(monitoredSinceDay) + "; " + dueBy,
                    null, null, 0);
            return;
        }
        evidence.add("latest review " + reviewId + ": " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " on "
                + LocalDate.ofEpochDay(reviewDay) + " by " + reviewedBy + "; " + dueBy, reviewId, "BorrowerReview", recordedAt);
    }

    void write(DataOutputView out, int base, long clock) throws IOException {
        StateIO.writeDay(out, monitoredSinceDay, base);
        StateIO.writeDay(out, dueDay, base);
        out.writeByte(dueGrade == null ? 0 : dueGrade.ordinal() + 1);
        out.writeByte(dueSetBy == null ? 0 : dueSetBy.ordinal() + 1);
        out.writeByte(dueCause);
        StateIO.writeDay(out, dueFrom, base);
        StateIO.writeDay(out, reviewDay, base);
        if (reviewDay == Days.NONE) {
            return;
        }
        StateIO.writeDay(out, nextDay, base);
        StateIO.writeText(out, reviewId);
        out.writeByte(kind.ordinal());
        StateIO.writeText(out, reviewedBy);
        StateIO.writeTime(out, recordedAt, clock);
    }

    static Reviews read(DataInputView in, int format, int base, long clock) throws IOException {
        Reviews r = new Reviews();
        r.monitoredSinceDay = StateIO.readDay(in, base);
        r.dueDay = StateIO.readDay(in, base);
        int grade = in.readUnsignedByte();
        r.dueGrade = grade == 0 ? null : GRADES[grade - 1];
        int setBy = in.readUnsignedByte();
        r.dueSetBy = setBy == 0 ? null : GRADES[setBy - 1];
        r.dueCause = in.readUnsignedByte();
        r.dueFrom = StateIO.readDay(in, base);
        r.reviewDay = StateIO.readDay(in, base);
        if (r.reviewDay == Days.NONE) {
            return r;
        }
        r.nextDay = StateIO.readDay(in, base);
        r.reviewId = StateIO.readText(in, format);
        r.kind = KINDS[in.readUnsignedByte()];
        r.reviewedBy = StateIO.readText(in, format);
        r.recordedAt = StateIO.readTime(in, format, clock);
        return r;
    }
}
