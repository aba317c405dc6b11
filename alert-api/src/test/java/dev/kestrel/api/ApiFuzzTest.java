package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.api.store.Database;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzed requests against the running API: random and mutated JSON bodies, garbage, wrong content types, stale and
 * broken If-Match headers, odd path segments and query values, as the desk's users. Every answer must be below 500,
 * every rejection a 4xx in the one error shape with a message, and a rejected request must change no row.
 */
@MicronautTest
class ApiFuzzTest extends DeskTest {
    private static final int REQUESTS = 3_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TABLES = {"alert", "alert_history", "alert_comment", "desk_user", "rule_change", "audit_log",
            "borrower_owner", "limit_decision", "portfolio_grant", "routing_rule", "notification", "borrower_tag", "collection_case",
            "collection_step", "disposal_decision", "disposal_progress", "borrower_review", "review_due_notice"};
    private static final String[] ALERT_ACTIONS = {"assign", "acknowledge", "escalate", "resolve", "comments"};
    private static final String[] ALERT_QUERY = {"status", "severity", "category", "rule", "borrower", "group", "assignee",
            "from", "to", "q", "slaBreached", "sort", "cursor", "limit"};
    private static final String[] FIELDS = {"assignee", "note", "text", "disposition", "resolutionNote", "username",
            "displayName", "password", "roles", "enabled", "rule", "ruleId", "version", "reason", "comment", "officer", "team",
            "borrowerId", "groupId", "action", "limitMinor", "currency", "recommendationId", "grantee", "scope", "scopeValue",
            "expiresAt", "position", "description", "minSeverity", "categories", "segments", "teams", "officers", "assignTo",
            "email"};
    private static final String[] WATCH_LIST_QUERY = {"grade", "segment", "industry", "region", "group", "owner", "team",
            "cursor", "limit"};
    private static final String[] PROJECT_QUERY = {"sector", "stage", "covenant", "limit", "historyDays"};
    private static final String[] BORROWER_QUERY = {"q", "segment", "rating", "grade", "classification", "industry", "region",
            "group", "owner", "team", "tag", "cursor", "limit"};

    @Inject
    EmbeddedServer server;
    @Inject
    Database database;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> alertIds = new ArrayList<>();

