package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kestrel.api.security.DeskSessions;
import dev.kestrel.contract.Samples;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access is taken back before a token expires: logging out ends that session, and disabling a user, changing their
 * roles or their password ends all of theirs, within {@link DeskSessions#REFRESH} on any instance and at once here.
 */
@MicronautTest
class SessionRevocationTest extends DeskTest {
    private static final Duration WITHIN = DeskSessions.REFRESH.plusSeconds(3);

    @BeforeAll
    void anAlertToWorkOn() {
        DeskTestSupport.send(topics.alerts(), List.of(Samples.alert()));
        eventually(Duration.ofSeconds(20), "the alert arrives", () -> desk.call("ana",
                HttpRequest.GET("/api/alerts/" + Samples.alert().getAlertId()), Argument.of(String.class)).code() == 200);
    }

    /** A sign-in of its own, not the shared one of {@link DeskTestSupport.Desk}, which the other tests keep using. */
    private String signIn(String user) {
        HttpResponse<Map<String, Object>> login = client.toBlocking().exchange(HttpRequest.POST("/login",
                Map.of("username", user, "password", user + DeskTestSupport.PASSWORD_SUFFIX)), Argument.mapOf(String.class, Object.class));
        return (String) login.body().get("access_token");
    }

    private int status(String token, MutableHttpRequest<?> request) {
        try {
            return client.toBlocking().exchange(request.bearerAuth(token), String.class).code();
        } catch (HttpClientResponseException e) {
            return e.code();
        }
    }

    private int alerts(String token) {
        return status(token, HttpRequest.GET("/api/alerts"));
    }

    private void changeUser(String user, String body) {
        HttpResponse<String> changed = desk.call("adm", HttpRequest.PATCH("/api/users/" + user, body)
                .contentType(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE), Argument.of(String.class));
        assertThat(changed.code()).as(changed.getBody(String.class).orElse("")).isEqualTo(200);
    }

    @Test
    void loggingOutEndsThatSessionAndNoOther() {
        String first = signIn("ben");
        String second = signIn("ben");

        assertThat(status(first, HttpRequest.POST("/logout", ""))).isEqualTo(204);

        assertThat(alerts(first)).as("the session signed out").isEqualTo(401);
        assertThat(alerts(second)).as("the same user's other session").isEqualTo(200);
    }

    @Test
    void aDisabledUsersTokensStopWorkingWithinSeconds() {
        String token = signIn("ben");
        assertThat(alerts(token)).isEqualTo(200);

        changeUser("ben", "{\"enabled\": false}");

        eventually(WITHIN, "the disabled user's token is refused", () -> alerts(token) == 401);
        changeUser("ben", "{\"enabled\": true}");
        assertThat(alerts(token)).as("enabling the user again does not bring the old session back").isEqualTo(401);
        assertThat(alerts(signIn("ben"))).isEqualTo(200);
    }

    @Test
    void aDemotedSupervisorCanNoLongerAssignWithTheTokenIssuedBefore() {
        String token = signIn("sue");
        String assign = "/api/alerts/" + Samples.alert().getAlertId() + "/assign";

        changeUser("sue", "{\"roles\": [\"analyst\"]}");

        eventually(WITHIN, "the old token is refused", () -> alerts(token) == 401);
        String fresh = signIn("sue");
        assertThat(status(fresh, HttpRequest.POST(assign, Map.of("assignee", "ana"))))
                .as("signed in again, as the analyst she now is").isEqualTo(403);
        changeUser("sue", "{\"roles\": [\"supervisor\"]}");
    }

    @Test
    void aPasswordChangeEndsTheUsersSessions() {
        String token = signIn("ana");

        changeUser("ana", "{\"password\": \"a-new-pass-phrase-for-today\"}");

        eventually(WITHIN, "the token issued before is refused", () -> alerts(token) == 401);
    }

    @Test
    void aTokenWithoutASessionIsRefusedEvenWhenSignedWithTheRightSecret() throws Exception {
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("adm").claim("roles", List.of("admin")).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        forged.sign(new MACSigner(DeskTestSupport.JWT_SECRET));

        assertThat(alerts(forged.serialize())).isEqualTo(401);
    }

    @Test
    void aTokenThatWorkedStopsAtItsExpiryThoughThisInstanceRemembersIt() throws Exception {
        String sessionId = (String) SignedJWT.parse(signIn("ben")).getJWTClaimsSet().getClaim(DeskSessions.CLAIM);
        Instant expires = Instant.now().plusSeconds(3);
        SignedJWT shortLived = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("ben").claim("roles", List.of("analyst")).claim(DeskSessions.CLAIM, sessionId)
                .issueTime(new Date()).expirationTime(Date.from(expires)).build());
        shortLived.sign(new MACSigner(DeskTestSupport.JWT_SECRET));
        String token = shortLived.serialize();

        assertThat(alerts(token)).as("validated, then remembered").isEqualTo(200);
        assertThat(alerts(token)).as("remembered").isEqualTo(200);
        eventually(Duration.ofSeconds(10), "the clock passes the token's expiry", () -> Instant.now().isAfter(expires.plusSeconds(1)));

        assertThat(alerts(token)).isEqualTo(401);
    }

    @jakarta.inject.Inject
    io.micronaut.runtime.server.EmbeddedServer server;

    @Test
    void anOpenLiveStreamEndsWhenItsSessionDoes() throws Exception {
        String token = signIn("ben");
        java.net.http.HttpResponse<java.io.InputStream> stream = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.getURI().resolve("/api/alerts/stream"))
                        .header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        java.util.concurrent.CompletableFuture<Long> ended = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (java.io.InputStream body = stream.body()) {
                return body.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException e) {
                return -1L;
            }
        });

        assertThat(status(token, HttpRequest.POST("/logout", ""))).isEqualTo(204);

        ended.get(WITHIN.toSeconds(), java.util.concurrent.TimeUnit.SECONDS); // throws if the stream is still open
    }
}
