package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.alerts.AlertDetail;
import dev.kestrel.api.alerts.AlertStatus;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.Severity;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
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
 * The bank's side of routing. The desk's rules, tried in order: anything CRITICAL goes to the supervisor sue; arrears
 * of small businesses go to ana, the SME collections specialist; everything else goes to the borrower's owner. A rule
 * switched off never routes. An alert no rule can place (no owner, a group alert) waits unassigned for a supervisor.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one story: the rules of a step stay for the steps after it
class RoutingTest extends DeskTest {
    private static final AtomicInteger IDS = new AtomicInteger();

    @BeforeAll
    void borrowersAndOwners() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").setName("Jiangnan Bakery Ltd.")
                        .setSegment(CustomerSegment.SME).build(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1003").setName("Jiangnan Textiles Ltd.").build()));
        borrowersArrive("B-1001", "B-1002", "B-1003");
        for (var owner : List.of(List.of("B-1001", "ana", "East"), List.of("B-1002", "ben", "West"))) {
            assertThat(desk.call("sue", HttpRequest.PUT("/api/borrowers/" + owner.get(0) + "/owner",
                    Map.of("officer", owner.get(1), "team", owner.get(2))), Argument.of(String.class)).code()).isEqualTo(200);
        }
    }

    private static Map<String, Object> rule(int position, String description, String assignTo) {
        Map<String, Object> rule = new HashMap<>();
        rule.put("position", position);
        rule.put("description", description);
        rule.put("assignTo", assignTo);
        return rule;
    }

    private HttpResponse<JsonNode> save(String user, String ruleId, Map<String, Object> rule) {
        return desk.call(user, HttpRequest.PUT("/api/routing-rules/" + ruleId, rule), Argument.of(JsonNode.class));
    }

    /** A new alert from the engine, waited for until the desk shows it. */
    private String alert(String borrowerId, AlertCategory category, Severity severity) {
        String id = "rt-" + IDS.incrementAndGet();
        Alert.Builder alert = Alert.newBuilder(Samples.alert()).setAlertId(id).setCategory(category).setSeverity(severity);
        if (borrowerId == null) {
            alert.setScope(AlertScope.GROUP).setBorrowerId(null);
        } else {
            alert.setBorrowerId(borrowerId);
        }
        return desk.raise(topics.alerts(), alert.build(), id);
    }

    private AlertDetail detail(String alertId) {
        return desk.get("sue", "/api/alerts/" + alertId, Argument.of(AlertDetail.class));
    }

    private static String refusal(HttpResponse<?> response) {
        assertThat(response.code()).as(response.getBody(String.class).orElse("")).isEqualTo(400);
        return response.getBody(ApiError.class).orElseThrow().message();
    }

    @Test
    @Order(1)
    void beforeAnyRuleEveryAlertWaitsUnassigned() {
        String id = alert("B-1001", AlertCategory.REPAYMENT, Severity.HIGH);
        assertThat(detail(id).alert().status()).isEqualTo(AlertStatus.NEW);
        assertThat(detail(id).alert().assignee()).isNull();
    }

    @Test
    @Order(2)
    void theFirstMatchingRuleAssignsEachNewAlert() {
        Map<String, Object> critical = rule(10, "Anything critical goes to the supervisor", "sue");
        critical.put("minSeverity", "CRITICAL");
        assertThat(save("sue", "CRITICAL-TO-SUPERVISOR", critical).code()).isEqualTo(200);
        Map<String, Object> smeArrears = rule(20, "SME arrears go to the SME collections specialist", "ana");
        smeArrears.put("categories", List.of("REPAYMENT"));
        smeArrears.put("segments", List.of("SME"));
        assertThat(save("sue", "SME-ARREARS", smeArrears).code()).isEqualTo(200);
        assertThat(save("sue", "TO-OWNER", rule(30, "Everything else to the borrower's owner", "@owner")).code()).isEqualTo(200);
        Map<String, Object> off = rule(5, "Everything to sam (switched off)", "sam");
        off.put("enabled", false);
        assertThat(save("sue", "EVERYTHING-TO-SAM", off).code()).isEqualTo(200);

        String critical1 = alert("B-1001", AlertCategory.BUREAU, Severity.CRITICAL);
        String smeArrears1 = alert("B-1002", AlertCategory.REPAYMENT, Severity.MEDIUM);
        String smeCash = alert("B-1002", AlertCategory.CASH_FLOW, Severity.MEDIUM);
        String ownersOwn = alert("B-1001", AlertCategory.REPAYMENT, Severity.MEDIUM);
        String noOwner = alert("B-1003", AlertCategory.REPAYMENT, Severity.MEDIUM);
        String group = alert(null, AlertCategory.GROUP, Severity.HIGH);

        Map<String, String> assignees = new HashMap<>();
        for (String id : List.of(critical1, smeArrears1, smeCash, ownersOwn, noOwner, group)) {
            assignees.put(id, String.valueOf(detail(id).alert().assignee()));
        }
        assertThat(assignees).containsExactlyInAnyOrderEntriesOf(Map.of(critical1, "sue", smeArrears1, "ana", smeCash, "ben",
                ownersOwn, "ana", noOwner, "null", group, "null"));
        assertThat(detail(noOwner).alert().status()).isEqualTo(AlertStatus.NEW);

        // The history and the audit log say which rule did it.
        AlertDetail routed = detail(critical1);
        assertThat(routed.alert().status()).isEqualTo(AlertStatus.ASSIGNED);
        assertThat(routed.history()).extracting(AlertDetail.HistoryEntry::action).containsExactly("OPENED", "ASSIGN");
        assertThat(routed.history().get(1).actor()).isEqualTo("routing:CRITICAL-TO-SUPERVISOR");
        JsonNode audit = desk.get("aud", "/api/audit?targetType=alert&targetId=" + critical1, Argument.of(JsonNode.class));
        JsonNode assign = audit.get("items").get(0);
        assertThat(assign.get("action").getStringValue()).isEqualTo("ALERT_ASSIGN");
        assertThat(assign.get("after").get("assignee").getStringValue()).isEqualTo("sue");
        assertThat(assign.get("after").get("routingRule").getStringValue()).isEqualTo("CRITICAL-TO-SUPERVISOR");

        // The engine sending the same change again routes nothing again.
        // A marker alert behind the replay, on its partition: once the marker is in, the replay was applied.
        String marker = "rt-marker";
        DeskTestSupport.sendInOrder(topics.alerts(), critical1, List.of(
                Alert.newBuilder(Samples.alert()).setAlertId(critical1).setCategory(AlertCategory.BUREAU).setSeverity(Severity.CRITICAL).build(),
                Alert.newBuilder(Samples.alert()).setAlertId(marker).setBorrowerId("B-1003").build()));
        eventually(Duration.ofSeconds(20), "the marker arrives", () ->
                desk.call("sue", HttpRequest.GET("/api/alerts/" + marker), Argument.of(String.class)).code() == 200);
        assertThat(detail(critical1).history()).hasSize(2);
        assertThat(detail(critical1).alert().version()).isEqualTo(routed.alert().version());
    }

