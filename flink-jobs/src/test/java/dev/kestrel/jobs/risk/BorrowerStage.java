package dev.kestrel.jobs.risk;

import static dev.kestrel.jobs.Events.wrap;

import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.jobs.Events;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Published;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * The borrower stage with the shipped rules in Flink's harness, as a scenario test drives it: records sent one by one,
 * event time passing day by day (the day timers fire), and a restart from a checkpoint. What the stage wrote is
 * collected in order: alerts, dead letters, instalment statuses and snapshots.
 */
final class BorrowerStage implements AutoCloseable {
    private KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness;
    final List<Alert> alerts = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<InstalmentStatus> instalments = new ArrayList<>();
    final List<BorrowerRiskSnapshot> snapshots = new ArrayList<>();

    BorrowerStage() throws Exception {
        harness = unopened();
        harness.open();
    }

    private static KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> unopened() throws Exception {
        return BorrowerRiskFunctionTest.unopenedHarness(RiskSettings.defaults(), "classpath:rules/default-rules.jsonl", Long.MIN_VALUE);
    }

    /** The job stops after a checkpoint and starts again from it. */
    void restart() throws Exception {
        OperatorSubtaskState checkpoint = harness.snapshot(1L, 0);
        harness.close();
        harness = unopened();
        harness.initializeState(checkpoint);
        harness.open();
    }

    void send(SpecificRecordBase... records) throws Exception {
        for (SpecificRecordBase record : records) {
            BorrowerRiskFunctionTest.deliver(harness, wrap(record));
        }
        collect();
    }

    /** Event time passes the start of {@code day}: the day timers up to it fire. */
    void timePasses(int day) throws Exception {
        harness.watermark(EventsAhead.releaseTime(Days.of(Events.at(day).toEpochMilli())));
        collect();
    }

    private void collect() {
        for (Object record : harness.getOutput()) {
            if (record instanceof StreamRecord<?> alert && alert.getValue() instanceof Alert a) {
                alerts.add(a);
            }
        }
        harness.getOutput().clear();
        var dead = harness.getSideOutput(BorrowerRiskFunction.DEAD_LETTERS);
        if (dead != null) {
            dead.forEach(r -> deadLetters.add(r.getValue()));
            dead.clear();
        }
        var told = harness.getSideOutput(BorrowerRiskFunction.INSTALMENTS);
        if (told != null) {
            told.forEach(r -> instalments.add(r.getValue()));
            told.clear();
        }
        var written = harness.getSideOutput(BorrowerRiskFunction.SNAPSHOTS);
        if (written != null) {
            written.forEach(r -> snapshots.add(r.getValue()));
            written.clear();
        }
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
