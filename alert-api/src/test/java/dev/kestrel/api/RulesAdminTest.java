package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.errors.ApiError;
import dev.kestrel.api.rules.RuleViews;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Rule;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionSource;
import dev.kestrel.events.VersionedKind;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules admin: list the shipped and published versions, propose, publish signed to the rules topic, four eyes, audit. */
@MicronautTest
class RulesAdminTest extends DeskTest {
    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    private HttpResponse<String> propose(String user, String json) {
        return desk.call(user, HttpRequest.POST("/api/rules/proposals", json).contentType(MediaType.APPLICATION_JSON_TYPE),
                Argument.of(String.class));
    }

    /** Publishes the version as its checker read it: by the content hash GET shows. */
    private HttpResponse<String> publish(String user, String ruleId, int version) {
        String reviewed = rule(ruleId).versions().stream().filter(v -> v.version() == version).findFirst()
                .map(RuleViews.RuleVersion::contentSha256).orElse("none");
        return publish(user, ruleId, version, reviewed);
    }

    private HttpResponse<String> publish(String user, String ruleId, int version, String reviewed) {
        return desk.call(user, HttpRequest.POST("/api/rules/" + ruleId + "/versions/" + version + "/publish"
                + (reviewed == null ? "" : "?reviewed=" + reviewed), ""), Argument.of(String.class));
    }

    private RuleViews.RuleSummary rule(String ruleId) {
        return desk.get("ana", "/api/rules/" + ruleId, Argument.of(RuleViews.RuleSummary.class));
    }

    private static String version(int version, long threshold) {
        return version("CF-INFLOW-DROP", version, threshold);
    }

    private static String version(String ruleId, int version, long threshold) {
        Rule rule = Samples.rule();
        rule.setRuleId(ruleId);
        rule.setVersion(version);
        rule.getCondition().getAnyOf().get(0).getAllOf().get(0).setIndicator("inflowDrop");
        rule.getCondition().getAnyOf().get(0).getAllOf().get(0).setThreshold(threshold);
        rule.getCondition().getAnyOf().get(0).getAllOf().get(0).setClearThreshold(threshold - 1000);
        rule.getEscalations().forEach(e -> e.getCondition().getAnyOf().get(0).getAllOf().get(0).setIndicator("inflowDrop"));
        return JsonLines.write(rule);
    }

    @Test
    void theShippedPackIsListedAndTheVersionRunningIsTheOneTheJobReports() {
        List<RuleViews.RuleSummary> rules = desk.get("aud", "/api/rules", Argument.listOf(RuleViews.RuleSummary.class));
        assertThat(rules).hasSizeGreaterThanOrEqualTo(27);
        assertThat(rules).filteredOn(r -> r.ruleId().equals("REPAY-ARREARS")).singleElement().satisfies(r -> {
            assertThat(r.activeSource()).as("the job has said nothing yet").isEqualTo("NOT_REPORTED");
            assertThat(r.activeVersion()).isZero();
            assertThat(r.enabled()).isFalse();
            assertThat(r.versions()).singleElement().satisfies(v -> assertThat(v.engine()).isNull());
        });

        int shipped = rule("REPAY-ARREARS").versions().get(0).version();
        DeskTestSupport.jobReports(topics, DeskTestSupport.inForce(VersionedKind.RULE, "REPAY-ARREARS", shipped, null));
        eventually(Duration.ofSeconds(20), "the job's report reaches the desk", () -> rule("REPAY-ARREARS").activeVersion() == shipped);
        RuleViews.RuleSummary running = rule("REPAY-ARREARS");
        assertThat(running.activeSource()).isEqualTo("SHIPPED");
        assertThat(running.enabled()).isTrue();
        assertThat(running.versions()).singleElement().satisfies(v -> {
            assertThat(v.engine().status()).isEqualTo("IN_FORCE");
            assertThat(v.engine().source()).isEqualTo("PACK");
            assertThat(v.engine().inForceFrom()).as("from the start of time").isNull();
        });
    }

