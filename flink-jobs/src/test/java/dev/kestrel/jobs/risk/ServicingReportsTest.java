package dev.kestrel.jobs.risk;

import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.profile;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.EventValidator;
import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.RatingScale;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.indicator.IndicatorValues;
import org.junit.jupiter.api.Test;

/**
 * What loan servicing systems report, as a credit officer reads it: a facility whose schedule the bank does not send
 * is judged on the servicing system's own arrears; one whose schedule it sends is checked against them, and a
 * disagreement is raised for reconciliation; a payment that names no instalment settles the oldest first.
 */
class ServicingReportsTest {
    private static final String B = "B-1";
    private final BorrowerHistory history = new BorrowerHistory(B);

    private static RepaymentEvent report(int day, String facility, int daysPastDue, long overdueYuan) {
        return Events.servicingReport(B, facility, day, daysPastDue, overdueYuan);
    }

    @Test
    void aFacilityWithoutAScheduleIsJudgedOnTheServicingSystemsArrearsWhichAgeDayByDay() {
        history.apply(profile(B, null, 0, 1_000_000, 1_000_000));
        RepaymentEvent report = report(50, "F-B-1", 45, 300_000);
        history.apply(report);

        IndicatorValues values = history.indicators();
        assertThat(values.get(Indicator.DAYS_PAST_DUE)).isEqualTo(45);
        assertThat(values.get(Indicator.OVERDUE_AMOUNT)).isEqualTo(yuan(300_000));
        history.ageTo(at(51).toEpochMilli());
        assertThat(history.indicators().get(Indicator.DAYS_PAST_DUE)).as("arrears age until the next report").isEqualTo(46);
        Alert arrears = history.only("REPAY-ARREARS", AlertLifecycle.OPENED);
        assertThat(arrears.getExplanation().getSummary())
                .contains("F-B-1, CNY 300,000.00 overdue, past due since " + Events.date(6) + " as its servicing system reported on " + Events.date(50));
        assertThat(arrears.getExplanation().getTriggeringEvents()).extracting(e -> e.getEventId()).containsExactly(report.getEventId());
        assertThat(history.only("CLASS-STATUS", AlertLifecycle.OPENED).getExplanation().getSummary()).contains("CN: special mention");

        history.apply(report(60, "F-B-1", 0, 0)); // settled, says the next report
        assertThat(history.indicators().get(Indicator.DAYS_PAST_DUE)).isZero();
        assertThat(history.indicators().isKnown(Indicator.SERVICING_ARREARS_MISMATCH)).as("nothing to check it against").isFalse();
    }

    @Test
    void aReportThatDisagreesWithTheScheduleIsRaisedForReconciliationAndOneThatAgreesClearsIt() {
        history.apply(profile(B, null, 0, 1_000_000, 1_000_000));
        history.apply(Events.scheduled(B, "F-B-1", "01", 0, 10, 50_000));
        history.apply(report(20, "F-B-1", 11, 50_000)); // the schedule says 10 days: a day apart is the same arrears
        assertThat(history.indicators().get(Indicator.SERVICING_ARREARS_MISMATCH)).isZero();

        history.apply(Events.paid(B, "F-B-1", "01", 21, 10, 50_000, 50_000));
        RepaymentEvent stale = report(25, "F-B-1", 15, 50_000);
        history.apply(stale);
        Alert mismatch = history.only("REPAY-SERVICING-MISMATCH", AlertLifecycle.OPENED);
        assertThat(mismatch.getSeverity().name()).isEqualTo("LOW");
        assertThat(mismatch.getExplanation().getSummary()).contains("The servicing system reported F-B-1 15 days past due with CNY 50,000.00 "
                + "overdue on " + Events.date(25) + "; its schedule says 0 days and CNY 0.00");
        assertThat(mismatch.getExplanation().getTriggeringEvents()).extracting(e -> e.getEventId()).containsExactly(stale.getEventId());
        assertThat(history.indicators().get(Indicator.DAYS_PAST_DUE)).as("the schedule, not the report, tells the arrears").isZero();

        history.apply(report(26, "F-B-1", 0, 0));
        history.only("REPAY-SERVICING-MISMATCH", AlertLifecycle.CLOSED);
    }

    @Test
    void aPaymentThatNamesNoInstalmentSettlesTheOldestFirst() {
        history.apply(profile(B, null, 0, 1_000_000, 1_000_000));
        history.apply(Events.scheduled(B, "F-B-1", "01", 0, 10, 30_000));
        history.apply(Events.scheduled(B, "F-B-1", "02", 0, 40, 30_000));
        history.ageTo(at(45).toEpochMilli());
        assertThat(history.indicators().get(Indicator.DAYS_PAST_DUE)).isEqualTo(35);

        history.apply(RepaymentEvent.newBuilder(Events.paid(B, "F-B-1", "", 45, 45, 40_000, 40_000)).setUnallocated(true).build());

        IndicatorValues values = history.indicators();
        assertThat(values.get(Indicator.DAYS_PAST_DUE)).as("instalment 01 is settled; 02 is now the oldest unpaid").isEqualTo(5);
        assertThat(values.get(Indicator.OVERDUE_AMOUNT)).isEqualTo(yuan(20_000));
    }

    @Test
    void reportedArrearsAreCheckedFieldByField() {
        RepaymentEvent report = report(20, "F-B-1", 11, 50_000);
        assertThat(EventValidator.problem(report, RatingScale.LETTERS)).isNull();
        assertThat(EventValidator.problem(RepaymentEvent.newBuilder(report).setReportedOverdueMinor(null).build(), RatingScale.LETTERS))
                .isEqualTo("reportedDaysPastDue and reportedOverdueMinor are sent together; got reportedDaysPastDue alone");
        assertThat(EventValidator.problem(RepaymentEvent.newBuilder(report).setKind(RepaymentKind.PAID).setAmountPaidMinor(1).build(), RatingScale.LETTERS))
                .isEqualTo("reportedDaysPastDue and reportedOverdueMinor belong to an OVERDUE report; got them on PAID");
        assertThat(EventValidator.problem(RepaymentEvent.newBuilder(report).setReportedDaysPastDue(-1).build(), RatingScale.LETTERS))
                .isEqualTo("reportedDaysPastDue must lie in 0..36500; got -1");
        assertThat(EventValidator.problem(RepaymentEvent.newBuilder(report).setReportedDaysPastDue(0).build(), RatingScale.LETTERS))
                .contains("disagree: arrears have both or neither");
        assertThat(EventValidator.problem(RepaymentEvent.newBuilder(report).setUnallocated(true).build(), RatingScale.LETTERS))
                .isEqualTo("unallocated applies to PAID and PARTIALLY_PAID payments only; got it on OVERDUE");
    }
}
