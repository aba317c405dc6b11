package dev.kestrel.api;

import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the {@code @MicronautTest} classes: each gets its own database and topics, and calls the API as the
 * desk's test users through {@link #desk}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeskTest implements TestPropertyProvider {
    protected final DeskTestSupport.Topics topics = DeskTestSupport.Topics.fresh();
    protected DeskTestSupport.Desk desk;

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return DeskTestSupport.freshProperties(topics);
    }

    @BeforeAll
    void connectDesk() {
        desk = new DeskTestSupport.Desk(client.toBlocking());
    }
}
