package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.borrowers.BorrowerList;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.BorrowerProfile;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tags (标签) as the desk uses them: ana marks her borrower for key attention (重点关注), finds it by the tag, and takes
 * the tag off when the attention ends; she cannot tag a colleague's borrower; a workflow rule tags every borrower that
 * falls into arrears.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TagTest extends DeskTest {
    private static final String KEY_ATTENTION = "重点关注";

    @BeforeAll
    void twoBorrowersTwoOwners() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").setName("Jiangnan Shipping Ltd.")
                        .setGroupId(null).build()));
        borrowersArrive("B-1001", "B-1002");
        for (var owner : List.of(List.of("B-1001", "ana", "East"), List.of("B-1002", "ben", "West"))) {
            assertThat(desk.call("sue", HttpRequest.PUT("/api/borrowers/" + owner.get(0) + "/owner",
                    Map.of("officer", owner.get(1), "team", owner.get(2))), Argument.of(String.class)).code()).isEqualTo(200);
        }
    }

    private static String path(String borrowerId, String tag) {
        return "/api/borrowers/" + borrowerId + "/tags/" + URLEncoder.encode(tag, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<JsonNode> tag(String user, String borrowerId, String tag) {
        return desk.call(user, HttpRequest.PUT(path(borrowerId, tag), Map.of()), Argument.of(JsonNode.class));
    }

    private List<String> tagsOf(String borrowerId) {
        List<String> tags = new ArrayList<>();
        desk.get("sue", "/api/borrowers/" + borrowerId, Argument.of(JsonNode.class)).get("tags").values()
                .forEach(t -> tags.add(t.get("tag").getStringValue() + " by " + t.get("setBy").getStringValue()));
        return tags;
    }

    private List<String> auditOf(String borrowerId) {
        List<String> actions = new ArrayList<>();
        desk.get("aud", "/api/audit?targetType=borrower&targetId=" + borrowerId, Argument.of(JsonNode.class)).get("items").values()
                .forEach(e -> actions.add(e.get("action").getStringValue() + " by " + e.get("actor").getStringValue()));
        return actions;
    }

    @Test
    @Order(1)
    void anOwnerTagsHerBorrowerFindsItByTheTagAndTakesItOff() {
        HttpResponse<JsonNode> tagged = tag("ana", "B-1001", KEY_ATTENTION);
        assertThat(tagged.code()).isEqualTo(200);
        assertThat(tagged.body().get("setBy").getStringValue()).isEqualTo("ana");
        // Again: nothing changes, and she stays who set it.
        assertThat(tag("ana", "B-1001", KEY_ATTENTION).code()).isEqualTo(200);
        assertThat(tagsOf("B-1001")).containsExactly(KEY_ATTENTION + " by ana");

        BorrowerList.Page found = desk.get("ana", "/api/borrowers?tag=" + URLEncoder.encode(KEY_ATTENTION, StandardCharsets.UTF_8),
                Argument.of(BorrowerList.Page.class));
        assertThat(found.items()).extracting(BorrowerList.Entry::borrowerId).containsExactly("B-1001");
        assertThat(desk.get("ben", "/api/tags", Argument.listOf(JsonNode.class)))
                .extracting(t -> t.get("tag").getStringValue() + "=" + t.get("borrowers").getIntValue()).contains(KEY_ATTENTION + "=1");

        assertThat(desk.call("ana", HttpRequest.DELETE(path("B-1001", KEY_ATTENTION)), Argument.of(String.class)).code()).isEqualTo(204);
        assertThat(tagsOf("B-1001")).isEmpty();
        assertThat(desk.call("ana", HttpRequest.DELETE(path("B-1001", KEY_ATTENTION)), Argument.of(String.class)).code()).isEqualTo(404);
        assertThat(auditOf("B-1001")).containsSubsequence("TAG_REMOVE by ana", "TAG_SET by ana");
        assertThat(auditOf("B-1001").stream().filter(a -> a.startsWith("TAG_SET"))).hasSize(1);
    }

    @Test
    @Order(2)
    void onlyThePortfolioOrASupervisorTagsAndBadTagsAreRefused() {
        assertThat(tag("ana", "B-1002", "restructuring").code()).isEqualTo(403);
        assertThat(tag("aud", "B-1002", "restructuring").code()).isEqualTo(403);
        assertThat(tag("sue", "B-1002", "restructuring").code()).isEqualTo(200);
        assertThat(tag("ben", "B-1002", "workout 2026").code()).isEqualTo(200);
        assertThat(tagsOf("B-1002")).containsExactly("restructuring by sue", "workout 2026 by ben");
        // ben takes off his own tag, not the supervisor's.
        assertThat(desk.call("ben", HttpRequest.DELETE(path("B-1002", "restructuring")), Argument.of(String.class)).code()).isEqualTo(403);
        assertThat(desk.call("ben", HttpRequest.DELETE(path("B-1002", "workout 2026")), Argument.of(String.class)).code()).isEqualTo(204);
        assertThat(tag("sue", "B-1002", "निगरानी").code()).as("a Hindi tag, with its combining marks").isEqualTo(200);
        assertThat(tag("sue", "B-1002", "arrears ").code()).as("a trailing space").isEqualTo(400);
        assertThat(tag("sue", "B-1002", "-starts-with-a-dash").code()).isEqualTo(400);
        assertThat(tag("sue", "B-1002", "x".repeat(41)).code()).isEqualTo(400);
        assertThat(tag("sue", "B-9999", "restructuring").code()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void aWorkflowRuleTagsEveryBorrowerThatFallsIntoArrears() {
        Map<String, Object> rule = new HashMap<>();
        rule.put("position", 1);
        rule.put("description", "Tag borrowers in arrears");
        rule.put("categories", List.of("REPAYMENT"));
        rule.put("tag", "arrears");
        assertThat(desk.call("sue", HttpRequest.PUT("/api/routing-rules/TAG-ARREARS", rule), Argument.of(String.class)).code())
                .isEqualTo(200);
        rule.remove("tag");
        assertThat(desk.call("sue", HttpRequest.PUT("/api/routing-rules/DOES-NOTHING", rule), Argument.of(String.class)).code())
                .as("a rule that neither assigns nor tags").isEqualTo(400);

        String arrears = desk.raise(topics.alerts(), Alert.newBuilder(Samples.alert()).setAlertId("tag-1").setBorrowerId("B-1002")
                .setCategory(AlertCategory.REPAYMENT).build(), "tag-1");
        String cash = desk.raise(topics.alerts(), Alert.newBuilder(Samples.alert()).setAlertId("tag-2").setBorrowerId("B-1001")
                .setCategory(AlertCategory.CASH_FLOW).build(), "tag-2");
        assertThat(tagsOf("B-1002")).contains("arrears by routing:TAG-ARREARS");
        assertThat(tagsOf("B-1001")).isEmpty();
        assertThat(auditOf("B-1002")).contains("TAG_SET by routing:TAG-ARREARS");
        // The rule tags; it does not assign.
        assertThat(desk.getJson("sue", "/api/alerts/" + arrears).get("alert")).asString().contains("status=NEW");
        assertThat(cash).isEqualTo("tag-2");
    }
}
