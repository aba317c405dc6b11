package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.errors.ApiError;
import dev.kestrel.api.security.DeskUser;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admins manage users; every change is audited; a disabled user cannot log in. */
@MicronautTest
class UserAdminTest extends DeskTest {

    private int login(String user, String password) {
        return desk.call(null, HttpRequest.POST("/login", Map.of("username", user, "password", password)),
                Argument.of(String.class)).code();
    }

    @Test
    void anAdminCreatesChangesAndDisablesAUser() {
        var created = desk.call("adm", HttpRequest.POST("/api/users", Map.of("username", "carol", "displayName", "Carol",
                "password", "a-long-enough-secret", "roles", List.of("analyst"))), Argument.of(DeskUser.class));
        assertThat(created.code()).isEqualTo(201);
        assertThat(login("carol", "a-long-enough-secret")).isEqualTo(200);

        var promoted = desk.call("adm", HttpRequest.PATCH("/api/users/carol", Map.of("roles", List.of("supervisor"))),
                Argument.of(DeskUser.class));
        assertThat(promoted.body().roles()).containsExactly("supervisor");
        // Where notifications reach her: set, refused when it is no address, and removed with an empty string.
        assertThat(desk.call("adm", HttpRequest.PATCH("/api/users/carol", Map.of("email", "carol@bank.test")),
                Argument.of(DeskUser.class)).body().email()).isEqualTo("carol@bank.test");
        assertThat(desk.call("adm", HttpRequest.PATCH("/api/users/carol", Map.of("email", "not an address")),
                Argument.of(String.class)).code()).isEqualTo(400);
        assertThat(desk.call("adm", HttpRequest.PATCH("/api/users/carol", Map.of("email", "")),
                Argument.of(DeskUser.class)).body().email()).isNull();
        desk.call("adm", HttpRequest.PATCH("/api/users/carol", Map.of("enabled", false)), Argument.of(DeskUser.class));
        assertThat(login("carol", "a-long-enough-secret")).isEqualTo(401);

        JsonNode audit = desk.get("aud", "/api/audit?targetType=user&targetId=carol", Argument.of(JsonNode.class));
        assertThat(audit.get("items").get(0).get("action").getStringValue()).as("the disabled user's attempt").isEqualTo("LOGIN_FAILED");
        assertThat(audit.get("items").get(1).get("action").getStringValue()).isEqualTo("USER_CHANGE");
        assertThat(audit.get("items").get(1).get("before").get("enabled").getBooleanValue()).isTrue();
        assertThat(audit.get("items").get(1).get("after").get("enabled").getBooleanValue()).isFalse();
        JsonNode removed = audit.get("items").get(2).get("after").get("email");
        assertThat(removed == null || removed.isNull()).as("the address removed").isTrue();
        assertThat(audit.get("items").get(5).get("action").getStringValue()).isEqualTo("USER_CREATE");
        assertThat(audit.toString()).doesNotContain("pbkdf2");
    }

    @Test
    void badUserChangesAreRefused() {
        Map<Map<String, Object>, Integer> refused = Map.of(
                Map.of("username", "dave", "displayName", "Dave", "password", "short", "roles", List.of("analyst")), 400,
                Map.of("username", "Dave!", "displayName", "Dave", "password", "a-long-enough-secret", "roles",
                        List.of("analyst")), 400,
                Map.of("username", "dave", "displayName", "Dave", "password", "a-long-enough-secret", "roles",
                        List.of("wizard")), 400,
                Map.of("username", "ana", "displayName", "Ana", "password", "a-long-enough-secret", "roles",
                        List.of("analyst")), 409,
                Map.of("username", "erin", "displayName", "Erin", "password", "password1234", "roles", List.of("analyst")), 400,
                Map.of("username", "erin", "displayName", "Erin", "password", "erin-at-the-desk", "roles", List.of("analyst")), 400);
        refused.forEach((body, status) -> {
            HttpResponse<String> response = desk.call("adm", HttpRequest.POST("/api/users", body), Argument.of(String.class));
            assertThat(response.code()).as(body.toString()).isEqualTo(status);
            assertThat(response.getBody(ApiError.class).orElseThrow().message()).isNotBlank();
        });
        HttpResponse<String> common = desk.call("adm", HttpRequest.POST("/api/users", Map.of("username", "erin", "displayName",
                "Erin", "password", "Password1234!", "roles", List.of("analyst"))), Argument.of(String.class));
        assertThat(common.getBody(ApiError.class).orElseThrow().message())
                .isEqualTo("password: the password is a common one, or a common word with digits or signs added");
        assertThat(desk.call("adm", HttpRequest.PATCH("/api/users/ana", Map.of("password", "qwertyuiop12")),
                Argument.of(String.class)).code()).as("a change of password too").isEqualTo(400);
        HttpResponse<String> selfDisable = desk.call("adm", HttpRequest.PATCH("/api/users/adm", Map.of("enabled", false)),
                Argument.of(String.class));
        assertThat(selfDisable.code()).isEqualTo(409);
        assertThat(desk.call("sue", HttpRequest.POST("/api/users", Map.of()), Argument.of(String.class)).code())
                .isEqualTo(403);
        assertThat(desk.call("adm", HttpRequest.PATCH("/api/users/nobody", Map.of("enabled", true)),
                Argument.of(String.class)).code()).isEqualTo(404);
    }
}
