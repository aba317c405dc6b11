package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.scores.WatchListView;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.WatchGrade;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's scores reach the desk through the real broker and database: ranked as the engine scored them, filtered,
 * paged, each borrower's history kept once per change. The API stores the engine's grade and segment; it derives none.
 */
@MicronautTest
class WatchListApiTest extends DeskTest {
    private static final Instant MARCH = Instant.parse("2026-03-02T09:15:00Z");

    private static BorrowerScore score(String borrower, int score, WatchGrade grade, RiskSegment segment, Instant at, Integer previous) {
        return BorrowerScore.newBuilder(Samples.borrowerScore()).setBorrowerId(borrower).setScore(score).setGrade(grade)
                .setSegment(segment).setEventTime(at).setPreviousScore(previous).build();
    }

    @BeforeAll
    void theEngineScoredThreeBorrowers() {
        BorrowerScore earlier = score("B-2", 250, WatchGrade.GREEN, RiskSegment.QUALITY, MARCH.minusSeconds(86_400), null);
        BorrowerScore red = score("B-2", 350, WatchGrade.RED, RiskSegment.RISK_WATCH, MARCH, 250);
        DeskTestSupport.send(topics.scores(), List.of(
                score("B-1", 295, WatchGrade.AMBER, RiskSegment.RISK_WATCH, MARCH, 200),
                earlier, red,
                score("B-3", 175, WatchGrade.GREEN, RiskSegment.CORE, MARCH, null),
                red, // read again: one change, not two
                earlier)); // an older change arriving late does not take the list back
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));
        eventually(Duration.ofSeconds(30), "every score is stored", () ->
                desk.get("ana", "/api/watch-list", Argument.of(WatchListView.Page.class)).items().size() == 3
                        && desk.get("ana", "/api/borrowers/B-2/scores", Argument.listOf(WatchListView.ScorePoint.class)).size() == 2);
    }

    @Test
    void theWatchListRanksBorrowersByTheEnginesScoreWithTheirTrendAndTopFactors() {
        List<WatchListView.Entry> items = desk.get("ana", "/api/watch-list", Argument.of(WatchListView.Page.class)).items();

        assertThat(items).extracting(e -> e.borrowerId() + " " + e.score() + " " + e.grade() + " " + e.segment())
                .containsExactly("B-2 350 RED RISK_WATCH", "B-1 295 AMBER RISK_WATCH", "B-3 175 GREEN CORE");
        assertThat(items.get(0).previousScore()).as("the trend: up from 250").isEqualTo(250);
        assertThat(items.get(0).topFactors().size()).isLessThanOrEqualTo(3);
        assertThat(items.get(0).topFactors().get(0).get("factorId").getStringValue()).isEqualTo("ARREARS");
        assertThat(items.get(0).scorecard()).isEqualTo("KESTREL-DEFAULT v2");
    }

    @Test
    void theWatchListFiltersByGradeAndSegment() {
        assertThat(desk.get("ana", "/api/watch-list?grade=amber,RED", Argument.of(WatchListView.Page.class)).items())
                .extracting(WatchListView.Entry::borrowerId).containsExactly("B-2", "B-1");
        assertThat(desk.get("ana", "/api/watch-list?segment=CORE", Argument.of(WatchListView.Page.class)).items())
                .extracting(WatchListView.Entry::borrowerId).containsExactly("B-3");
    }

    @Test
    void theWatchListPagesByCursorWithoutRepeatingOrSkipping() {
        WatchListView.Page first = desk.get("ana", "/api/watch-list?limit=2", Argument.of(WatchListView.Page.class));
        WatchListView.Page second = desk.get("ana", "/api/watch-list?limit=2&cursor=" + first.nextCursor(),
                Argument.of(WatchListView.Page.class));

        assertThat(first.items()).extracting(WatchListView.Entry::borrowerId).containsExactly("B-2", "B-1");
        assertThat(second.items()).extracting(WatchListView.Entry::borrowerId).containsExactly("B-3");
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void aBorrowersScoreHistoryKeepsEachChangeOnceOldestFirst() {
        List<WatchListView.ScorePoint> history = desk.get("ana", "/api/borrowers/B-2/scores",
                Argument.listOf(WatchListView.ScorePoint.class));

        assertThat(history).extracting(p -> p.score() + " " + p.grade()).containsExactly("250 GREEN", "350 RED");
        assertThat(history.get(1).factors().size()).isEqualTo(2);
        assertThat(desk.call("ana", HttpRequest.GET("/api/borrowers/NO-SUCH/scores"), Argument.of(String.class)).code())
                .isEqualTo(404);
    }

    @Test
    void anUnknownGradeOrAHandMadeCursorIsRefusedWithItsReason() {
        HttpResponse<String> grade = desk.call("ana", HttpRequest.GET("/api/watch-list?grade=PURPLE"), Argument.of(String.class));
        String notANumber = Base64.getUrlEncoder().encodeToString("high|B-1".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> cursor = desk.call("ana", HttpRequest.GET("/api/watch-list?cursor=" + notANumber), Argument.of(String.class));
        HttpResponse<String> garbage = desk.call("ana", HttpRequest.GET("/api/watch-list?cursor=%25%25"), Argument.of(String.class));

        assertThat(grade.code()).isEqualTo(400);
        assertThat(grade.getBody(String.class).orElse("")).contains("grade 'PURPLE' is not one of [GREEN, AMBER, RED, BLACK]");
        assertThat(cursor.code()).isEqualTo(400);
        assertThat(cursor.getBody(String.class).orElse("")).contains("cursor is not one this API issued");
        assertThat(garbage.code()).isEqualTo(400);
    }

    private HttpResponse<String> setOwner(String caller, String borrower, String body) {
        return desk.call(caller, HttpRequest.PUT("/api/borrowers/" + borrower + "/owner", body)
                .contentType(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE), Argument.of(String.class));
    }

    @Test
    void aSupervisorMakesAnOfficerResponsibleTheListShowsAndFiltersItAndEveryChangeIsAudited() {
        assertThat(setOwner("sue", "B-2", "{\"officer\": \"ana\", \"team\": \"East\"}").code()).isEqualTo(200);

        List<WatchListView.Entry> mine = desk.get("ana", "/api/watch-list?owner=me", Argument.of(WatchListView.Page.class)).items();
        assertThat(mine).extracting(e -> e.borrowerId() + " " + e.owner() + " " + e.team()).containsExactly("B-2 ana East");
        assertThat(desk.get("sue", "/api/watch-list?owner=ana", Argument.of(WatchListView.Page.class)).items())
                .extracting(WatchListView.Entry::borrowerId).containsExactly("B-2");
        assertThat(desk.get("sue", "/api/watch-list?team=East", Argument.of(WatchListView.Page.class)).items())
                .extracting(WatchListView.Entry::borrowerId).containsExactly("B-2");
        assertThat(desk.get("sue", "/api/watch-list?owner=me", Argument.of(WatchListView.Page.class)).items())
                .as("sue owns nothing yet").isEmpty();

        assertThat(setOwner("sue", "B-2", "{\"officer\": \"ben\"}").code()).as("handed over, no team").isEqualTo(200);
        assertThat(desk.get("ana", "/api/watch-list?owner=me", Argument.of(WatchListView.Page.class)).items()).isEmpty();
        JsonNode audit = desk.get("aud", "/api/audit?targetType=borrower&targetId=B-2", Argument.of(JsonNode.class)).get("items");
        assertThat(audit.get(0).get("action").getStringValue()).isEqualTo("OWNER_ASSIGN");
        assertThat(audit.get(0).get("actor").getStringValue()).isEqualTo("sue");
        assertThat(audit.get(0).get("before").get("officer").getStringValue()).isEqualTo("ana");
        assertThat(audit.get(0).get("after").get("officer").getStringValue()).isEqualTo("ben");
        assertThat(setOwner("sue", "B-2", "{\"officer\": \"ben\", \"team\": \"  \"}").code()).as("the same again").isEqualTo(200);
        assertThat(desk.get("aud", "/api/audit?targetType=borrower&targetId=B-2", Argument.of(JsonNode.class)).get("items").size())
                .as("nothing changed, nothing audited").isEqualTo(audit.size());

        HttpResponse<String> released = desk.call("sue", HttpRequest.DELETE("/api/borrowers/B-2/owner"), Argument.of(String.class));
        assertThat(released.code()).isEqualTo(204);
        assertThat(desk.get("sue", "/api/watch-list?owner=ben", Argument.of(WatchListView.Page.class)).items()).isEmpty();
        assertThat(desk.get("aud", "/api/audit?targetType=borrower&targetId=B-2", Argument.of(JsonNode.class))
                .get("items").get(0).get("action").getStringValue()).isEqualTo("OWNER_RELEASE");
        assertThat(desk.call("sue", HttpRequest.DELETE("/api/borrowers/B-2/owner"), Argument.of(String.class)).code())
                .as("nothing left to release").isEqualTo(404);
    }

    @Test
    void theBorrowerPageShowsItsOwner() {
        assertThat(setOwner("sue", "B-1001", "{\"officer\": \"sue\", \"team\": \"Large corporates\"}").code()).isEqualTo(200);

        JsonNode owner = desk.get("ana", "/api/borrowers/B-1001", Argument.of(JsonNode.class)).get("owner");
        assertThat(owner.get("officer").getStringValue() + " · " + owner.get("team").getStringValue() + " · "
                + owner.get("assignedBy").getStringValue()).isEqualTo("sue · Large corporates · sue");
    }

    @Test
    void onlyASupervisorSetsAnOwnerAndOnlyAnEnabledAnalystOrSupervisorOfAKnownBorrower() {
        assertThat(setOwner("ana", "B-1", "{\"officer\": \"ana\"}").code()).as("an analyst may not").isEqualTo(403);
        assertThat(setOwner("adm", "B-1", "{\"officer\": \"ana\"}").code()).as("nor an admin").isEqualTo(403);
        HttpResponse<String> auditor = setOwner("sue", "B-1", "{\"officer\": \"aud\"}");
        assertThat(auditor.code()).isEqualTo(400);
        assertThat(auditor.getBody(String.class).orElse("")).contains("officer: 'aud' is not an enabled analyst or supervisor");
        assertThat(setOwner("sue", "B-1", "{\"officer\": \"nobody\"}").code()).isEqualTo(400);
        assertThat(setOwner("sue", "B-1", "{\"officer\": \"\"}").code()).isEqualTo(400);
        HttpResponse<String> team = setOwner("sue", "B-1", "{\"officer\": \"ana\", \"team\": \"<b>East</b>\"}");
        assertThat(team.code()).isEqualTo(400);
        assertThat(team.getBody(String.class).orElse("")).contains("team");
        assertThat(setOwner("sue", "B-404", "{\"officer\": \"ana\"}").code()).as("a borrower nobody told the desk of").isEqualTo(404);
        assertThat(desk.get("sue", "/api/watch-list?owner=ana", Argument.of(WatchListView.Page.class)).items())
                .extracting(WatchListView.Entry::borrowerId).doesNotContain("B-1");
    }

    @Test
    void anAnonymousCallerSeesNothing() {
        assertThat(desk.call(null, HttpRequest.GET("/api/watch-list"), Argument.of(String.class)).code()).isEqualTo(401);
    }
}
