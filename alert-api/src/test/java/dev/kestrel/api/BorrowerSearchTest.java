package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.borrowers.BorrowerList;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.LoanCategory;
import dev.kestrel.events.WatchGrade;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finding a customer on the desk: by part of the name or the start of the id, and by segment, rating, watch grade,
 * classification, industry, region, group, owner and team, in name order and page by page.
 */
@MicronautTest
class BorrowerSearchTest extends DeskTest {

    private static BorrowerProfile profile(String id, String name, CustomerSegment segment, String rating, String industry,
                                           String region, String group) {
        return BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId(id).setName(name).setSegment(segment)
                .setInternalRating(rating).setIndustry(industry).setRegion(region).setGroupId(group).build();
    }

    @BeforeAll
    void aSmallBook() {
        DeskTestSupport.send(topics.profiles(), List.of(
                profile("B-1001", "Jiangnan Precision Machinery Co., Ltd.", CustomerSegment.MID_CORPORATE, "BBB+", "C", "CN-SH", "G-17"),
                profile("B-1002", "Jiangnan Shipping Ltd.", CustomerSegment.LARGE_CORPORATE, "A-", "H", "CN-JS", "G-17"),
                profile("B-1003", "Suzhou Textiles Ltd.", CustomerSegment.SME, "BB", "C", "CN-JS", null),
                profile("B-1004", "Hangzhou Solar SPV Ltd.", CustomerSegment.PROJECT_FINANCE, "BBB-", "D", "CN-ZJ", null),
                profile("B-2001", "100% Juice Co.", CustomerSegment.SME, "B", "C", "CN-SH", null)));
        DeskTestSupport.send(topics.snapshots(), List.of(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot())
                .setBorrowerId("B-1003").setGroupId(null).setLoanCategory(LoanCategory.SUBSTANDARD).setDaysPastDue(95).build()));
        DeskTestSupport.send(topics.scores(), List.of(
                BorrowerScore.newBuilder(Samples.borrowerScore()).setBorrowerId("B-1001").setGrade(WatchGrade.RED).setScore(330).build(),
                BorrowerScore.newBuilder(Samples.borrowerScore()).setBorrowerId("B-1002").setGrade(WatchGrade.GREEN).setScore(210).build()));
        eventually(Duration.ofSeconds(20), "the book arrives", () -> ids("").size() == 5
                && !ids("classification=SUBSTANDARD").isEmpty() && ids("grade=RED,GREEN").size() == 2);
        for (var owner : List.of(List.of("B-1001", "ana", "East"), List.of("B-1002", "ben", "West"))) {
            assertThat(desk.call("sue", HttpRequest.PUT("/api/borrowers/" + owner.get(0) + "/owner",
                    Map.of("officer", owner.get(1), "team", owner.get(2))), Argument.of(String.class)).code()).isEqualTo(200);
        }
    }

    private BorrowerList.Page page(String user, String query) {
        return desk.get(user, "/api/borrowers?" + query, Argument.of(BorrowerList.Page.class));
    }

    private List<String> ids(String query) {
        return page("ana", query).items().stream().map(BorrowerList.Entry::borrowerId).toList();
    }

    private static String q(String text) {
        return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void byNameOrIdInNameOrder() {
        assertThat(ids("")).containsExactly("B-2001", "B-1004", "B-1001", "B-1002", "B-1003");
        assertThat(ids(q("jiangnan"))).containsExactly("B-1001", "B-1002");
        assertThat(ids(q("SHIPPING"))).containsExactly("B-1002");
        assertThat(ids(q("B-100"))).containsExactly("B-1004", "B-1001", "B-1002", "B-1003");
        // A percent sign is a character to find, not a wildcard.
        assertThat(ids(q("100%"))).containsExactly("B-2001");
        assertThat(ids(q("nobody by this name"))).isEmpty();
    }

    @Test
    void byWhatTheBankAndTheEngineSayOfThem() {
        assertThat(ids("segment=SME,PROJECT_FINANCE")).containsExactly("B-2001", "B-1004", "B-1003");
        assertThat(ids("rating=BBB%2B")).containsExactly("B-1001");
        assertThat(ids("grade=RED")).containsExactly("B-1001");
        assertThat(ids("classification=SUBSTANDARD")).containsExactly("B-1003");
        assertThat(ids("industry=C&region=CN-SH")).containsExactly("B-2001", "B-1001");
        assertThat(ids("group=G-17&region=CN-JS")).containsExactly("B-1002");
        assertThat(ids("owner=me")).containsExactly("B-1001");
        assertThat(ids("team=West")).containsExactly("B-1002");

        BorrowerList.Entry textiles = page("aud", "classification=SUBSTANDARD").items().get(0);
        assertThat(textiles.daysPastDue()).isEqualTo(95);
        assertThat(textiles.owner()).isNull();
        assertThat(textiles.grade()).isNull();
        BorrowerList.Entry precision = page("aud", "owner=ana").items().get(0);
        assertThat(precision.grade()).isEqualTo("RED");
        assertThat(precision.score()).isEqualTo(330);
        assertThat(precision.team()).isEqualTo("East");
    }

    @Test
    void pageByPageEveryBorrowerOnce() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            BorrowerList.Page page = page("sue", "limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.items().forEach(e -> seen.add(e.borrowerId()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("B-2001", "B-1004", "B-1001", "B-1002", "B-1003");
    }

    @Test
    void badFiltersAreRefusedWithTheValuesAllowed() {
        HttpResponse<String> segment = desk.call("ana", HttpRequest.GET("/api/borrowers?segment=RETAIL"), Argument.of(String.class));
        assertThat(segment.code()).isEqualTo(400);
        assertThat(segment.getBody(ApiError.class).orElseThrow().message()).contains("segment 'RETAIL' is not one of", "SME");
        assertThat(desk.call("ana", HttpRequest.GET("/api/borrowers?grade=PURPLE"), Argument.of(String.class)).code()).isEqualTo(400);
        HttpResponse<String> cursor = desk.call("ana", HttpRequest.GET("/api/borrowers?cursor=not-a-cursor"), Argument.of(String.class));
        assertThat(cursor.code()).isEqualTo(400);
        assertThat(cursor.getBody(ApiError.class).orElseThrow().message()).contains("cursor is not one this API issued");
        assertThat(desk.call("ana", HttpRequest.GET("/api/borrowers?limit=0"), Argument.of(String.class)).code()).isEqualTo(400);
        assertThat(desk.call(null, HttpRequest.GET("/api/borrowers"), Argument.of(String.class)).code()).isEqualTo(401);
    }
}