    /** A digest of every table a request could change: equal digests, no row changed. */
    private String rows() {
        return database.read(connection -> {
            StringBuilder digest = new StringBuilder();
            for (String table : TABLES) {
                // A failed sign-in is audited (LOGIN_FAILED): the one row a refusal writes, on purpose.
                String rows = table.equals("audit_log") ? "(SELECT * FROM audit_log WHERE action <> 'LOGIN_FAILED')" : table;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + rows + " t");
                     ResultSet row = select.executeQuery()) {
                    row.next();
                    digest.append(table).append('=').append(row.getLong(1)).append(':').append(row.getString(2)).append(' ');
                }
            }
            return digest.toString();
        });
    }

    private String randomText(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> " ";
            case 2 -> "x".repeat(1 + random.nextInt(100_000));
            case 3 -> "'; DROP TABLE alert; --";
            case 4 -> "\u0000\u0007\uFFFF\uD83D\uDE00 ü 中文";
            case 5 -> "<script>alert(1)</script>";
            case 6 -> Long.toString(random.nextLong());
            default -> "ana";
        };
    }

    private Object randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 2 ? 6 : 8)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong();
            case 3 -> random.nextDouble() * 1e300;
            case 4 -> randomText(random);
            case 5 -> List.of("analyst", "ADMIN", "", "root").get(random.nextInt(4));
            case 6 -> java.util.Arrays.asList(randomValue(random, depth + 1), randomValue(random, depth + 1));
            default -> randomObject(random, depth + 1);
        };
    }

    private java.util.Map<String, Object> randomObject(Random random, int depth) {
        java.util.Map<String, Object> object = new java.util.LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            object.put(random.nextInt(4) == 0 ? randomText(random) : FIELDS[random.nextInt(FIELDS.length)], randomValue(random, depth));
        }
        return object;
    }

    private byte[] randomBody(Random random) throws Exception {
        return switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] garbage = new byte[random.nextInt(300)];
                random.nextBytes(garbage);
                yield garbage;
            }
            case 2 -> {
                byte[] json = JSON.writeValueAsBytes(randomObject(random, 0));
                yield java.util.Arrays.copyOf(json, Math.max(0, json.length - 1 - random.nextInt(Math.max(1, json.length))));
            }
            case 3 -> JSON.writeValueAsBytes(randomValue(random, 0));
            default -> JSON.writeValueAsBytes(randomObject(random, 0));
        };
    }

    private String randomSegment(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> alertIds.get(random.nextInt(alertIds.size()));
            case 1 -> "no-such-thing";
            case 2 -> {
                String text = randomText(random);
                yield URLEncoder.encode(text.substring(0, Math.min(50, text.length())), StandardCharsets.UTF_8);
            }
            case 3 -> "%2e%2e%2f%2e%2e";
            default -> Long.toString(random.nextLong());
        };
    }

    private static final String[] REVIEW_FIELDS = {"kind", "reviewDate", "findings", "ratingConcluded", "nextReviewDate",
            "visitNotes", "customerFeedback"};
    private static final String[] STEP_FIELDS = {"outcome", "doneOn", "notes", "reference", "promisedAmountMinor", "promisedDate",
            "option", "rationale", "expectedRecoveryMinor", "note", "onDate", "recoveredMinor"};
    private static final String[] DISPOSAL_PATHS = {"/disposal/decisions", "/disposal/decisions/DD-1/approve",
            "/disposal/decisions/DD-1/reject", "/disposal/progress"};
    /** The collection case the seeded snapshot opens, non-performing: B-1001's material arrears since New Year's Day. */
    private static final java.time.LocalDate ARREARS_SINCE = java.time.LocalDate.parse("2026-01-01");
    private static final String CASE_ID = "CC-B-1001-" + ARREARS_SINCE;

    /** One fuzzed request: a method, a path with a query, maybe a body and headers; as a random desk user. */
    private java.net.http.HttpRequest fuzzed(Random random) throws Exception {
        String path;
        String method = "POST";
        byte[] body = randomBody(random);
        switch (random.nextInt(17)) {
            case 0, 1, 2 -> path = "/api/alerts/" + randomSegment(random) + "/" + ALERT_ACTIONS[random.nextInt(ALERT_ACTIONS.length)];
            case 3 -> path = "/api/rules/proposals";
            case 4 -> path = "/api/rules/" + (random.nextBoolean() ? "REPAY-ARREARS" : randomSegment(random)) + "/versions/"
                    + (random.nextBoolean() ? Integer.toString(random.nextInt(5) - 1) : randomSegment(random)) + "/publish";
            case 5 -> {
                path = "/api/users" + (random.nextBoolean() ? "" : "/" + (random.nextBoolean() ? "ana" : randomSegment(random)));
                method = path.equals("/api/users") ? "POST" : "PATCH";
            }
            case 6 -> path = "/login";
            case 7 -> {
                path = "/api/borrowers/" + (random.nextBoolean() ? "B-1001" : randomSegment(random)) + "/owner";
                method = random.nextInt(3) == 0 ? "DELETE" : "PUT";
            }
            case 9 -> {
                String decision = random.nextBoolean() ? "no-such-decision" : randomSegment(random);
                String text = randomText(random);
                String value = URLEncoder.encode(text.substring(0, Math.min(64, text.length())), StandardCharsets.UTF_8);
                switch (random.nextInt(5)) {
                    case 0 -> path = "/api/limit-decisions";
                    case 1 -> path = "/api/limit-decisions/" + decision + "/approve?reviewed=" + value;
                    case 2 -> path = "/api/limit-decisions/" + decision + "/reject";
                    case 3 -> {
                        method = "GET";
                        body = null;
                        path = "/api/limit-decisions/" + decision;
                    }
                    default -> {
                        method = "GET";
                        body = null;
                        path = "/api/limit-decisions?" + (random.nextBoolean() ? "status=" : "borrowerId=") + value
                                + (random.nextBoolean() ? "&groupId=G-17" : "");
                    }
                }
            }
            case 12 -> {
                String text = randomText(random);
                String value = URLEncoder.encode(text.substring(0, Math.min(64, text.length())), StandardCharsets.UTF_8);
                switch (random.nextInt(3)) {
                    case 0 -> path = "/api/portfolio-grants";
                    case 1 -> {
                        method = "DELETE";
                        path = "/api/portfolio-grants/" + (random.nextBoolean() ? Integer.toString(random.nextInt(5) - 1) : randomSegment(random));
                    }
                    default -> {
                        method = "GET";
                        body = null;
                        path = "/api/portfolio-grants?" + (random.nextBoolean() ? "grantee=" : "active=") + value;
                    }
                }
            }
            case 13 -> {
                String text = randomText(random);
                String value = URLEncoder.encode(text.substring(0, Math.min(64, text.length())), StandardCharsets.UTF_8);
                String rule = random.nextBoolean() ? "TO-OWNER" : randomSegment(random);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        method = "PUT";
                        path = "/api/routing-rules/" + rule;
                    }
                    case 1 -> {
                        method = "DELETE";
                        path = "/api/routing-rules/" + rule;
                    }
                    case 2 -> {
                        method = "GET";
                        body = null;
                        path = random.nextBoolean() ? "/api/routing-rules/" + rule : "/api/routing-rules";
                    }
                    default -> {
                        method = "GET";
                        body = null;
                        path = "/api/notifications?" + List.of("status=", "alertId=", "limit=").get(random.nextInt(3)) + value;
                    }
                }
            }
            case 14 -> {
                String text = randomText(random);
                String value = URLEncoder.encode(text.substring(0, Math.min(64, text.length())), StandardCharsets.UTF_8);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        method = random.nextBoolean() ? "PUT" : "DELETE";
                        path = "/api/borrowers/" + (random.nextBoolean() ? "B-1001" : randomSegment(random)) + "/tags/"
                                + (random.nextBoolean() ? value : randomSegment(random));
                    }
                    case 1 -> {
                        method = "GET";
                        body = null;
                        path = "/api/portfolio/exposure?by=" + value;
                    }
                    case 2 -> {
                        method = "GET";
                        body = null;
                        path = "/api/portfolio/migration?from=" + value + (random.nextBoolean() ? "&to=2026-03-31" : "&to=" + value);
                    }
                    default -> {
                        method = "GET";
                        body = null;
                        path = "/api/tags";
                    }
                }
            }
            case 15 -> {
                String text = randomText(random);
                String value = URLEncoder.encode(text.substring(0, Math.min(64, text.length())), StandardCharsets.UTF_8);
                String borrower = random.nextBoolean() ? "B-1001" : randomSegment(random);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        path = "/api/borrowers/" + borrower + "/reviews";
                        if (random.nextBoolean()) { // a review's own fields, each with a random value or left out
                            java.util.Map<String, Object> review = new java.util.HashMap<>();
                            for (String field : REVIEW_FIELDS) {
                                if (random.nextInt(4) > 0) {
                                    review.put(field, random.nextBoolean() ? randomValue(random, 0) : randomText(random));
                                }
                            }
                            body = JSON.writeValueAsBytes(review);
                        }
                    }
                    case 1 -> {
                        method = "GET";
                        body = null;
                        path = "/api/borrowers/" + borrower + "/reviews?limit=" + value;
                    }
                    default -> {
                        method = "GET";
                        body = null;
                        path = "/api/reviews/due?" + List.of("within=", "officer=", "limit=").get(random.nextInt(3)) + value;
                    }
                }
            }
            case 16 -> {
                String text = randomText(random);
                String value = URLEncoder.encode(text.substring(0, Math.min(64, text.length())), StandardCharsets.UTF_8);
                String caseId = random.nextBoolean() ? CASE_ID : randomSegment(random);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        path = "/api/collections/" + caseId + (random.nextBoolean() ? DISPOSAL_PATHS[random.nextInt(DISPOSAL_PATHS.length)]
                                : "/steps/" + (random.nextBoolean() ? Integer.toString(random.nextInt(7) - 1) : randomSegment(random)));
                        if (random.nextBoolean()) { // a step's own fields, each with a random value or left out
                            java.util.Map<String, Object> step = new java.util.HashMap<>();
                            for (String field : STEP_FIELDS) {
                                if (random.nextInt(4) > 0) {
                                    step.put(field, random.nextBoolean() ? randomValue(random, 0) : randomText(random));
                                }
                            }
                            body = JSON.writeValueAsBytes(step);
                        }
                    }
                    case 1 -> {
                        method = "GET";
                        body = null;
                        path = List.of("/api/collections/" + caseId, "/api/collections/" + caseId + "/disposal",
                                "/api/collections/" + caseId + "/report", "/api/borrowers/" + randomSegment(random) + "/collections",
                                "/api/borrowers/" + (random.nextBoolean() ? "B-1001" : randomSegment(random)) + "/evidence")
                                .get(random.nextInt(5));
                    }
                    default -> {
                        method = "GET";
                        body = null;
                        path = "/api/collections?" + List.of("status=", "officer=", "limit=").get(random.nextInt(3)) + value;
                    }
                }
            }
            case 8 -> {
                method = "GET";
                body = null;
                int list = random.nextInt(3);
                String[] names = list == 0 ? BORROWER_QUERY : list == 1 ? WATCH_LIST_QUERY : PROJECT_QUERY;
                StringBuilder query = new StringBuilder(list == 0 ? "/api/borrowers?" : list == 1 ? "/api/watch-list?"
                        : "/api/projects" + (random.nextBoolean() ? "" : "/" + (random.nextBoolean() ? "PRJ-2001" : randomSegment(random))) + "?");
                for (int i = random.nextInt(4); i >= 0; i--) {
                    String value = randomText(random);
                    query.append(names[random.nextInt(names.length)]).append('=')
                            .append(URLEncoder.encode(value.substring(0, Math.min(value.length(), 300)), StandardCharsets.UTF_8)).append('&');
                }
                path = query.toString();
            }
            default -> {
                method = "GET";
                body = null;
                StringBuilder query = new StringBuilder(List.of("/api/alerts", "/api/audit", "/api/stats",
                        "/api/borrowers/B-1001", "/api/groups/G-17", "/api/audit/verify", "/api/approvals").get(random.nextInt(7))).append('?');
                for (int i = random.nextInt(4); i >= 0; i--) {
                    String name = random.nextInt(5) == 0 ? "days" : random.nextInt(5) == 0 ? "historyDays"
                            : random.nextInt(5) == 0 ? "limit" : ALERT_QUERY[random.nextInt(ALERT_QUERY.length)];
                    String value = randomText(random);
                    query.append(name).append('=').append(URLEncoder.encode(value.substring(0, Math.min(value.length(), 300)),
                            StandardCharsets.UTF_8)).append('&');
                }
                path = query.toString();
            }
        }
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(server.getURI() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        switch (random.nextInt(4)) {
            case 0 -> request.header("Content-Type", "text/plain");
            case 1 -> { }
            default -> request.header("Content-Type", "application/json");
        }
        switch (random.nextInt(4)) {
            case 0 -> request.header("If-Match", "\"" + (random.nextInt(4)) + "\"");
            case 1 -> request.header("If-Match", random.nextBoolean() ? "garbage" : "W/\"-1\"");
            default -> { }
        }
        String user = List.of("ana", "sue", "adm", "aud").get(random.nextInt(4));
        if (!path.equals("/login") && random.nextInt(10) != 0) {
            request.header("Authorization", "Bearer " + desk.token(user));
        }
        return request.build();
    }

    @Test
    void answersEveryFuzzedRequestBelow500AndARejectionChangesNoRow() throws Exception {
        for (int i = 0; i < 20; i++) {
            Alert alert = Alert.newBuilder(Samples.alert()).setAlertId("fuzz-" + i).build();
            alertIds.add(alert.getAlertId());
            DeskTestSupport.send(topics.alerts(), List.of(alert));
        }
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));
        eventually(Duration.ofSeconds(30), "the seeded alerts are stored", () ->
                desk.call("ana", HttpRequest.GET("/api/alerts/fuzz-19"), Argument.of(String.class)).code() == 200);
        eventually(Duration.ofSeconds(30), "the profile is stored", () ->
                desk.call("ana", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(String.class)).code() == 200);
        DeskTestSupport.send(topics.snapshots(), List.of(dev.kestrel.events.BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot())
                .setMaterialArrearsSince(ARREARS_SINCE).setLoanCategory(dev.kestrel.events.LoanCategory.SUBSTANDARD).build()));
        eventually(Duration.ofSeconds(30), "the engine's material arrears open a collection case", () ->
                desk.call("ana", HttpRequest.GET("/api/collections/" + CASE_ID), Argument.of(String.class)).code() == 200);

        for (String user : List.of("ana", "sue", "adm", "aud")) {
            desk.token(user); // signed in before the fuzzer's failed sign-ins lock this address
        }
        Random random = new Random(20261124L);
        String before = rows();
        int rejected = 0;
        for (int i = 0; i < REQUESTS; i++) {
            java.net.http.HttpRequest request = fuzzed(random);
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String what = request.method() + " " + request.uri() + " -> " + response.statusCode() + " " + response.body();
            assertThat(response.statusCode()).as(what).isLessThan(500);
            String after = rows();
            if (response.statusCode() >= 400) {
                rejected++;
                JsonNode error = JSON.readTree(response.body());
                assertThat(error.path("message").asText()).as(what).isNotBlank();
                assertThat(error.path("status").asInt()).as(what).isEqualTo(response.statusCode());
                assertThat(after).as("a rejected request changed rows: " + what).isEqualTo(before);
            }
            before = after;
        }
        assertThat(rejected).as("the fuzzer mostly sends what must be refused").isGreaterThan(REQUESTS / 2);

        // Sign-outs with garbage bodies, headers and tokens: a session of its own each, so the others' tokens live on.
        for (int i = 0; i < 20; i++) {
            java.net.http.HttpRequest.Builder logout = java.net.http.HttpRequest.newBuilder(URI.create(server.getURI() + "/logout"))
                    .timeout(Duration.ofSeconds(30)).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(randomBody(random)));
            switch (random.nextInt(3)) {
                case 0 -> {
                    String garbage = randomText(random).replaceAll("[^A-Za-z0-9.]", "");
                    logout.header("Authorization", "Bearer " + garbage.substring(0, Math.min(40, garbage.length())) + "x");
                }
                case 1 -> { }
                default -> logout.header("Authorization", "Bearer " + new DeskTestSupport.Desk(client.toBlocking()).token("ben"));
            }
            HttpResponse<String> response = http.send(logout.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST /logout -> " + response.statusCode() + " " + response.body()).isIn(204, 401);
        }
    }
}
