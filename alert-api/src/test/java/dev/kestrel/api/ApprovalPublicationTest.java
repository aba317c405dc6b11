package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.rules.RuleViews;
import dev.kestrel.api.store.Database;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Rule;
import io.micronaut.core.type.Argument;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Audit first, publish second, and neither lost: what the outbox does with a version approved but not yet sent when
 * the API stopped between the two steps. {@link FeedConfirmationTest} has what the feed does with the topics.
 */
@MicronautTest
class ApprovalPublicationTest extends DeskTest {
    @Inject
    Database database;

    @Test
    void aVersionApprovedButNotYetSentWhenTheApiStoppedGoesOutOnItsOwn() {
        // The approval committed (signed, audited) and the API stopped before the topic took it: the row is APPROVED.
        Rule rule = TestSigningKeys.SIGNER.sign(rule("CF-OUTBOX", 2, "adm"));
        insertApproved(database, "rule_change", "rule_id", "rule_json", rule.getRuleId(), rule.getVersion(), JsonLines.write(unsigned(rule)),
                new WireCodec().encode(rule));

        eventually(Duration.ofSeconds(20), "it is marked published", () -> ruleStatus(desk, "CF-OUTBOX", 2).equals("PUBLISHED"));
        // The other test of this class writes to the same topic: pick this rule's record by its key.
        var onTopic = DeskTestSupport.kafka().readCommitted(topics.rules(), 10, Duration.ofSeconds(2), Duration.ZERO).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("CF-OUTBOX")).toList();
        assertThat(onTopic).hasSize(1);
        assertThat(TestSigningKeys.verifier().problem(onTopic.get(0).value())).as("the engine takes it").isNull();
        assertThat(((Rule) new WireCodec().decode(onTopic.get(0).value()).record()).getVersion()).isEqualTo(2);
        assertThat(desk.get("ana", "/api/rules/CF-OUTBOX", Argument.of(RuleViews.RuleSummary.class)).activeSource())
                .as("on the topic, and running only once the job says so").isEqualTo("NOT_REPORTED");
    }

    static Rule rule(String ruleId, int version, String publishedBy) {
        Rule rule = Samples.rule();
        rule.setRuleId(ruleId);
        rule.setVersion(version);
        rule.setPublishedBy(publishedBy);
        rule.setPublishedAt(Instant.parse("2026-12-01T09:00:00Z"));
        return rule;
    }

    static Rule unsigned(Rule rule) {
        return Rule.newBuilder(rule).setSignature(null).build();
    }

    static void insertApproved(Database database, String table, String idColumn, String jsonColumn, String id, int version, String json, byte[] payload) {
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

    static String ruleStatus(DeskTestSupport.Desk desk, String ruleId, int version) {
        return desk.get("ana", "/api/rules/" + ruleId, Argument.of(RuleViews.RuleSummary.class)).versions().stream()
                .filter(v -> v.version() == version).findFirst().orElseThrow().status();
    }
}
