package dev.kestrel.jobs.risk;

import static dev.kestrel.jobs.Events.date;

import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.jobs.Events;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The histories behind the saved state of {@code src/test/resources/state/}: three borrowers whose state fills every
 * part (accounts, facilities and collateral, instalments past due, statements, bureau reports, open alerts), and what
 * each does after the save. Event ids are fixed, so that the engine that saved the state and the one restoring it are
 * fed the same records.
 */
final class SavedStateHistory {
    private SavedStateHistory() {}

    /** Up to day 40, when the state is saved. */
    static List<SpecificRecordBase> beforeTheSave() {
        List<SpecificRecordBase> events = new ArrayList<>();
        for (String b : List.of("S-1", "S-2", "S-3")) {
            events.add(Events.profile(b, "G-S", 0, 1_000_000, 600_000));
            events.add(Events.statement(b, 1, date(-1), 10_000_000, 9_500_000, 2_000_000, 2_500_000, 3_000_000, -100_000, -50_000));
            events.add(Events.valuation(b, "F-" + b, 2, 700_000, 2_000));
            for (int day = 1; day < 40; day += 2) {
                events.add(tx(Events.inflow(b, day, 40_000), b + "-in-" + day));
                events.add(tx(Events.outflow(b, day, b.equals("S-2") ? 90_000 : 30_000, "CP-" + (day % 5)), b + "-out-" + day));
            }
            events.add(rp(Events.scheduled(b, "F-" + b, "01", 3, 20, 50_000), b + "-sched-01"));
            events.add(rp(Events.scheduled(b, "F-" + b, "02", 3, 50, 50_000), b + "-sched-02"));
        }
        events.add(cr(Events.credit("S-2", 12, CreditEventKind.LAWSUIT), "S-2-lawsuit"));
        events.add(cr(Events.ratingChange("S-3", 15, "BBB", "BB-"), "S-3-rating"));
        events.add(rp(Events.paid("S-1", "F-S-1", "01", 20, 20, 50_000, 50_000), "S-1-paid-01"));
        events.sort(java.util.Comparator.comparing(SavedStateHistory::time));
        return events;
    }

    /** From day 41: S-2 and S-3 stay past due and age; S-1 pays; S-3 cures its arrears on day 60. */
    static List<SpecificRecordBase> afterTheSave() {
        List<SpecificRecordBase> events = new ArrayList<>();
        for (String b : List.of("S-1", "S-2", "S-3")) {
            for (int day = 41; day < 75; day += 3) {
                events.add(tx(Events.inflow(b, day, 45_000), b + "-in-" + day));
                events.add(tx(Events.outflow(b, day, 20_000, "CP-" + (day % 7)), b + "-out-" + day));
            }
        }
        events.add(rp(Events.paid("S-1", "F-S-1", "02", 50, 50, 50_000, 50_000), "S-1-paid-02"));
        events.add(rp(Events.paid("S-3", "F-S-3", "01", 60, 20, 50_000, 50_000), "S-3-paid-01"));
        events.add(rp(Events.paid("S-3", "F-S-3", "02", 60, 50, 50_000, 50_000), "S-3-paid-02"));
        events.add(cr(dev.kestrel.events.CreditEvent.newBuilder(Events.credit("S-1", 65, CreditEventKind.OVERDUE_ELSEWHERE))
                .setAmountMinor(Events.yuan(80_000)).setCurrency("CNY").build(), "S-1-elsewhere"));
        events.sort(java.util.Comparator.comparing(SavedStateHistory::time));
        return events;
    }

    private static long time(SpecificRecordBase record) {
        return Events.wrap(record).eventTimeMillis;
    }

    private static TransactionEvent tx(TransactionEvent t, String id) {
        return TransactionEvent.newBuilder(t).setEventId(id).build();
    }

    private static RepaymentEvent rp(RepaymentEvent r, String id) {
        return RepaymentEvent.newBuilder(r).setEventId(id).build();
    }

    private static dev.kestrel.events.CreditEvent cr(dev.kestrel.events.CreditEvent c, String id) {
        return dev.kestrel.events.CreditEvent.newBuilder(c).setEventId(id).setReference("REF-" + id).build();
    }
}
