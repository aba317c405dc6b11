package dev.kestrel.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
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
    void readCommittedSeesCommittedTransactionsAndNeverAbortedOnes() throws Exception {
        kafka.createTopic("tx-visibility", 2, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-visibility", bytes("B-1"), bytes("committed")));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx-visibility", bytes("B-2"), bytes("aborted")));
            producer.flush();
            producer.abortTransaction();
        }

        List<ConsumerRecord<byte[], byte[]>> read = kafka.readCommitted("tx-visibility", 1, Duration.ofSeconds(20), Duration.ofMillis(500));

        assertThat(read).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("committed");
    }

    @Test
    void readingWithoutAWaitStillReadsEverythingCommittedOnEveryPartition() throws Exception {
        kafka.createTopic("tx-drain", 3, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("tx-drain", bytes("B-" + i), bytes("r" + i)));
            }
            producer.commitTransaction();
        }

        List<ConsumerRecord<byte[], byte[]>> read = kafka.readCommitted("tx-drain", 0, Duration.ZERO, Duration.ZERO);

        assertThat(read).hasSize(30);
        assertThat(read.stream().map(ConsumerRecord::partition).distinct()).hasSize(3);
    }

    @Test
    void createsTopicsWithTheirPartitionsAndConfigs() throws Exception {
        kafka.createTopic("snapshots", 3, Map.of("cleanup.policy", "compact"));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "snapshots");
            assertThat(admin.describeConfigs(List.of(topic)).all().get().get(topic).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of("snapshots")).allTopicNames().get().get("snapshots").partitions()).hasSize(3);
        }
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-test");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
