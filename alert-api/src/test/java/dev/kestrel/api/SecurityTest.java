package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.borrowers.BorrowerView;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.api.store.StoreMigration;
import dev.kestrel.contract.Samples;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may see and do what: 401, 403, masking by role, and an audit log nobody can change. */
@MicronautTest
class SecurityTest extends DeskTest {
    @Inject
    DataSource dataSource;
    @io.micronaut.context.annotation.Value("${datasources.default.url}")
    String databaseUrl;

    @BeforeAll
    void oneBorrowerWithAnAlert() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));
        DeskTestSupport.send(topics.snapshots(), List.of(Samples.borrowerRiskSnapshot()));
        DeskTestSupport.send(topics.alerts(), List.of(Samples.alert()));
        eventually(Duration.ofSeconds(20), "the borrower arrives", () -> desk.call("ana",
                HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(String.class)).code() == 200);
    }

    @Test
    void everythingButHealthNeedsALogin() {
        for (String path : List.of("/api/alerts", "/api/alerts/" + Samples.alert().getAlertId(), "/api/alerts/stream",
                "/api/borrowers/B-1001", "/api/groups/G-17", "/api/stats", "/api/rules", "/api/audit", "/api/users",
                "/openapi/kestrel-alert-api-0.1.yml", "/prometheus")) {
            HttpResponse<String> response = desk.call(null, HttpRequest.GET(path), Argument.of(String.class));
            assertThat(response.code()).as(path).isEqualTo(401);
        }
        assertThat(desk.call(null, HttpRequest.GET("/health"), Argument.of(String.class)).code()).isEqualTo(200);
        HttpResponse<String> forged = desk.call(null, HttpRequest.GET("/api/alerts").bearerAuth("not.a.token"),
                Argument.of(String.class));
        assertThat(forged.code()).isEqualTo(401);
    }

    @Test
    void aWrongPasswordIsRefused() {
        HttpResponse<String> response = desk.call(null, HttpRequest.POST("/login",
                Map.of("username", "ana", "password", "guess-guess-guess")), Argument.of(String.class));
        assertThat(response.code()).isEqualTo(401);
        HttpResponse<String> unknown = desk.call(null, HttpRequest.POST("/login",
                Map.of("username", "mallory", "password", "guess-guess-guess")), Argument.of(String.class));
        assertThat(unknown.code()).isEqualTo(401);
    }

    @Test
    void theWrongRoleGets403InTheOneErrorShape() {
        Map<String, String> refused = Map.of("/api/audit", "ana", "/api/users", "sue");
        refused.forEach((path, user) -> {
            HttpResponse<String> response = desk.call(user, HttpRequest.GET(path), Argument.of(String.class));
            assertThat(response.code()).as(path).isEqualTo(403);
            ApiError error = response.getBody(ApiError.class).orElseThrow();
            assertThat(error.status()).isEqualTo(403);
            assertThat(error.path()).isEqualTo(path);
        });
        assertThat(desk.call("aud", HttpRequest.GET("/api/audit"), Argument.of(String.class)).code()).isEqualTo(200);
        HttpResponse<String> missing = desk.call("ana", HttpRequest.GET("/api/nothing-here"), Argument.of(String.class));
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.getBody(ApiError.class).orElseThrow().status()).isEqualTo(404);
    }

    @Test
    void personalDataIsMaskedUnlessTheRoleMaySeeItAndUnmaskedViewsAreAudited() {
        for (String user : List.of("ana", "aud", "adm")) {
            BorrowerView.Profile masked = desk.get(user, "/api/borrowers/B-1001", Argument.of(BorrowerView.class)).profile();
            assertThat(masked.masked()).isTrue();
            assertThat(masked.unifiedSocialCreditCode()).isEqualTo("91310000****1234");
            assertThat(masked.legalRepresentativePhone()).isEqualTo("138****5678");
            assertThat(masked.legalRepresentativeIdNumber()).isEqualTo("310101****1234");
            assertThat(masked.legalRepresentativeName()).isEqualTo("W*******");
            assertThat(masked.name()).isEqualTo("Jiangnan Precision Machinery Co., Ltd."); // a company is not a person
        }
        BorrowerView.Profile clear = desk.get("sue", "/api/borrowers/B-1001", Argument.of(BorrowerView.class)).profile();
        assertThat(clear.masked()).isFalse();
        assertThat(clear.unifiedSocialCreditCode()).isEqualTo("91310000MA1K4C1234");
        assertThat(clear.legalRepresentativePhone()).isEqualTo("13812345678");

        JsonNode audit = desk.get("aud", "/api/audit?targetType=borrower&targetId=B-1001", Argument.of(JsonNode.class));
        JsonNode latest = audit.get("items").get(0);
        assertThat(latest.get("action").getStringValue()).isEqualTo("VIEW_PERSONAL_DATA");
        assertThat(latest.get("actor").getStringValue()).isEqualTo("sue");
    }

    @Test
    void noOneCanChangeOrDeleteAnAuditRowNotEvenWithSql() throws SQLException {
        desk.get("sue", "/api/borrowers/B-1001", Argument.of(BorrowerView.class)); // at least one audit row
        for (var request : List.of(HttpRequest.DELETE("/api/audit"), HttpRequest.PUT("/api/audit", Map.of()),
                HttpRequest.PATCH("/api/audit", Map.of()))) {
            int code = desk.call("adm", request, Argument.of(String.class)).code();
            assertThat(code).as(request.getMethodName()).isIn(404, 405);
        }
        // The API's own role owns nothing: it may not rewrite the log, nor switch its triggers off.
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            for (String sql : List.of("UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log",
                    "TRUNCATE audit_log")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute(sql))
                        .as(sql).isInstanceOf(SQLException.class).hasMessageContaining("permission denied for table audit_log");
            }
            for (String sql : List.of("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                    "DROP TRIGGER audit_log_chain ON audit_log", "CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger "
                            + "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute(sql))
                        .as(sql).isInstanceOf(SQLException.class).hasMessageMatching(".*(must be owner|permission denied for schema).*");
            }
            assertThat(StoreMigration.roleProblem(connection)).isNull();
        }
        // Even the tables' owner, who runs the migrations, meets the append-only triggers.
        try (Connection connection = java.sql.DriverManager.getConnection(databaseUrl, TestDatabase.OWNER, "");
             var statement = connection.createStatement()) {
            for (String sql : List.of("UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log",
                    "TRUNCATE audit_log")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute(sql))
                        .as(sql).isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
            assertThat(StoreMigration.roleProblem(connection)).startsWith("its database role kestrel_test_owner owns");
        }
    }

    @Test
    void everyResponseCarriesTheSecurityHeadersAndNoAnswerOfTheApiIsCached() {
        HttpResponse<String> page = desk.call(null, HttpRequest.GET("/"), Argument.of(String.class));
        HttpResponse<String> token = desk.call(null, HttpRequest.POST("/login",
                Map.of("username", "ana", "password", "ana" + DeskTestSupport.PASSWORD_SUFFIX)), Argument.of(String.class));
        HttpResponse<String> data = desk.call("ana", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(String.class));
        HttpResponse<String> refused = desk.call(null, HttpRequest.GET("/api/alerts"), Argument.of(String.class));
        for (HttpResponse<String> response : List.of(page, token, data, refused)) {
            String what = response.code() + " " + response.getHeaders().asMap();
            assertThat(response.header("Content-Security-Policy")).as(what)
                    .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(response.header("X-Frame-Options")).as(what).isEqualTo("DENY");
            assertThat(response.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
            assertThat(response.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
            assertThat(response.header("Strict-Transport-Security")).as(what).startsWith("max-age=");
        }
        assertThat(token.header("Cache-Control")).as("the token response").isEqualTo("no-store");
        assertThat(data.header("Cache-Control")).as("customer data").isEqualTo("no-store");
        assertThat(refused.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aHandMadeCursorOrAnUnknownFlagValueIsA400NamingItNeverA500OrAFalse() {
        String sortedBySeverity = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("-severity|not-a-number|1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String sortedByTime = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("-receivedAt|yesterday|1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String path : List.of("/api/alerts?sort=-severity&cursor=" + sortedBySeverity, "/api/alerts?cursor=" + sortedByTime)) {
            HttpResponse<ApiError> response = desk.call("ana", HttpRequest.GET(path), Argument.of(ApiError.class));
            assertThat(response.code()).as(path).isEqualTo(400);
            assertThat(response.getBody(ApiError.class).orElseThrow().message()).as(path).startsWith("cursor is not one this API issued");
        }
        HttpResponse<ApiError> flag = desk.call("ana", HttpRequest.GET("/api/alerts?slaBreached=maybe"), Argument.of(ApiError.class));
        assertThat(flag.code()).isEqualTo(400);
        assertThat(flag.getBody(ApiError.class).orElseThrow().message()).isEqualTo("slaBreached 'maybe' is not true or false");
        assertThat(desk.call("ana", HttpRequest.GET("/api/alerts?slaBreached=TRUE"), Argument.of(String.class)).code()).isEqualTo(200);
    }
}
