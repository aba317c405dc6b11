package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local run's demo users can log in with the passwords the README gives, each with their role. */
@MicronautTest(environments = "local")
class LocalEnvironmentTest extends DeskTest {
    /**
     * The test users would shadow the local environment's; this test wants the local ones. The secret stays: the local
     * run draws one at random on each start (LocalStack), and the environment holds none.
     */
    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new java.util.HashMap<>(super.getProperties());
        properties.keySet().removeIf(key -> key.startsWith("kestrel.users."));
        return properties;
    }

    @Test
    void demoUsersLogInWithTheDocumentedPasswords() {
        Map<String, String> roles = Map.of("ana", "analyst", "ben", "analyst", "sue", "supervisor", "aud", "auditor",
                "adm", "admin", "ada", "admin");
        roles.forEach((user, role) -> {
            var login = desk.call(null, HttpRequest.POST("/login", Map.of("username", user, "password",
                    user + "-demo-password")), Argument.mapOf(String.class, Object.class));
            assertThat(login.code()).as(user).isEqualTo(200);
            assertThat(login.body().get("roles")).as(user).isEqualTo(List.of(role));
        });
    }
}
