package dev.kestrel.jobs.config;

import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.CompressionType;

/** The Flink settings every Kestrel job runs with, derived from the engine configuration. */
public final class EngineEnvironment {
    private EngineEnvironment() {}

    public static Configuration flinkConfiguration(EngineConfig config) {
        Configuration flink = new Configuration();
        flink.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // Borrower state is already packed (varints, days relative to the clock), so Snappy on the levels RocksDB
        // rewrites most gained little space for a quarter to a third of a core in flushes and compactions; the
        // deeper levels, which hold most of the bytes and are rewritten rarely, use LZ4 (docs/benchmarks.md).
        flink.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, List.of(CompressionType.NO_COMPRESSION,
                CompressionType.NO_COMPRESSION, CompressionType.LZ4_COMPRESSION));
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.get(EngineConfig.CHECKPOINT_STORAGE));
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.get(EngineConfig.CHECKPOINT_INTERVAL));
        flink.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        // Keep the last checkpoint when the job is cancelled, so it can be restored like a savepoint.
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        flink.set(CoreOptions.DEFAULT_PARALLELISM, config.get(EngineConfig.PARALLELISM));
        // A type Flink cannot serialise natively must fail the build of the job graph, not fall back to slow Kryo.
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        // No operator keeps a reference to a record after passing it on, so chained operators may share objects
        // instead of deep-copying every event between them.
        flink.set(PipelineOptions.OBJECT_REUSE, true);
        return flink;
    }

    /** The environment of a job: local (a MiniCluster) when run from an IDE or the launcher, the cluster's when submitted. */
    public static StreamExecutionEnvironment create(EngineConfig config) {
        return StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
    }
}
