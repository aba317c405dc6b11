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

    /**
     * Waits until the desk knows every borrower named: profiles sent under different keys travel on different
     * partitions, so they arrive in any order.
     */
    protected void borrowersArrive(String... borrowerIds) {
        DeskTestSupport.eventually(java.time.Duration.ofSeconds(20), "the profiles of " + String.join(", ", borrowerIds) + " arrive",
                () -> java.util.Arrays.stream(borrowerIds).allMatch(id -> desk.call("sue",
                        io.micronaut.http.HttpRequest.GET("/api/borrowers/" + id), io.micronaut.core.type.Argument.of(String.class)).code() == 200));
    }
}
