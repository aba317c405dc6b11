package dev.kestrel.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack in-process, as {@code ./kestrel local} runs it: simulator events go through the broker and the job,
 * and alerts reach the API. Stopped and started again, it resumes: the job from its savepoint, the simulator after the
 * records it had sent.
 */
class LocalStackTest {
    @TempDir
    Path home;

    @Test
    void simulatedEventsBecomeAlertsOnTheApiAndASecondRunResumes() throws Exception {
        int kafkaPort = freePort();
        int apiPort = freePort();
        LocalStack.Settings settings = new LocalStack.Settings(home, kafkaPort, apiPort,
                "kestrel_local_test_" + Long.toHexString(System.nanoTime()), 300, 0, 150);
        long alertsAfterFirstRun;
        try (LocalStack stack = new LocalStack(settings)) {
            stack.start();
            assertThat(stack.jobRestoredFrom()).isNull();
            try (HttpClient http = HttpClient.create(new URL("http://localhost:" + apiPort))) {
                String token = token(http, "sue");
                eventually(Duration.ofMinutes(3), "alerts reach the API", () -> openAlerts(http, token) >= 20);
                JsonNode high = http.toBlocking().retrieve(HttpRequest.GET("/api/alerts?severity=HIGH,CRITICAL&limit=1")
                        .bearerAuth(token), JsonNode.class);
                assertThat(high.get("items").size()).isEqualTo(1);
                alertsAfterFirstRun = openAlerts(http, token);
            }
        }
        assertThat(Files.readString(home.resolve("simulator.properties"))).contains("sent=");

        try (LocalStack stack = new LocalStack(settings)) {
            stack.start();
            assertThat(stack.jobRestoredFrom()).as("resumed from a savepoint or checkpoint").isNotNull();
            try (HttpClient http = HttpClient.create(new URL("http://localhost:" + apiPort))) {
                String token = token(http, "sue");
                assertThat(openAlerts(http, token)).isGreaterThanOrEqualTo(alertsAfterFirstRun);
                eventually(Duration.ofMinutes(3), "the job runs again", () -> "RUNNING".equals(stack.jobStatus()));
            }
        }
    }

    private static long openAlerts(HttpClient http, String token) {
        JsonNode stats = http.toBlocking().retrieve(HttpRequest.GET("/api/stats").bearerAuth(token), JsonNode.class);
        long open = 0;
        for (JsonNode count : stats.get("openBySeverity").values()) {
            open += count.getLongValue();
        }
        return open;
    }

    private static String token(HttpClient http, String user) {
        Map<String, Object> login = http.toBlocking().retrieve(HttpRequest.POST("/login",
                Map.of("username", user, "password", user + "-demo-password")), Argument.mapOf(String.class, Object.class));
        return (String) login.get("access_token");
    }

    private static void eventually(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }

    private static int freePort() throws IOException {
        // The broker also takes the next port for its controller.
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                try (ServerSocket next = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
    }
}
