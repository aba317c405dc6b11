package dev.kestrel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.jobs.config.EngineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on a real standalone Flink cluster (a JobManager and a TaskManager in their own JVMs), submitted
 * and stopped through the REST API only: it runs, raises alerts, stops with a savepoint while input is in flight, and
 * a fresh submission from that savepoint carries on with no alert lost or duplicated for read_committed readers.
 * This proves the jar is complete and the operators' uids restore on a cluster, not only in a MiniCluster.
 */
class StandaloneClusterIT {
    private static final int BORROWERS = 300;
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @Test
    void runsTheJobJarAndRestoresItFromASavepointWithNoAlertLostOrDuplicated(@TempDir Path work) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), work.resolve("checkpoints"))
                .with(EngineConfig.CHECKPOINT_INTERVAL, "1s")
                .with(EngineConfig.CONSUMER_GROUP, "cluster-" + UUID.randomUUID());
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String alerts = config.get(EngineConfig.ALERTS_TOPIC);
        List<String> args = config.toArgs();

        try (StandaloneCluster cluster = StandaloneCluster.start(work.resolve("flink"))) {
            String jar = cluster.upload(PipelineHarness.jobJar());
            String first = cluster.run(jar, EarlyWarningJob.class.getName(), args, null);
            cluster.awaitRunning(first);
            List<ProducerRecord<byte[], byte[]>> masterData = new ArrayList<>(PipelineHarness.overdraftBorrowers(config, 0, BORROWERS / 2, 1));
            masterData.addAll(PipelineHarness.overdraftBorrowers(config, BORROWERS / 2, BORROWERS, 3));
            masterData.addAll(PipelineHarness.overdraftBorrowers(config, BORROWERS, BORROWERS + 50, 5));
            KAFKA.broker().send(config.get(EngineConfig.PROFILES_TOPIC), masterData);
            PipelineHarness.awaitKnown(KAFKA.broker(), config, BORROWERS + 50);
            KAFKA.broker().send(tx, PipelineHarness.overdraftEpisodes(tx, 0, BORROWERS / 2, 1));
            assertThat(PipelineHarness.readCommitted(KAFKA.broker(), alerts, 1, Alert.class)).as("the job on the cluster raises alerts").isNotEmpty();

            // More input, and the stop right behind it: some of it is read before the savepoint, the rest after.
            KAFKA.broker().send(tx, PipelineHarness.overdraftEpisodes(tx, BORROWERS / 2, BORROWERS, 3));
            String savepoint = cluster.stopWithSavepoint(first, work.resolve("savepoints"));
            String second = cluster.run(jar, EarlyWarningJob.class.getName(), args, savepoint);
            cluster.awaitRunning(second);
            KAFKA.broker().send(tx, PipelineHarness.overdraftEpisodes(tx, BORROWERS, BORROWERS + 50, 5));

            List<Alert> raised = PipelineHarness.readCommitted(KAFKA.broker(), alerts, 2 * (BORROWERS + 50), Alert.class, Duration.ofSeconds(240));
            List<String> changes = raised.stream().map(a -> a.getAlertId() + " " + a.getLifecycle()).toList();
            Set<String> expected = new HashSet<>(PipelineHarness.overdraftAlertChanges(0, BORROWERS / 2, 1));
            expected.addAll(PipelineHarness.overdraftAlertChanges(BORROWERS / 2, BORROWERS, 3));
            expected.addAll(PipelineHarness.overdraftAlertChanges(BORROWERS, BORROWERS + 50, 5));
            assertThat(new HashSet<>(changes)).as("none lost").isEqualTo(expected);
            assertThat(changes).as("none duplicated").doesNotHaveDuplicates();
            assertThat(PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.DEAD_LETTERS_TOPIC), 0, DeadLetter.class,
                    Duration.ZERO)).isEmpty();
            cluster.cancel(second);
        }
    }
}
