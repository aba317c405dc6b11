package dev.kestrel.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run's broker keeps its topics, records and committed offsets across a stop and a start. */
class LocalKafkaTest {
    @TempDir
    Path dataDir;

    @Test
    void aRestartedBrokerStillHasItsRecordsAndOffsets() throws Exception {
        int port = freePort();
        try (LocalKafka kafka = LocalKafka.start(dataDir, port)) {
            kafka.ensureTopic("kept", 1, Map.of());
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("kept", "k", "v" + i)).get();
                }
            }
            assertThat(read(kafka, 4)).containsExactly("v0", "v1", "v2", "v3"); // commits offset 4
        }
        try (LocalKafka kafka = LocalKafka.start(dataDir, port)) {
            kafka.ensureTopic("kept", 1, Map.of()); // exists already: no error
            assertThat(read(kafka, 6)).containsExactly("v4", "v5", "v6", "v7", "v8", "v9");
        }
    }

    private static List<String> read(LocalKafka kafka, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reader");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, count);
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("kept"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            consumer.commitSync();
        }
        return values;
    }

    /**
     * A free port whose neighbour is free too: the controller listens on port + 1, and Kafka exits the JVM when a
     * listener cannot bind, so a taken neighbour would crash the test run rather than fail the test.
     */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                try (ServerSocket neighbour = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no two free neighbouring ports");
    }
}
