package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.errors.ApiError;
import dev.kestrel.api.store.Database;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.BorrowerProfile;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bank's side of portfolios. ana manages Jiangnan Precision (B-1001, team East), ben manages Jiangnan Shipping
 * (B-1002, team West), nobody manages Jiangnan Textiles (B-1003) yet. An analyst works the alerts of their own
 * borrowers; they do not acknowledge, resolve or comment on a colleague's until a supervisor assigns them the alert or
 * grants them more (cover for a colleague on leave, a group, a team), and a grant ends when it is revoked or expires.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one story: the grants of a step stay for the steps after it
class PortfolioTest extends DeskTest {
    private static final AtomicInteger IDS = new AtomicInteger();

    @Inject
    Database database;

    @BeforeAll
    void threeBorrowersTwoOwners() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").setName("Jiangnan Shipping Ltd.")
                        .setGroupId(null).build(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1003").setName("Jiangnan Textiles Ltd.")
                        .setGroupId(null).build()));
        borrowersArrive("B-1001", "B-1002", "B-1003");
        assertThat(owner("B-1001", "ana", "East")).isEqualTo(200);
        assertThat(owner("B-1002", "ben", "West")).isEqualTo(200);
    }

    private int owner(String borrowerId, String officer, String team) {
        return desk.call("sue", HttpRequest.PUT("/api/borrowers/" + borrowerId + "/owner", Map.of("officer", officer, "team", team)),
                Argument.of(String.class)).code();
    }

    /** A new alert on the borrower (or, with null, on group G-17; with "*", on the whole portfolio), once the desk shows it. */
    private String alertOn(String borrowerId) {
        String id = "pf-" + IDS.incrementAndGet();
        Alert.Builder alert = Alert.newBuilder(Samples.alert()).setAlertId(id);
        if (borrowerId == null) {
            alert.setScope(AlertScope.GROUP).setBorrowerId(null).setRuleId("GROUP-CONTAGION");
        } else if (borrowerId.equals("*")) {
            alert.setScope(AlertScope.PORTFOLIO).setBorrowerId(null).setGroupId(null).setRuleId("PORTFOLIO-CONCENTRATION");
        } else {
            alert.setBorrowerId(borrowerId);
        }
        return desk.raise(topics.alerts(), alert.build(), id);
    }

    private HttpResponse<String> act(String user, String alertId, String action, Object body, Integer ifMatch) {
        return desk.act(user, alertId, action, body, ifMatch);
    }

    private HttpResponse<JsonNode> grant(String user, Map<String, Object> grant) {
        return desk.call(user, HttpRequest.POST("/api/portfolio-grants", grant), Argument.of(JsonNode.class));
    }

    private static Map<String, Object> grantOf(String grantee, String scope, String value, String reason) {
        Map<String, Object> grant = new HashMap<>();
        grant.put("grantee", grantee);
        grant.put("scope", scope);
        if (value != null) {
            grant.put("scopeValue", value);
        }
        grant.put("reason", reason);
        return grant;
    }

    private static String refusal(HttpResponse<?> response, int status) {
        assertThat(response.code()).as(response.getBody(String.class).orElse("")).isEqualTo(status);
        return response.getBody(ApiError.class).orElseThrow().message();
    }

    @Test
    @Order(1)
    void anAnalystWorksTheAlertsOfTheirOwnBorrowersAndNoOneElses() {
        String own = alertOn("B-1001");
        String colleagues = alertOn("B-1002");
        String nobodys = alertOn("B-1003");

        assertThat(act("ana", own, "comments", Map.of("body", "called the CFO"), null).code()).isEqualTo(201);
        assertThat(act("ana", own, "acknowledge", Map.of(), 1).code()).isEqualTo(200);

        assertThat(refusal(act("ana", colleagues, "acknowledge", Map.of(), 1), 403))
                .contains("borrower B-1002 is not in your portfolio");
        assertThat(refusal(act("ana", colleagues, "comments", Map.of("body", "looks fine to me"), null), 403))
                .contains("borrower B-1002 is not in your portfolio");
        assertThat(refusal(act("ana", nobodys, "escalate", Map.of("note", "n"), 1), 403)).contains("B-1003");
        // ben works his own; the refusals changed nothing.
        assertThat(act("ben", colleagues, "acknowledge", Map.of(), 1).code()).isEqualTo(200);
        assertThat(desk.getJson("sue", "/api/alerts/" + colleagues).get("comments")).asList().isEmpty();

        // A supervisor's assignment is enough for that one alert: sue gives ana the unowned borrower's alert.
        assertThat(act("sue", nobodys, "assign", Map.of("assignee", "ana"), 1).code()).isEqualTo(200);
        assertThat(act("ana", nobodys, "acknowledge", Map.of(), 2).code()).isEqualTo(200);
        // A supervisor acts anywhere.
        String another = alertOn("B-1002");
        assertThat(act("sue", another, "comments", Map.of("body", "seen"), null).code()).isEqualTo(201);
    }

    @Test
    @Order(2)
    void coverForAColleagueOnLeaveLastsUntilItIsRevoked() {
        String before = alertOn("B-1002");
        assertThat(act("ana", before, "acknowledge", Map.of(), 1).code()).isEqualTo(403);

        HttpResponse<JsonNode> granted = grant("sue", grantOf("ana", "OFFICER", "ben", "ben on leave until Monday"));
        assertThat(granted.code()).isEqualTo(201);
        long grantId = granted.body().get("grantId").getLongValue();
        assertThat(act("ana", before, "acknowledge", Map.of(), 1).code()).isEqualTo(200);
        String during = alertOn("B-1002");
        assertThat(act("ana", during, "comments", Map.of("body", "covering for ben"), null).code()).isEqualTo(201);
        // ana sees her grant; ben, another analyst, sees none of hers.
        assertThat(desk.get("ana", "/api/portfolio-grants?active=true", Argument.listOf(JsonNode.class)))
                .extracting(g -> g.get("grantId").getLongValue()).contains(grantId);
        assertThat(desk.get("ben", "/api/portfolio-grants?grantee=ana", Argument.listOf(JsonNode.class))).isEmpty();

        HttpResponse<JsonNode> revoked = desk.call("sue", HttpRequest.DELETE("/api/portfolio-grants/" + grantId), Argument.of(JsonNode.class));
        assertThat(revoked.code()).isEqualTo(200);
        assertThat(revoked.body().get("revokedBy").getStringValue()).isEqualTo("sue");
        // What she took while covering stays hers; what is new is ben's again.
        assertThat(act("ana", before, "escalate", Map.of("note", "cash is gone"), 2).code()).isEqualTo(200);
        assertThat(refusal(act("ana", alertOn("B-1002"), "acknowledge", Map.of(), 1), 403)).contains("B-1002");
        assertThat(refusal(desk.call("sue", HttpRequest.DELETE("/api/portfolio-grants/" + grantId), Argument.of(JsonNode.class)), 409))
                .contains("was revoked by sue");

        JsonNode audit = desk.get("aud", "/api/audit?targetType=portfolio-grant&targetId=" + grantId, Argument.of(JsonNode.class));
        List<String> actions = new ArrayList<>();
        audit.get("items").values().forEach(entry -> actions.add(entry.get("action").getStringValue()));
        assertThat(actions).containsExactly("PORTFOLIO_REVOKE", "PORTFOLIO_GRANT");
        assertThat(audit.get("items").get(1).get("after").get("reason").getStringValue()).isEqualTo("ben on leave until Monday");
    }

    @Test
    @Order(3)
    void aGrantEndsWhenItExpires() {
        Map<String, Object> request = grantOf("ben", "BORROWER", "B-1003", "credit review of the textiles book");
        request.put("expiresAt", Instant.now().plus(Duration.ofDays(1)).toString());
        HttpResponse<JsonNode> granted = grant("sue", request);
        assertThat(granted.code()).isEqualTo(201);
        String alert = alertOn("B-1003");
        assertThat(act("ben", alert, "comments", Map.of("body", "reviewing"), null).code()).isEqualTo(201);

        // A day later: the grant has run out.
        long grantId = granted.body().get("grantId").getLongValue();
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE portfolio_grant SET expires_at = now() - interval '1 second' WHERE grant_id = ?")) {
                update.setLong(1, grantId);
                return update.executeUpdate();
            }
        });
        assertThat(refusal(act("ben", alert, "acknowledge", Map.of(), 1), 403)).contains("B-1003");
        assertThat(desk.get("sue", "/api/portfolio-grants?grantee=ben&active=true", Argument.listOf(JsonNode.class))).isEmpty();
    }

    @Test
    @Order(4)
    void aGroupsAlertsAreItsMembersOwnersAndGrantsCoverGroupsTeamsAndTheBook() {
        // ana owns a member of G-17 (B-1001); ben owns none.
        String group = alertOn(null);
        assertThat(refusal(act("ben", group, "acknowledge", Map.of(), 1), 403)).contains("group G-17 is not in your portfolio");
        assertThat(act("ana", group, "comments", Map.of("body", "B-1001's arrears are behind it"), null).code()).isEqualTo(201);
        assertThat(grant("sue", grantOf("ben", "GROUP", "G-17", "group-level review of G-17")).code()).isEqualTo(201);
        assertThat(act("ben", group, "acknowledge", Map.of(), 1).code()).isEqualTo(200);

        // An alert on the whole portfolio is nobody's until assigned, or granted with the whole book.
        String book = alertOn("*");
        assertThat(refusal(act("ana", book, "acknowledge", Map.of(), 1), 403)).contains("a portfolio-wide alert");

        String west = alertOn("B-1002");
        assertThat(act("sam", west, "comments", Map.of("body", "supervisor note"), null).code()).isEqualTo(201);
        assertThat(grant("sue", grantOf("ana", "TEAM", "West", "West team short-staffed")).code()).isEqualTo(201);
        assertThat(act("ana", west, "acknowledge", Map.of(), 1).code()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void grantsAreRefusedFieldByFieldAndOnlySupervisorsGrant() {
        assertThat(refusal(grant("ana", grantOf("ana", "ALL", null, "I want it all")), 403)).isNotBlank();
        assertThat(refusal(grant("sue", grantOf("aud", "ALL", null, "auditors do not work alerts")), 400))
                .contains("grantee: 'aud' is not an enabled analyst or supervisor");
        assertThat(refusal(grant("sue", grantOf("ana", "ALL", "B-1001", "r")), 400)).contains("scopeValue: must be absent for ALL");
        assertThat(refusal(grant("sue", grantOf("ana", "BORROWER", null, "r")), 400)).contains("scopeValue");
        assertThat(refusal(grant("sue", grantOf("ana", "BORROWER", "B-9999", "r")), 400))
                .contains("scopeValue: no borrower 'B-9999' is known to the desk");
        assertThat(refusal(grant("sue", grantOf("ana", "TEAM", "Nowhere", "r")), 400)).contains("'Nowhere'");
        assertThat(refusal(grant("sue", grantOf("ana", "OFFICER", "aud", "r")), 400)).contains("'aud'");
        assertThat(refusal(grant("sue", grantOf("ana", "GROUP", "G-404", "r")), 400)).contains("'G-404'");
        assertThat(refusal(grant("sue", grantOf("ana", "ALL", null, " ")), 400)).contains("reason");
        Map<String, Object> forever = grantOf("ana", "ALL", null, "r");
        forever.put("expiresAt", "+1000000000-01-01T00:00:00Z");
        assertThat(refusal(grant("sue", forever), 400)).contains("expiresAt: at most 5 years ahead");
        Map<String, Object> past = grantOf("ana", "ALL", null, "r");
        past.put("expiresAt", "2020-01-01T00:00:00Z");
        assertThat(refusal(grant("sue", past), 400)).contains("expiresAt");
        assertThat(refusal(grant("sue", Map.of("grantee", "ana", "scope", "EVERYTHING", "reason", "r")), 400)).isNotBlank();
        assertThat(refusal(desk.call("sue", HttpRequest.DELETE("/api/portfolio-grants/987654"), Argument.of(JsonNode.class)), 404))
                .contains("grant 987654 not found");
        assertThat(desk.get("sue", "/api/portfolio-grants?grantee=ana", Argument.listOf(JsonNode.class)))
                .noneMatch(g -> g.get("reason").getStringValue().equals("r"));
    }
}
