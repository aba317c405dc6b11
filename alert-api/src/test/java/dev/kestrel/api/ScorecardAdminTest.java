package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.errors.ApiError;
import dev.kestrel.api.scorecards.ScorecardViews;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.GradeThreshold;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.VersionedKind;
import dev.kestrel.events.WatchGrade;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scorecard is published like rules: a supervisor proposes, checked as the job checks it, another person publishes,
 * both audited, and the job's topic receives it.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one database: the versions each test proposes build on the last
class ScorecardAdminTest extends DeskTest {

    private HttpResponse<String> propose(String user, String body) {
        return desk.call(user, HttpRequest.POST("/api/scorecards/proposals", body).contentType(MediaType.APPLICATION_JSON),
                Argument.of(String.class));
    }

    /** Publishes the version as its checker read it: by the content hash GET shows. */
    private HttpResponse<String> publish(String user, int version) {
        String reviewed = scorecard().versions().stream().filter(v -> v.version() == version).findFirst()
                .map(ScorecardViews.ScorecardVersion::contentSha256).orElse("none");
        return desk.call(user, HttpRequest.POST("/api/scorecards/versions/" + version + "/publish?reviewed=" + reviewed, ""),
                Argument.of(String.class));
    }

    private ScorecardViews.ScorecardSummary scorecard() {
        return desk.get("ana", "/api/scorecards", Argument.of(ScorecardViews.ScorecardSummary.class));
    }

    /** The shipped scorecard at another version, AMBER entered at {@code amber} instead of 270. */
    private static Scorecard version(int version, int amber) throws Exception {
        try (InputStream in = ScorecardAdminTest.class.getClassLoader().getResourceAsStream("scorecards/default-scorecard.jsonl")) {
            Scorecard card = (Scorecard) JsonLines.read(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).record();
            card.setVersion(version);
            card.setGrades(List.of(new GradeThreshold(WatchGrade.AMBER, amber, amber - 15), new GradeThreshold(WatchGrade.RED, 320, 300),
                    new GradeThreshold(WatchGrade.BLACK, 370, 350)));
            return card;
        }
    }

    @Test
    @Order(0)
    void theShippedScorecardIsWhatTheJobScoresWith() {
        ScorecardViews.ScorecardSummary card = desk.get("aud", "/api/scorecards", Argument.of(ScorecardViews.ScorecardSummary.class));
        assertThat(card.scorecardId()).isEqualTo("KESTREL-DEFAULT");
        assertThat(card.activeSource()).as("the job has said nothing yet").isEqualTo("NOT_REPORTED");
        assertThat(card.versions()).extracting(ScorecardViews.ScorecardVersion::status).startsWith("SHIPPED");

        DeskTestSupport.jobReports(topics, DeskTestSupport.inForce(VersionedKind.SCORECARD, "KESTREL-DEFAULT", 1, null));
        eventually(Duration.ofSeconds(20), "the job's report reaches the desk", () -> scorecard().activeVersion() == 1);
        assertThat(scorecard().activeSource()).isEqualTo("SHIPPED");
        assertThat(scorecard().versions().get(0).engine().status()).isEqualTo("IN_FORCE");
    }

    @Test
    @Order(1)
    void aProposalIsCheckedAsTheJobChecksIt() throws Exception {
        assertThat(propose("ana", JsonLines.write(version(2, 260))).code()).as("an analyst cannot propose").isEqualTo(403);
        Scorecard overlapping = version(2, 260);
        overlapping.getFactors().get(0).getBins().get(2).setFrom(3L);
        HttpResponse<String> refused = propose("sue", JsonLines.write(overlapping));
        assertThat(refused.code()).isEqualTo(422);
        assertThat(refused.getBody(ApiError.class).orElseThrow().message()).contains("factors[0].bins[2].from", "overlaps");
        HttpResponse<String> nonMonotone = propose("sue", JsonLines.write(version(2, 330)));
        assertThat(nonMonotone.code()).isEqualTo(422);
        assertThat(nonMonotone.getBody(ApiError.class).orElseThrow().message()).contains("grades[1]");
        Scorecard other = version(2, 260);
        other.setScorecardId("SOMETHING-ELSE");
        assertThat(propose("sue", JsonLines.write(other)).getBody(ApiError.class).orElseThrow().message())
                .contains("would never be used");
        HttpResponse<String> old = propose("sue", JsonLines.write(version(1, 260)));
        assertThat(old.code()).isEqualTo(409);
        assertThat(old.getBody(ApiError.class).orElseThrow().message()).contains("propose version 2 or later");
        assertThat(propose("sue", "{\"scorecardId\": 42}").code()).isEqualTo(400);
    }

    @Test
    @Order(2)
    void aProposalPublishedByAnotherPersonReachesTheScorecardsTopicAndTheAuditLog() throws Exception {
        assertThat(propose("sue", JsonLines.write(version(2, 260))).code()).isEqualTo(201);
        assertThat(publish("sue", 2).code()).as("not an admin").isEqualTo(403);
        assertThat(propose("adm", JsonLines.write(version(3, 265))).code()).isEqualTo(201);
        HttpResponse<String> ownProposal = publish("adm", 3);
        assertThat(ownProposal.code()).isEqualTo(403);
        assertThat(ownProposal.getBody(ApiError.class).orElseThrow().message()).contains("four eyes");

        assertThat(publish("adm", 2).code()).isEqualTo(200);
        assertThat(publish("adm", 2).code()).as("published once").isEqualTo(409);
        ScorecardViews.ScorecardSummary published = scorecard();
        assertThat(published.activeVersion()).as("published is not yet run: the job has not said it took it").isEqualTo(1);
        Instant publishedAt = published.versions().stream().filter(v -> v.version() == 2).findFirst().orElseThrow().publishedAt();
        DeskTestSupport.jobReports(topics, DeskTestSupport.inForce(VersionedKind.SCORECARD, "KESTREL-DEFAULT", 2, publishedAt));
        eventually(Duration.ofSeconds(20), "the job's report reaches the desk", () -> scorecard().activeVersion() == 2);
        assertThat(scorecard().activeSource()).isEqualTo("PUBLISHED");

        var onTopic = DeskTestSupport.kafka().readCommitted(topics.scorecards(), 1, Duration.ofSeconds(20), Duration.ZERO);
        assertThat(TestSigningKeys.verifier().problem(onTopic.get(0).value())).as("the engine takes it").isNull();
        Scorecard sent = (Scorecard) new WireCodec().decode(onTopic.get(0).value()).record();
        assertThat(sent.getVersion()).isEqualTo(2);
        assertThat(sent.getPublishedBy()).isEqualTo("adm");
        assertThat(sent.getGrades().get(0).getEnterAt()).isEqualTo(260);

        JsonNode audit = desk.get("aud", "/api/audit?targetType=scorecard", Argument.of(JsonNode.class));
        assertThat(audit.get("items").get(0).get("action").getStringValue()).as("then the topic took it").isEqualTo("SCORECARD_SENT");
        assertThat(audit.get("items").get(0).get("targetId").getStringValue()).isEqualTo("KESTREL-DEFAULT@2");
        assertThat(audit.get("items").get(1).get("action").getStringValue()).isEqualTo("SCORECARD_PUBLISH");
        assertThat(audit.get("items").get(1).get("targetId").getStringValue()).isEqualTo("KESTREL-DEFAULT@2");
        assertThat(audit.get("items").get(1).get("before").get("activeVersion").getIntValue()).isEqualTo(1);
    }
}