    @Test
    void aProposalIsCheckedLikeTheJobWouldCheckIt() {
        assertThat(propose("ana", version("CF-BURN", 2, 5000)).code()).isEqualTo(403);
        HttpResponse<String> unknownIndicator = propose("sue", version("CF-BURN", 2, 5000).replace("\"inflowDrop\"", "\"vibes\""));
        assertThat(unknownIndicator.code()).isEqualTo(422);
        assertThat(unknownIndicator.getBody(ApiError.class).orElseThrow().message()).contains("unknown indicator 'vibes'");
        HttpResponse<String> malformed = propose("sue", "{\"ruleId\": 42}");
        assertThat(malformed.code()).isEqualTo(400);
        assertThat(malformed.getBody(ApiError.class).orElseThrow().message()).contains("not a valid Rule");
        HttpResponse<String> old = propose("sue", version("CF-BURN", 1, 5000));
        assertThat(old.code()).isEqualTo(409);
        assertThat(old.getBody(ApiError.class).orElseThrow().message()).contains("propose version 2 or later");
    }

    @Test
    void aProposalPublishedByAnotherPersonReachesTheRulesTopicAndTheAuditLog() {
        assertThat(propose("sue", version(2, 5000)).code()).isEqualTo(201);
        assertThat(rule("CF-INFLOW-DROP").versions()).extracting(RuleViews.RuleVersion::status)
                .containsExactly("SHIPPED", "PROPOSED");
        assertThat(publish("sue", "CF-INFLOW-DROP", 2).code()).isEqualTo(403); // not an admin
        assertThat(publish("adm", "CF-INFLOW-DROP", 2).code()).isEqualTo(200);
        RuleViews.RuleSummary published = rule("CF-INFLOW-DROP");
        assertThat(published.activeSource()).as("published is not yet running: the job has not said it took it")
                .isEqualTo("NOT_REPORTED");
        Instant publishedAt = published.versions().stream().filter(v -> v.version() == 2).findFirst().orElseThrow().publishedAt();
        DeskTestSupport.jobReports(topics, DeskTestSupport.inForce(VersionedKind.RULE, "CF-INFLOW-DROP", 2, publishedAt));
        eventually(Duration.ofSeconds(20), "the job's report reaches the desk", () -> rule("CF-INFLOW-DROP").activeVersion() == 2);
        published = rule("CF-INFLOW-DROP");
        assertThat(published.activeSource()).isEqualTo("PUBLISHED");
        assertThat(published.activeFrom()).as("events stamped from then are judged by it").isEqualTo(publishedAt);
        assertThat(published.versions()).filteredOn(v -> v.version() == 2).singleElement()
                .satisfies(v -> assertThat(v.engine().inForceFrom()).isEqualTo(publishedAt))
                .satisfies(v -> assertThat(v.signedWith()).isEqualTo(TestSigningKeys.KEY_ID))
                .satisfies(v -> assertThat(v.rule().get("signature").isNull()).as("the desk is shown the rule, not its signature").isTrue());
        assertThat(publish("adm", "CF-INFLOW-DROP", 2).code()).isEqualTo(409);

        var onTopic = DeskTestSupport.kafka().readCommitted(topics.rules(), 1, Duration.ofSeconds(20), Duration.ZERO);
        assertThat(TestSigningKeys.verifier().problem(onTopic.get(0).value())).as("the engine takes it").isNull();
        Rule sent = (Rule) new WireCodec().decode(onTopic.get(0).value()).record();
        assertThat(sent.getVersion()).isEqualTo(2);
        assertThat(sent.getPublishedBy()).isEqualTo("adm");
        assertThat(sent.getCondition().getAnyOf().get(0).getAllOf().get(0).getThreshold()).isEqualTo(5000);

        // Maker and checker: whoever proposed a version cannot publish it.
        assertThat(propose("adm", version(3, 6000)).code()).isEqualTo(201);
        HttpResponse<String> ownProposal = publish("adm", "CF-INFLOW-DROP", 3);
        assertThat(ownProposal.code()).isEqualTo(403);
        assertThat(ownProposal.getBody(ApiError.class).orElseThrow().message()).contains("four eyes");
        assertThat(publish("ada", "CF-INFLOW-DROP", 3).code()).isEqualTo(200);

        JsonNode audit = desk.get("aud", "/api/audit?targetType=rule", Argument.of(JsonNode.class));
        assertThat(audit.get("items").get(0).get("action").getStringValue()).as("then the topic took it").isEqualTo("RULE_SENT");
        assertThat(audit.get("items").get(0).get("actor").getStringValue()).isEqualTo("system");
        assertThat(audit.get("items").get(0).get("targetId").getStringValue()).isEqualTo("CF-INFLOW-DROP@3");
        assertThat(audit.get("items").get(1).get("action").getStringValue()).isEqualTo("RULE_PUBLISH");
        assertThat(audit.get("items").get(1).get("targetId").getStringValue()).isEqualTo("CF-INFLOW-DROP@3");
        assertThat(audit.get("items").get(1).get("before").get("activeVersion").getIntValue()).isEqualTo(2);
        assertThat(audit.get("items").get(1).get("after").get("version").getIntValue()).isEqualTo(3);
        assertThat(audit.get("items").get(2).get("action").getStringValue()).isEqualTo("RULE_PROPOSE");

        // The job refuses version 3 (say, it runs an older release that does not know an indicator): the desk sees
        // version 2 still running, and why 3 is not.
        VersionRunning second = VersionRunning.newBuilder().setVersion(2).setSource(VersionSource.PUBLISHED)
                .setInForceFrom(publishedAt).build();
        DeskTestSupport.jobReports(topics, DeskTestSupport.refused(VersionedKind.RULE, "CF-INFLOW-DROP", 3,
                "does not compile: unknown indicator 'inflowDrop'", second));
        eventually(Duration.ofSeconds(20), "the refusal reaches the desk", () -> rule("CF-INFLOW-DROP").versions().stream()
                .anyMatch(v -> v.version() == 3 && v.engine() != null));
        RuleViews.RuleSummary refused = rule("CF-INFLOW-DROP");
        assertThat(refused.activeVersion()).isEqualTo(2);
        assertThat(refused.versions()).filteredOn(v -> v.version() == 3).singleElement().satisfies(v -> {
            assertThat(v.status()).as("the API published it").isEqualTo("PUBLISHED");
            assertThat(v.engine().status()).isEqualTo("REFUSED");
            assertThat(v.engine().reason()).contains("unknown indicator");
        });

        // The job is rolled back to a release that cannot use version 2 either: at its start it reports so, and what
        // runs is the shipped version again, though version 2 was once in force.
        int shipped = refused.versions().get(0).version();
        DeskTestSupport.jobReports(topics,
                DeskTestSupport.inForce(VersionedKind.RULE, "CF-INFLOW-DROP", shipped, null),
                DeskTestSupport.refused(VersionedKind.RULE, "CF-INFLOW-DROP", 2,
                        "restored, but does not compile in this release: unknown indicator 'inflowDrop'",
                        VersionRunning.newBuilder().setVersion(shipped).setSource(VersionSource.PACK).build()));
        eventually(Duration.ofSeconds(20), "the restart's report reaches the desk", () -> rule("CF-INFLOW-DROP").activeVersion() == shipped);
        RuleViews.RuleSummary rolledBack = rule("CF-INFLOW-DROP");
        assertThat(rolledBack.activeSource()).isEqualTo("SHIPPED");
        assertThat(rolledBack.versions()).filteredOn(v -> v.version() == 2).singleElement()
                .satisfies(v -> assertThat(v.engine().status()).isEqualTo("REFUSED"));
    }