    @Test
    @Order(3)
    void aChangedRuleRoutesOnlyWhatArrivesAfterAndEveryChangeIsAudited() {
        String earlier = alert("B-1001", AlertCategory.CASH_FLOW, Severity.MEDIUM);
        assertThat(detail(earlier).alert().assignee()).isEqualTo("ana");
        Map<String, Object> westOnly = rule(30, "Owners of the West team only", "@owner");
        westOnly.put("teams", List.of("West"));
        HttpResponse<JsonNode> saved = save("sue", "TO-OWNER", westOnly);
        assertThat(saved.code()).isEqualTo(200);
        assertThat(saved.body().get("updatedBy").getStringValue()).isEqualTo("sue");

        String later = alert("B-1001", AlertCategory.CASH_FLOW, Severity.MEDIUM);
        assertThat(detail(later).alert().assignee()).isNull();
        assertThat(detail(earlier).alert().assignee()).isEqualTo("ana");
        assertThat(detail(alert("B-1002", AlertCategory.CASH_FLOW, Severity.MEDIUM)).alert().assignee()).isEqualTo("ben");

        assertThat(desk.call("sue", HttpRequest.DELETE("/api/routing-rules/EVERYTHING-TO-SAM"), Argument.of(String.class)).code())
                .isEqualTo(204);
        assertThat(desk.get("ana", "/api/routing-rules", Argument.listOf(JsonNode.class)))
                .extracting(r -> r.get("ruleId").getStringValue()).containsExactly("CRITICAL-TO-SUPERVISOR", "SME-ARREARS", "TO-OWNER");

        JsonNode audit = desk.get("aud", "/api/audit?targetType=routing-rule&targetId=TO-OWNER", Argument.of(JsonNode.class));
        List<String> actions = new ArrayList<>();
        audit.get("items").values().forEach(entry -> actions.add(entry.get("action").getStringValue()));
        assertThat(actions).containsExactly("ROUTING_RULE_SAVE", "ROUTING_RULE_SAVE");
        JsonNode change = audit.get("items").get(0);
        assertThat(change.get("before").get("teams").values()).isEmpty();
        assertThat(change.get("after").get("teams").get(0).getStringValue()).isEqualTo("West");
        JsonNode deleted = desk.get("aud", "/api/audit?targetType=routing-rule&targetId=EVERYTHING-TO-SAM", Argument.of(JsonNode.class));
        assertThat(deleted.get("items").get(0).get("action").getStringValue()).isEqualTo("ROUTING_RULE_DELETE");
    }

    @Test
    @Order(4)
    void badRulesAreRefusedFieldByFieldAndOnlySupervisorsWriteThem() {
        assertThat(save("ana", "MINE", rule(1, "all to me", "ana")).code()).isEqualTo(403);
        assertThat(refusal(save("sue", "lower-case", rule(1, "d", "ana")))).contains("ruleId");
        assertThat(refusal(save("sue", "TO-AUDITOR", rule(1, "d", "aud")))).contains("assignTo: 'aud' is not an enabled analyst or supervisor");
        assertThat(refusal(save("sue", "TO-NOBODY", rule(1, "d", "Not A User")))).contains("assignTo");
        assertThat(refusal(save("sue", "ZERO", rule(0, "d", "ana")))).contains("position");
        assertThat(refusal(save("sue", "BLANK", rule(1, " ", "ana")))).contains("description");
        Map<String, Object> category = rule(1, "d", "ana");
        category.put("categories", List.of("NOT_A_CATEGORY"));
        assertThat(save("sue", "CATEGORY", category).code()).isEqualTo(400);
        Map<String, Object> officer = rule(1, "d", "ana");
        officer.put("officers", List.of("nobody"));
        assertThat(refusal(save("sue", "OFFICER", officer))).contains("officers: 'nobody' is not a desk user");
        assertThat(desk.call("sue", HttpRequest.GET("/api/routing-rules/NO-SUCH-RULE"), Argument.of(String.class)).code()).isEqualTo(404);
        assertThat(desk.call("sue", HttpRequest.DELETE("/api/routing-rules/NO-SUCH-RULE"), Argument.of(String.class)).code()).isEqualTo(404);
        assertThat(desk.get("sue", "/api/routing-rules", Argument.listOf(JsonNode.class))).hasSize(3);
    }
}
