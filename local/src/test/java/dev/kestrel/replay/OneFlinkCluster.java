package dev.kestrel.replay;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * One Flink MiniCluster for every replay a test class runs, instead of one started per replay: the replays are the
 * same jobs, and starting a cluster was a large part of a short replay's time.
 */
public final class OneFlinkCluster {
    private OneFlinkCluster() {}

    /** A cluster with {@code slots} task slots: one per replay running at once at parallelism 1. */
    public static MiniClusterExtension withSlots(int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(slots).setConfiguration(new Configuration()).build());
    }
}
