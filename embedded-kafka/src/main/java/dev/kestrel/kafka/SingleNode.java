package dev.kestrel.kafka;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/** What every one-node KRaft broker here shares: its settings, and formatting its storage the way kafka-storage.sh does. */
final class SingleNode {
    private SingleNode() {}

    /** Broker and controller in one process, node 1, its log in {@code logDir}; the caller adds the listeners. */
    static Map<String, String> config(String logDir, String controller) {
        Map<String, String> config = new HashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + controller);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("log.dirs", logDir);
        config.put("num.partitions", "2");
        // One node: internal topics cannot have more replicas than that.
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        return config;
    }

    /** Formats {@code logDir} (unless formatted already and {@code keepFormatted}) and starts the broker. */
    static KafkaRaftServer start(Map<String, String> config, String logDir, String clusterId, boolean keepFormatted) throws Exception {
        KafkaConfig kafkaConfig = new KafkaConfig(config, false);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir))
                .setMetadataLogDirectory(logDir)
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(keepFormatted)
                .run();
        KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
        server.startup();
        return server;
    }
}
