package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.rules.RuleViews;
import dev.kestrel.api.scorecards.ScorecardViews;
import dev.kestrel.api.store.Database;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Audit first, publish second, and neither lost: what the outbox and the feed do with approved versions when the API
 * stopped between the two steps, and what they do with versions written to the topics without the API.
 */
@MicronautTest
class ApprovalPublicationTest extends DeskTest {
    @Inject
    Database database;

    @Test
    void aVersionApprovedButNotYetSentWhenTheApiStoppedGoesOutOnItsOwn() {
        // The approval committed (signed, audited) and the API stopped before the topic took it: the row is APPROVED.
        Rule rule = TestSigningKeys.SIGNER.sign(rule("CF-OUTBOX", 2, "adm"));
        insertApproved("rule_change", "rule_id", "rule_json", rule.getRuleId(), rule.getVersion(), JsonLines.write(unsigned(rule)),
                new WireCodec().encode(rule));

        eventually(Duration.ofSeconds(20), "it is marked published", () -> ruleStatus("CF-OUTBOX", 2).equals("PUBLISHED"));
        // The other test of this class writes to the same topic: pick this rule's record by its key.
        var onTopic = DeskTestSupport.kafka().readCommitted(topics.rules(), 10, Duration.ofSeconds(2), Duration.ZERO).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("CF-OUTBOX")).toList();
        assertThat(onTopic).hasSize(1);
        assertThat(TestSigningKeys.verifier().problem(onTopic.get(0).value())).as("the engine takes it").isNull();
        assertThat(((Rule) new WireCodec().decode(onTopic.get(0).value()).record()).getVersion()).isEqualTo(2);
        assertThat(desk.get("ana", "/api/rules/CF-OUTBOX", Argument.of(RuleViews.RuleSummary.class)).activeVersion()).isEqualTo(2);
    }

    @Test
    void versionsOnTheTopicsWithoutTheApiAreNotListedButOneTheApiSignedIsConfirmed() {
        // On one partition, in this order: a rule and a scorecard some tool wrote with no signature, then a rule the API
        // signed and sent but did not get to mark (it stopped after the broker's acknowledgement).
        Rule unsigned = rule("EXT-RULE", 1, "batch-loader");
        Scorecard unsignedCard = Samples.scorecard();
        unsignedCard.setVersion(7);
        unsignedCard.setPublishedBy("batch-loader");
        Rule signed = TestSigningKeys.SIGNER.sign(rule("CF-SENT", 2, "adm"));
        // Its row as the API left it; without the payload, so that only the feed, not the outbox, can mark it.
        insertApproved("rule_change", "rule_id", "rule_json", signed.getRuleId(), signed.getVersion(), JsonLines.write(unsigned(signed)), null);
        WireCodec codec = new WireCodec();
        DeskTestSupport.kafka().send(topics.rules(), List.of(
                new ProducerRecord<>(topics.rules(), 0, key("EXT-RULE"), codec.encode(unsigned))));
        DeskTestSupport.kafka().send(topics.scorecards(), List.of(
                new ProducerRecord<>(topics.scorecards(), 0, key("KESTREL-DEFAULT"), codec.encode(unsignedCard))));
        DeskTestSupport.kafka().send(topics.rules(), List.of(
                new ProducerRecord<>(topics.rules(), 0, key("CF-SENT"), codec.encode(signed))));

        eventually(Duration.ofSeconds(20), "the feed confirms the signed one", () -> ruleStatus("CF-SENT", 2).equals("PUBLISHED"));
        assertThat(desk.call("ana", HttpRequest.GET("/api/rules/EXT-RULE"), Argument.of(String.class)).code())
                .as("the engine dead-letters it as UNSIGNED_RULE, so the desk does not list it as published").isEqualTo(404);
        ScorecardViews.ScorecardSummary card = desk.get("ana", "/api/scorecards", Argument.of(ScorecardViews.ScorecardSummary.class));
        assertThat(card.activeSource()).isEqualTo("SHIPPED");
        assertThat(card.versions()).extracting(ScorecardViews.ScorecardVersion::version).doesNotContain(7);
    }

    private static Rule rule(String ruleId, int version, String publishedBy) {
        Rule rule = Samples.rule();
        rule.setRuleId(ruleId);
        rule.setVersion(version);
        rule.setPublishedBy(publishedBy);
        rule.setPublishedAt(Instant.parse("2026-12-01T09:00:00Z"));
        return rule;
    }

    private static Rule unsigned(Rule rule) {
        return Rule.newBuilder(rule).setSignature(null).build();
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private void insertApproved(String table, String idColumn, String jsonColumn, String id, int version, String json, byte[] payload) {
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (" + idColumn + ", version, status, "
                    + jsonColumn + ", proposed_by, proposed_at, published_by, published_at, signed_payload, signed_with) "
                    + "VALUES (?, ?, 'APPROVED', ?::jsonb, 'sue', now(), 'adm', now(), ?, ?)")) {
                insert.setString(1, id);
                insert.setInt(2, version);
                insert.setString(3, json);
                insert.setBytes(4, payload);
                insert.setString(5, TestSigningKeys.KEY_ID);
                insert.executeUpdate();
            }
            return null;
        });
    }

    private String ruleStatus(String ruleId, int version) {
        return desk.get("ana", "/api/rules/" + ruleId, Argument.of(RuleViews.RuleSummary.class)).versions().stream()
                .filter(v -> v.version() == version).findFirst().orElseThrow().status();
    }
}
