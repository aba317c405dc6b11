package dev.kestrel.local;

import static dev.kestrel.local.DeskCalls.eventually;
import static dev.kestrel.local.DeskCalls.openAlerts;
import static dev.kestrel.local.DeskCalls.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
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
            assertThat(listening()).as("everything the local run serves, Flink's unauthenticated REST API among it, "
                    + "answers this machine only")
                    .anyMatch(address -> address.endsWith(String.format(":%04X", apiPort)))
                    .anyMatch(address -> address.endsWith(String.format(":%04X", kafkaPort)))
                    .allMatch(LocalStackTest::loopback);
            try (HttpClient http = HttpClient.create(new URL("http://localhost:" + apiPort))) {
                String token = token(http, "sue");
                eventually(Duration.ofMinutes(3), "alerts reach the API", () -> openAlerts(http, token) >= 20);
                JsonNode high = http.toBlocking().retrieve(HttpRequest.GET("/api/alerts?severity=HIGH,CRITICAL&limit=1")
                        .bearerAuth(token), JsonNode.class);
                assertThat(high.get("items").size()).isEqualTo(1);
                // The version the desk shows as running is the one the job reports it runs.
                eventually(Duration.ofMinutes(1), "the job reports the rule pack it runs", () -> http.toBlocking().retrieve(
                        HttpRequest.GET("/api/rules/REPAY-ARREARS").bearerAuth(token), JsonNode.class)
                        .get("activeSource").getStringValue().equals("SHIPPED"));
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

    /** The addresses this process's listening TCP sockets are bound to, from /proc (Linux). */
    private static List<String> listening() throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listed
                }
            }
        }
        List<String> bound = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A: LISTEN
                    bound.add(f[1]);
                }
            }
        }
        return bound;
    }

    /** A /proc/net address (hex, little-endian words) on the loopback: 127.x.x.x, ::1, or ::ffff:127.x.x.x. */
    private static boolean loopback(String hexAddressAndPort) {
        String address = hexAddressAndPort.substring(0, hexAddressAndPort.indexOf(':'));
        if (address.length() == 8) {
            return address.endsWith("7F");
        }
        return address.equals("00000000000000000000000001000000")
                || address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F");
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
