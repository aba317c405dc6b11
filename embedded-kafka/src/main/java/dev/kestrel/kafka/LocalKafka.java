package dev.kestrel.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node KRaft broker that keeps its log in a folder and listens on a fixed port, for the local run: stopped
 * and started again, it still holds every topic and committed offset, so the job can resume from its checkpoint.
 * It is Kafka's own server ({@code KafkaRaftServer}, as {@code kafka-server-start.sh} runs it), formatted once the
 * way {@code kafka-storage.sh format} does.
 */
public final class LocalKafka implements AutoCloseable {
    private static final String CLUSTER_ID = "kestrel-local-0000000w"; // 22 characters of base64, like any cluster id

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private LocalKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the broker on {@code port} (its controller on {@code port + 1}), formatting {@code dataDir} on first use. */
    public static LocalKafka start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            String logDir = dataDir.toAbsolutePath().toString();
            Map<String, String> config = SingleNode.config(logDir, "localhost:" + (port + 1));
            config.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + (port + 1));
            config.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
            config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            // A laptop's disk: a week of history is plenty for a demo.
            config.put("log.retention.hours", "168");
            KafkaRaftServer server = SingleNode.start(config, logDir, CLUSTER_ID, true); // the second run keeps what the first wrote
            return new LocalKafka(server, "localhost:" + port);
        } catch (Exception e) {
            throw new IllegalStateException("the local Kafka broker did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topic unless it exists (a second run finds its topics). */
    public void ensureTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
