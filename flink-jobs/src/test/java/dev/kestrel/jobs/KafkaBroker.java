package dev.kestrel.jobs;

import dev.kestrel.kafka.EmbeddedKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Kafka broker for a test class, started before its first test and stopped after its last:
 * {@code @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();}, then {@code KAFKA.broker()}.
 */
final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        broker.close();
    }

    EmbeddedKafka broker() {
        return broker;
    }
}
