package dev.kestrel.jobs.risk;

import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.bareProfile;
import static dev.kestrel.jobs.Events.review;
import static dev.kestrel.jobs.Events.wrap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.time.LocalDate;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * The periodic review schedule as a credit officer reads it: a review is due a period after the latest one (before
 * the first, after the borrower came on the books), the period set by the borrower's watch grade, or by the reviewer's
 * earlier date; the day after, it is one day overdue. Day 0 is 2026-01-01.
 */
class ReviewsTest {
    private static final String B = "B-1";
    private final RiskSettings settings = RiskSettings.defaults();
    private final BorrowerState state = new BorrowerState();
    private final IndicatorValues values = new IndicatorValues();

    private void apply(SpecificRecordBase... records) {
        for (SpecificRecordBase record : records) {
            state.advanceClock(Events.wrap(record).eventTimeMillis);
            state.apply(wrap(record), settings);
        }
    }

    private Long overdueOn(int day) {
        state.advanceClock(at(day).toEpochMilli());
        state.indicators(values, settings);
        return values.has(Indicator.REVIEW_OVERDUE_DAYS) ? values.get(Indicator.REVIEW_OVERDUE_DAYS) : null;
    }

    private LocalDate due() {
        return state.reviewDueDay == Days.NONE ? null : LocalDate.ofEpochDay(state.reviewDueDay);
    }

    @Test
    void aBorrowerNeverReviewedIsDueAYearAfterItsProfileCameWhileGreen() {
        assertThat(overdueOn(0)).as("no profile, no schedule").isNull();
        apply(bareProfile(B, 0));
        assertThat(overdueOn(1)).isZero();
        assertThat(due()).isEqualTo(LocalDate.parse("2027-01-01"));
        assertThat(overdueOn(365)).as("due on 2027-01-01 itself: not yet overdue").isZero();
        assertThat(overdueOn(366)).isEqualTo(1);
        assertThat(overdueOn(400)).isEqualTo(35);
    }

    @Test
    void aReviewRestartsTheScheduleAndAReviewerMayBringTheNextOneForwardButNotPutItOff() {
        apply(bareProfile(B, 0));
        apply(review(B, "RV-1", 100, 101, 150)); // done 2026-04-11, next set for 2026-05-31
        assertThat(overdueOn(101)).isZero();
        assertThat(due()).isEqualTo(LocalDate.parse("2026-05-31"));
        assertThat(state.lastReviewDay).isEqualTo(Days.of(at(100).toEpochMilli()));
        assertThat(overdueOn(151)).isEqualTo(1);

        apply(review(B, "RV-2", 160, 160, 900)); // done 2026-06-10; the reviewer's 2028 date is past the yearly schedule
        assertThat(overdueOn(160)).isZero();
        assertThat(due()).isEqualTo(LocalDate.parse("2027-06-10"));
    }

    @Test
    void anOlderReviewArrivingLateChangesNothingAndACorrectionOfTheSameDayReplacesIt() {
        apply(bareProfile(B, 0));
        apply(review(B, "RV-2", 200, 200, 230));
        apply(review(B, "RV-1", 100, 201, 120)); // recorded after RV-2, but done earlier
        assertThat(overdueOn(201)).isZero();
        assertThat(due()).isEqualTo(Events.date(230));

        BorrowerReview correction = BorrowerReview.newBuilder(review(B, "RV-2b", 200, 202, 260)).build();
        apply(correction);
        assertThat(overdueOn(202)).isZero();
        assertThat(due()).as("the same day's review, recorded later, corrects the next date").isEqualTo(Events.date(260));
    }

    /** As BorrowerScoring moves a borrower to another grade on a day: right after that day's evaluation. */
    private void grade(WatchGrade grade, int sinceDay) {
        overdueOn(sinceDay);
        state.watch.grade = grade;
        state.watch.gradeSince = at(sinceDay).toEpochMilli();
        state.gradeMoved();
    }

    @Test
    void aBorrowerThatTurnsRedIsDueAMonthAfterItTurnedNotAtOnceForTheMonthsItWasGreen() {
        apply(bareProfile(B, 0));
        grade(WatchGrade.GREEN, 0);
        apply(review(B, "RV-1", 30, 30, -1)); // done 2026-01-31, no date set
        assertThat(overdueOn(31)).isZero();
        assertThat(due()).isEqualTo(LocalDate.parse("2027-01-31"));

        grade(WatchGrade.RED, 200); // 2026-07-20
        assertThat(overdueOn(201)).isZero();
        assertThat(due()).isEqualTo(LocalDate.parse("2026-08-20"));
        assertThat(overdueOn(232)).as("2026-08-21").isEqualTo(1);

        apply(review(B, "RV-2", 235, 235, -1)); // 2026-08-24
        assertThat(overdueOn(235)).isZero();
        assertThat(due()).as("monthly while RED").isEqualTo(LocalDate.parse("2026-09-24"));

        grade(WatchGrade.AMBER, 250);
        assertThat(overdueOn(251)).isZero();
        assertThat(due()).as("a better grade does not put off the review RED called for").isEqualTo(LocalDate.parse("2026-09-24"));

        apply(review(B, "RV-3", 260, 260, -1)); // 2026-09-18
        assertThat(overdueOn(260)).isZero();
        assertThat(due()).as("quarterly from the review, now AMBER").isEqualTo(LocalDate.parse("2026-12-18"));
    }

