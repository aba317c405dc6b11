package dev.kestrel.local;

import dev.kestrel.jobs.EarlyWarningJob;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The early-warning job on a MiniCluster in this JVM, with RocksDB and checkpoints under the run's folder. It starts
 * from the newest savepoint or retained checkpoint there, and stops with a savepoint, so a second run resumes exactly.
 */
final class LocalJob implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final JobClient client;
    private final Path savepoints;
    final String restoredFrom;

    private LocalJob(JobClient client, Path savepoints, String restoredFrom) {
        this.client = client;
        this.savepoints = savepoints;
        this.restoredFrom = restoredFrom;
    }

    static LocalJob start(EngineConfig config, Path home) throws Exception {
        Path savepoints = home.resolve("savepoints");
        Files.createDirectories(savepoints);
        Configuration flink = EngineEnvironment.flinkConfiguration(config);
        // Flink's REST API has no authentication: on this machine only.
        flink.set(org.apache.flink.configuration.RestOptions.ADDRESS, "127.0.0.1");
        flink.set(org.apache.flink.configuration.RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(org.apache.flink.configuration.JobManagerOptions.BIND_HOST, "127.0.0.1");
        flink.set(org.apache.flink.configuration.TaskManagerOptions.BIND_HOST, "127.0.0.1");
        Optional<Path> restore = newestSnapshot(home);
        restore.ifPresent(path -> flink.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toUri().toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        new EarlyWarningJob(config, EarlyWarningJob.kafkaSources(config), EarlyWarningJob.kafkaSinks(config)).build(env);
        JobClient client = env.executeAsync(EarlyWarningJob.NAME);
        return new LocalJob(client, savepoints, restore.map(Path::toString).orElse(null));
    }

    /** The newest complete savepoint or checkpoint (a folder holding {@code _metadata}) under the run's folder. */
    static Optional<Path> newestSnapshot(Path home) {
        if (!Files.isDirectory(home)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(home, 4)) {
            return files.filter(path -> path.getFileName().toString().equals("_metadata"))
                    .filter(path -> path.toString().contains("checkpoints") || path.toString().contains("savepoints"))
                    .max(Comparator.comparing(LocalJob::modified))
                    .map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    String jobStatus() {
        try {
            return client.getJobStatus().get(5, TimeUnit.SECONDS).name();
        } catch (Exception e) {
            return "UNKNOWN";
        }
    }

    /** Stops with a savepoint; when that fails (the job is failing, say), cancels, keeping the last checkpoint. */
    @Override
    public void close() {
        try {
            String savepoint = client.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            System.out.println("kestrel: job stopped with savepoint " + savepoint);
        } catch (Exception e) {
            System.out.println("kestrel: no savepoint (" + e.getMessage() + "); cancelling, the last checkpoint remains");
            try {
                client.cancel().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the JVM is going down anyway; the retained checkpoint is the resume point
            }
        }
    }
}