    @Test
    void theCheckerPublishesTheVersionTheyReadAndNotOneChangedSince() throws Exception {
        assertThat(propose("sue", version("DESK-REVIEWED", 1, 5000)).code()).isEqualTo(201);
        String read = rule("DESK-REVIEWED").versions().stream().filter(v -> v.version() == 1).findFirst().orElseThrow().contentSha256();
        assertThat(read).hasSize(64);

        HttpResponse<String> blind = publish("adm", "DESK-REVIEWED", 1, null);
        assertThat(blind.code()).isEqualTo(400);
        assertThat(blind.getBody(ApiError.class).orElseThrow().message()).contains("contentSha256 of the version you reviewed");
        // The stored proposal changes after the checker read it (the threshold loosened in the database).
        try (var connection = dataSource.getConnection(); var update = connection.prepareStatement(
                "UPDATE rule_change SET rule_json = jsonb_set(rule_json, '{condition,anyOf,0,allOf,0,threshold}', '9000') "
                        + "WHERE rule_id = 'DESK-REVIEWED' AND version = 1")) {
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        HttpResponse<String> changed = publish("adm", "DESK-REVIEWED", 1, read);
        assertThat(changed.code()).isEqualTo(409);
        assertThat(changed.getBody(ApiError.class).orElseThrow().message()).contains("is not the version you reviewed");
        assertThat(rule("DESK-REVIEWED").versions()).filteredOn(v -> v.version() == 1).extracting(RuleViews.RuleVersion::status)
                .containsExactly("PROPOSED");

        assertThat(publish("adm", "DESK-REVIEWED", 1).code()).as("read again, then published").isEqualTo(200);
    }
}
