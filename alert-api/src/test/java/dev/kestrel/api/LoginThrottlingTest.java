package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.errors.ApiError;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Guessing passwords is slowed and seen: five failures lock an account, and more from one address lock the address,
 * the right password included, until the window (here 4 s) passes; each failure is audited and counted. HTTP basic
 * reaches /prometheus alone, and for the metrics role alone.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginThrottlingTest extends DeskTest {
    private static final Duration WINDOW = Duration.ofSeconds(4);

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("kestrel.login.account-failures", "5");
        properties.put("kestrel.login.address-failures", "12");
        properties.put("kestrel.login.window", WINDOW.toSeconds() + "s");
        return properties;
    }

    private HttpResponse<String> login(String user, String password) {
        return desk.call(null, HttpRequest.POST("/login", Map.of("username", user, "password", password)), Argument.of(String.class));
    }

    @Test
    @Order(1)
    void fiveWrongPasswordsLockTheAccountEvenAgainstTheRightOneUntilTheWindowPasses() throws Exception {
        desk.token("adm"); // the auditor's and admin's sign-ins first, while the address is free
        desk.token("aud");
        Thread.sleep(WINDOW.toMillis()); // a fresh window for ben
        for (int i = 0; i < 5; i++) {
            assertThat(login("ben", "guess-" + i + "-guess-guess").code()).isEqualTo(401);
        }

        HttpResponse<String> locked = login("ben", "ben" + DeskTestSupport.PASSWORD_SUFFIX);

        assertThat(locked.code()).isEqualTo(429);
        assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(1, (int) WINDOW.toSeconds());
        assertThat(locked.getBody(ApiError.class).orElseThrow().message()).startsWith("too many failed sign-ins");
        assertThat(login("ana", "ana" + DeskTestSupport.PASSWORD_SUFFIX).code()).as("another account from the same address").isEqualTo(200);

        DeskTestSupport.eventually(WINDOW.multipliedBy(3), "ben may sign in once the window has passed", () ->
                login("ben", "ben" + DeskTestSupport.PASSWORD_SUFFIX).code() == 200);

        JsonNode audit = desk.get("aud", "/api/audit?actor=ben", Argument.of(JsonNode.class)).get("items");
        assertThat(audit.size()).as("the five failures; a refusal while locked is counted, not audited").isEqualTo(5);
        assertThat(audit.get(audit.size() - 1).get("action").getStringValue()).isEqualTo("LOGIN_FAILED");
        assertThat(desk.call("aud", HttpRequest.GET("/api/audit?actor=ben"), Argument.of(String.class)).body())
                .contains("wrong username or password");
        String metrics = desk.call("adm", HttpRequest.GET("/prometheus"), Argument.of(String.class)).body();
        assertThat(metrics).contains("kestrel_login_failures_total{reason=\"credentials\"")
                .contains("kestrel_login_failures_total{reason=\"locked\"");
    }

    @Test
    @Order(2)
    void httpBasicReachesMetricsAloneAndOnlyForTheMetricsRole() {
        String password = "mon" + DeskTestSupport.PASSWORD_SUFFIX;
        assertThat(desk.call(null, HttpRequest.GET("/prometheus").basicAuth("mon", password), Argument.of(String.class)).code())
                .isEqualTo(200);
        assertThat(desk.call(null, HttpRequest.GET("/api/alerts").basicAuth("mon", password), Argument.of(String.class)).code())
                .as("basic credentials on the API").isEqualTo(401);
        assertThat(desk.call(null, HttpRequest.GET("/api/alerts").basicAuth("sue", "sue" + DeskTestSupport.PASSWORD_SUFFIX),
                Argument.of(String.class)).code()).as("a person's basic credentials on the API").isEqualTo(401);
        assertThat(desk.call(null, HttpRequest.GET("/prometheus").basicAuth("aud", "aud" + DeskTestSupport.PASSWORD_SUFFIX),
                Argument.of(String.class)).code()).as("a person's basic credentials on the metrics").isEqualTo(401);
        HttpResponse<String> signIn = login("mon", password);
        assertThat(signIn.code()).as("a metrics user does not sign in").isEqualTo(403);
        assertThat(signIn.getBody(ApiError.class).orElseThrow().message()).contains("HTTP basic authentication");
    }

    @Test
    @Order(3)
    void manyFailuresFromOneAddressLockTheAddressWhateverTheUsernames() throws Exception {
        Thread.sleep(WINDOW.toMillis());
        // All at once: one after the other, on a loaded machine, the first had left the window before the twelfth.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int guess = i;
                answers.add(pool.submit(() -> login("nobody-" + guess, "guess-guess-guess").code()));
            }
            for (var answer : answers) {
                answer.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(login("sue", "sue" + DeskTestSupport.PASSWORD_SUFFIX).code()).isEqualTo(429);
        DeskTestSupport.eventually(WINDOW.multipliedBy(3), "the address may sign in once the window has passed", () ->
                login("sue", "sue" + DeskTestSupport.PASSWORD_SUFFIX).code() == 200);
    }

    @Test
    @Order(4)
    void guessesSentInParallelAreCountedOneByOneSoNoMoreThanFiveGetThrough() throws Exception {
        Thread.sleep(WINDOW.toMillis());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int guess = i;
                answers.add(pool.submit(() -> login("ada", "parallel-guess-" + guess).code()));
            }
            List<Integer> codes = new java.util.ArrayList<>();
            for (var answer : answers) {
                codes.add(answer.get());
            }
            assertThat(codes.stream().filter(code -> code == 401).count()).as(codes.toString()).isLessThanOrEqualTo(5);
            assertThat(codes).as("the rest refused while locked").contains(429);
        } finally {
            pool.shutdownNow();
        }
    }
}