    @Test
    void aWorseGradeNeverPutsTheReviewOffAndABetterOneKeepsTheReviewTheListCalledFor() {
        apply(bareProfile(B, 0));
        grade(WatchGrade.GREEN, 0);
        apply(review(B, "RV-1", 30, 30, -1));
        grade(WatchGrade.RED, 200); // due 2026-08-20
        assertThat(overdueOn(201)).isZero();
        grade(WatchGrade.BLACK, 215); // 2026-08-04: a month from BLACK would be 09-04
        assertThat(overdueOn(216)).isZero();
        assertThat(due()).as("BLACK a fortnight later still owes RED's review").isEqualTo(LocalDate.parse("2026-08-20"));
        assertThat(overdueOn(240)).isEqualTo(9);

        grade(WatchGrade.GREEN, 241); // off the watch list, the review not done
        assertThat(overdueOn(242)).as("still overdue: only a review ends it").isEqualTo(11);
    }

    @Test
    void theSameReviewDeliveredAgainAfterAMoveOfGradeChangesNothing() {
        apply(bareProfile(B, 0));
        grade(WatchGrade.GREEN, 0);
        BorrowerReview review = review(B, "RV-1", 0, 0, -1);
        apply(review);
        grade(WatchGrade.RED, 100); // due a month later
        apply(BorrowerReview.newBuilder(review).build()); // the API's outbox publishes it a second time
        assertThat(overdueOn(110)).isZero();
        assertThat(due()).as("not a month from the old review, which would be overdue at once").isEqualTo(Events.date(100).plusMonths(1));
    }

    @Test
    void aReviewDoneBeforeAMoveToRedButRecordedAfterItLeavesTheMonthFromTheMove() {
        apply(bareProfile(B, 0));
        grade(WatchGrade.GREEN, 0);
        grade(WatchGrade.RED, 320); // due a month later
        apply(review(B, "RV-1", 300, 340, -1)); // done while GREEN, recorded after the move
        assertThat(overdueOn(340)).as("recording a real review must not make the borrower overdue sooner").isZero();
        assertThat(due()).isEqualTo(Events.date(320).plusMonths(1));
    }

    @Test
    void aPeriodOfMoreThanTenYearsIsATypo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReviewSchedule("99999999999d", "3mo", "1mo", "1mo"))
                .hasMessage("a review period of at most 120 months (3720 days); got 99999999999d");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReviewSchedule("12mo", "3mo", "1mo", "121mo"))
                .hasMessageContaining("got 121mo");
    }

    @Test
    void monthsAreCalendarMonths() {
        apply(bareProfile(B, 0));
        grade(WatchGrade.RED, 10);
        apply(review(B, "RV-1", 30, 30, -1)); // done 2026-01-31
        assertThat(overdueOn(31)).isZero();
        assertThat(due()).as("a month after 31 January is the last day of February").isEqualTo(LocalDate.parse("2026-02-28"));
        assertThat(overdueOn(60)).as("2026-03-02").isEqualTo(2);
    }

    @Test
    void aGradeWithoutPeriodicReviewsWaitsOnlyForTheReviewersOwnDate() {
        RiskSettings none = settings.withReviewSchedule(new ReviewSchedule("0d", "3mo", "1mo", "1mo"));
        state.apply(wrap(bareProfile(B, 0)), none);
        state.advanceClock(at(500).toEpochMilli());
        state.indicators(values, none);
        assertThat(values.has(Indicator.REVIEW_OVERDUE_DAYS)).isFalse();

        BorrowerReview review = review(B, "RV-1", 500, 500, 530);
        state.apply(wrap(review), none);
        state.advanceClock(at(531).toEpochMilli());
        state.indicators(values, none);
        assertThat(values.get(Indicator.REVIEW_OVERDUE_DAYS)).isEqualTo(1);
    }

    @Test
    void theTimerComesTheDayAfterTheDueDayThenEveryDayWhileOverdue() {
        apply(bareProfile(B, 0));
        apply(review(B, "RV-1", 10, 10, 40));
        overdueOn(10);
        assertThat(state.nextEvaluationDay(settings)).isEqualTo(Days.of(at(41).toEpochMilli()));
        overdueOn(45);
        assertThat(state.nextEvaluationDay(settings)).isEqualTo(Days.of(at(46).toEpochMilli()));
    }

    @Test
    void explainsTheLatestReviewAndWhoseDateIsMissedOrThatThereWasNone() {
        apply(bareProfile(B, 0));
        overdueOn(400);
        Evidence never = new Evidence();
        state.explain(new Indicator[] {Indicator.REVIEW_OVERDUE_DAYS}, never);
        assertThat(never.facts).containsExactly(
                "no review recorded since monitoring began on 2026-01-01; next review due 2027-01-01 (every 12 months on GREEN)");

        apply(review(B, "RV-7", 400, 401, 420));
        overdueOn(430);
        Evidence latest = new Evidence();
        state.explain(new Indicator[] {Indicator.REVIEW_OVERDUE_DAYS}, latest);
        assertThat(latest.facts).containsExactly("latest review RV-7: desk review on 2027-02-05 by ana; next review due 2027-02-25 (the reviewer's date)");
        assertThat(latest.events).extracting(e -> e.getEventId() + " " + e.getEventType()).containsExactly("RV-7 BorrowerReview");
    }
}
