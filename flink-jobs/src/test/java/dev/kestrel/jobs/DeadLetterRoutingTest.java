package dev.kestrel.jobs;

import static dev.kestrel.jobs.PipelineHarness.rawRecord;
import static dev.kestrel.jobs.PipelineHarness.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Samples;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input reaches the dead-letter topic with its reason and position, exactly once, and never fails the job. */
class DeadLetterRoutingTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineHarness.miniCluster();

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void routesEveryUnusableRecordToTheDeadLetterTopicWithItsReason(@TempDir Path checkpoints) throws Exception {
        EngineConfig config = PipelineHarness.configFor(kafka, checkpoints);
        String transactions = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String repayments = config.get(EngineConfig.REPAYMENTS_TOPIC);
        TransactionEvent valid = Samples.transaction();
        kafka.send(transactions, List.of(
                record(transactions, "B-1001", valid),
                rawRecord(transactions, "B-1002", "garbage".getBytes(StandardCharsets.UTF_8)),
                record(transactions, "B-1001", Samples.repayment()),
                record(transactions, "B-1003", TransactionEvent.newBuilder(valid).setBorrowerId(" ").build()),
                record(transactions, "B-1004", TransactionEvent.newBuilder(valid).setAmountMinor(-100L).build()),
                record(transactions, "B-1005", TransactionEvent.newBuilder(valid).setCurrency("XYZ").build())));
        kafka.send(repayments, List.of(
                record(repayments, "B-1006", RepaymentEvent.newBuilder(Samples.repayment())
                        .setScheduleDate(LocalDate.parse("2026-04-01")).setDueDate(LocalDate.parse("2026-03-01")).build())));

        JobClient job = PipelineHarness.startJob(config);
        try {
            List<DeadLetter> deadLetters = PipelineHarness.readCommitted(kafka, config.get(EngineConfig.DEAD_LETTERS_TOPIC), 6, DeadLetter.class);

            Map<String, DeadLetter> byKey = deadLetters.stream().collect(Collectors.toMap(
                    d -> StandardCharsets.UTF_8.decode(d.getKey()).toString(), d -> d));
            assertThat(deadLetters).hasSize(6);
            assertThat(byKey.get("B-1002").getReasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(byKey.get("B-1002").getPayload()).isEqualTo(java.nio.ByteBuffer.wrap("garbage".getBytes(StandardCharsets.UTF_8)));
            assertThat(byKey.get("B-1002").getSourceTopic()).isEqualTo(transactions);
            assertThat(byKey.get("B-1001").getReasonCode()).isEqualTo(DeadLetterReason.WRONG_TOPIC);
            assertThat(byKey.get("B-1001").getReason()).isEqualTo("RepaymentEvent does not belong on " + transactions + ", which carries TransactionEvent");
            assertThat(byKey.get("B-1003").getReason()).isEqualTo("missing borrowerId");
            assertThat(byKey.get("B-1004").getReason()).isEqualTo("amountMinor must be above 0, the direction gives the sign; got -100");
            assertThat(byKey.get("B-1005").getReason()).isEqualTo("currency 'XYZ' is not an ISO 4217 currency code");
            assertThat(byKey.get("B-1006").getReason()).isEqualTo("dueDate 2026-03-01 is before scheduleDate 2026-04-01");
            assertThat(byKey.get("B-1006").getSourceTopic()).isEqualTo(repayments);
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
        } finally {
            job.cancel().get();
        }
    }
}
