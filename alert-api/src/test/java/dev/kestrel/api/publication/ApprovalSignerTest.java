package dev.kestrel.api.publication;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.api.DeskTestSupport;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An API that could not sign an approval would approve rules the engine then refuses: it does not start instead. */
class ApprovalSignerTest {

    private static Map<String, Object> withoutSigningKey() {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "micronaut.security.token.jwt.signatures.secret.generator.secret", DeskTestSupport.JWT_SECRET,
                "kestrel.kafka.enabled", false, "flyway.datasources.default.enabled", false,
                "datasources.default.url", "jdbc:postgresql://127.0.0.1:5432/postgres", "micronaut.server.port", -1));
        return properties;
    }

    @Test
    void theApiDoesNotStartWithoutASigningKey() {
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, withoutSigningKey()))
                .hasStackTraceContaining("the alert API does not start: no key to sign approved rules and scorecards")
                .hasStackTraceContaining("openssl genpkey -algorithm ed25519");
    }

    @Test
    void theApiDoesNotStartWithAKeyThatIsNotAnEd25519PrivateKey() {
        Map<String, Object> properties = withoutSigningKey();
        properties.put("kestrel.signing.private-key", "bm90IGEga2V5");
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, properties))
                .hasStackTraceContaining("the alert API does not start: the signing key kestrel-approval is not a PKCS#8 Ed25519 private key");
    }
}
