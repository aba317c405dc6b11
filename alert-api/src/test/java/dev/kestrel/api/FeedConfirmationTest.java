package dev.kestrel.api;

import static dev.kestrel.api.ApprovalPublicationTest.insertApproved;
import static dev.kestrel.api.ApprovalPublicationTest.rule;
import static dev.kestrel.api.ApprovalPublicationTest.ruleStatus;
import static dev.kestrel.api.ApprovalPublicationTest.unsigned;
import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * What the feed makes of versions on the rules and scorecards topics: one that is, byte for byte, a version the API
 * signed and approved is published; anything else (unsigned, changed, signed by another key) confirms nothing and is
 * not listed. The outbox is held back here, so that only the feed can mark a version.
 */
@MicronautTest
class FeedConfirmationTest extends DeskTest {
    @Inject
    Database database;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new java.util.HashMap<>(super.getProperties());
        properties.put("kestrel.publication.retry-every", "1h");
        return properties;
    }

    @Test
    void versionsOnTheTopicsWithoutTheApiAreNotListedButOneTheApiSignedIsConfirmed() throws Exception {
        // On one partition, in this order: a changed copy of an approved version, a rule and a scorecard some tool wrote
        // with no signature, then a rule the API signed and sent but did not get to mark (it stopped after the broker's
        // acknowledgement).
        Rule unsigned = rule("EXT-RULE", 1, "batch-loader");
        Scorecard unsignedCard = Samples.scorecard();
        unsignedCard.setVersion(7);
        unsignedCard.setPublishedBy("batch-loader");
        Rule signed = TestSigningKeys.SIGNER.sign(rule("CF-SENT", 2, "adm"));
        insertApproved(database, "rule_change", "rule_id", "rule_json", signed.getRuleId(), signed.getVersion(),
                JsonLines.write(unsigned(signed)), new WireCodec().encode(signed));
        // And one approved version of which only a changed copy reaches the topic, signed by someone else's key.
        Rule approved = TestSigningKeys.SIGNER.sign(rule("CF-FORGED", 2, "adm"));
        insertApproved(database, "rule_change", "rule_id", "rule_json", approved.getRuleId(), approved.getVersion(),
                JsonLines.write(unsigned(approved)), new WireCodec().encode(approved));
        Rule forged = unsigned(approved);
        forged.getCondition().getAnyOf().get(0).getAllOf().get(0).setThreshold(999);
        forged = new dev.kestrel.contract.ApprovalSignatures.Signer(TestSigningKeys.KEY_ID,
                dev.kestrel.contract.ApprovalSignatures.Keys.generate("someone-else").privateKey()).sign(forged);
        WireCodec codec = new WireCodec();
        DeskTestSupport.kafka().send(topics.rules(), List.of(
                new ProducerRecord<>(topics.rules(), 0, key("CF-FORGED"), codec.encode(forged))));
        DeskTestSupport.kafka().send(topics.rules(), List.of(
                new ProducerRecord<>(topics.rules(), 0, key("EXT-RULE"), codec.encode(unsigned))));
        DeskTestSupport.kafka().send(topics.scorecards(), List.of(
                new ProducerRecord<>(topics.scorecards(), 0, key("KESTREL-DEFAULT"), codec.encode(unsignedCard))));
        DeskTestSupport.kafka().send(topics.rules(), List.of(
                new ProducerRecord<>(topics.rules(), 0, key("CF-SENT"), codec.encode(signed))));

        eventually(Duration.ofSeconds(20), "the feed confirms the signed one", () -> ruleStatus(desk, "CF-SENT", 2).equals("PUBLISHED"));
        assertThat(ruleStatus(desk, "CF-FORGED", 2)).as("a copy that is not the signed bytes confirms nothing").isEqualTo("APPROVED");
        io.micronaut.json.tree.JsonNode audit = desk.get("aud", "/api/audit?targetType=rule&targetId=CF-SENT@2",
                Argument.of(io.micronaut.json.tree.JsonNode.class));
        assertThat(audit.get("items").values()).as("marked PUBLISHED once, by the feed or the outbox, and audited so")
                .filteredOn(e -> e.get("action").getStringValue().equals("RULE_SENT"))
                .singleElement().satisfies(e -> assertThat(e.get("actor").getStringValue()).isEqualTo("system"));
        assertThat(desk.call("ana", HttpRequest.GET("/api/rules/EXT-RULE"), Argument.of(String.class)).code())
                .as("the engine dead-letters it as UNSIGNED_RULE, so the desk does not list it as published").isEqualTo(404);
        ScorecardViews.ScorecardSummary card = desk.get("ana", "/api/scorecards", Argument.of(ScorecardViews.ScorecardSummary.class));
        assertThat(card.activeSource()).as("a record on the topic is not the job's word on what it runs").isEqualTo("NOT_REPORTED");
        assertThat(card.versions()).extracting(ScorecardViews.ScorecardVersion::version).doesNotContain(7);
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
