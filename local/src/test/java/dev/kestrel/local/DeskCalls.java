package dev.kestrel.local;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.tree.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the local tests ask the desk's API, as the local environment's demo users. */
final class DeskCalls {
    private DeskCalls() {}

    /** Open alerts of every severity, from the overview's counts. */
    static long openAlerts(HttpClient http, String token) {
        JsonNode stats = http.toBlocking().retrieve(HttpRequest.GET("/api/stats").bearerAuth(token), JsonNode.class);
        long open = 0;
        for (JsonNode count : stats.get("openBySeverity").values()) {
            open += count.getLongValue();
        }
        return open;
    }

    /** A bearer token for a demo user (password {@code <user>-demo-password}). */
    static String token(HttpClient http, String user) {
        Map<String, Object> login = http.toBlocking().retrieve(HttpRequest.POST("/login",
                Map.of("username", user, "password", user + "-demo-password")), Argument.mapOf(String.class, Object.class));
        return (String) login.get("access_token");
    }

    static void eventually(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }
}
