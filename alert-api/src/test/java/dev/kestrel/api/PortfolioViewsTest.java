package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.borrowers.PortfolioReports;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.FacilityStatus;
import dev.kestrel.events.LoanCategory;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The book as a credit officer reports on it. Three borrowers: Jiangnan Precision (manufacturing, CNY 32m drawn of 50m)
 * slid from normal to special mention in February and to substandard in March; Jiangnan Bakery (manufacturing, a
 * small business) drew CNY 10m of 12m, stayed normal by classification, but the engine marked its facility
 * non-performing and the borrower in default; Shanghai Freight (transport) came in on 20 February with USD 5m, normal.
 */
@MicronautTest
class PortfolioViewsTest extends DeskTest {

    private static BorrowerRiskSnapshot snapshot(String borrowerId, String asOf, LoanCategory category, long drawn, long limit,
                                                 String currency, boolean nonPerforming) {
        return BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId(borrowerId).setGroupId(null)
                .setAsOf(Instant.parse(asOf)).setLoanCategory(category).setDrawnMinor(drawn).setLimitMinor(limit)
                .setCurrency(currency).setInDefault(nonPerforming)
                .setFacilities(List.of(FacilityStatus.newBuilder().setFacilityId("F-" + borrowerId).setLimitMinor(limit)
                        .setDrawnMinor(drawn).setDaysPastDue(0).setOverdueMinor(0).setNonPerforming(nonPerforming).build()))
                .build();
    }

    @BeforeAll
    void aBookWithAHistory() {
        DeskTestSupport.send(topics.profiles(), List.of(
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setIndustry("C").setRegion("CN-SH").build(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").setName("Jiangnan Bakery Ltd.")
                        .setIndustry("C").setRegion("CN-JS").setSegment(CustomerSegment.SME).setGroupId(null).build(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1003").setName("Shanghai Freight Ltd.")
                        .setIndustry("G").setRegion("CN-SH").setGroupId(null).build()));
        DeskTestSupport.send(topics.snapshots(), List.of(
                snapshot("B-1001", "2026-01-10T08:00:00Z", LoanCategory.NORMAL, 3_000_000_000L, 5_000_000_000L, "CNY", false),
                snapshot("B-1001", "2026-02-10T08:00:00Z", LoanCategory.SPECIAL_MENTION, 3_100_000_000L, 5_000_000_000L, "CNY", false),
                snapshot("B-1001", "2026-03-10T08:00:00Z", LoanCategory.SUBSTANDARD, 3_200_000_000L, 5_000_000_000L, "CNY", false),
                snapshot("B-1002", "2026-01-05T08:00:00Z", LoanCategory.NORMAL, 900_000_000L, 1_200_000_000L, "CNY", false),
                snapshot("B-1002", "2026-03-01T08:00:00Z", LoanCategory.NORMAL, 1_000_000_000L, 1_200_000_000L, "CNY", true),
                snapshot("B-1003", "2026-02-20T08:00:00Z", LoanCategory.NORMAL, 500_000_000L, 500_000_000L, "USD", false)));
        eventually(Duration.ofSeconds(20), "the snapshots arrive", () -> exposure("INDUSTRY").size() == 2
                && exposure("INDUSTRY").stream().mapToLong(PortfolioReports.ExposureRow::drawnMinor).sum() == 4_700_000_000L);
    }

    private List<PortfolioReports.ExposureRow> exposure(String by) {
        return desk.get("ana", "/api/portfolio/exposure?by=" + by, Argument.listOf(PortfolioReports.ExposureRow.class));
    }

    private PortfolioReports.Migration migration(String from, String to) {
        return desk.get("ana", "/api/portfolio/migration?from=" + from + "&to=" + to, Argument.of(PortfolioReports.Migration.class));
    }

    @Test
    void exposureByIndustryAndClassificationInEachCurrencyWithTheEnginesNonPerforming() {
        assertThat(exposure("INDUSTRY")).containsExactly(
                new PortfolioReports.ExposureRow("C", "CNY", 2, 4_200_000_000L, 6_200_000_000L, 1_000_000_000L, 1),
                new PortfolioReports.ExposureRow("G", "USD", 1, 500_000_000L, 500_000_000L, 0L, 0));
        assertThat(exposure("classification")).containsExactly(
                new PortfolioReports.ExposureRow("SUBSTANDARD", "CNY", 1, 3_200_000_000L, 5_000_000_000L, 0L, 0),
                new PortfolioReports.ExposureRow("NORMAL", "CNY", 1, 1_000_000_000L, 1_200_000_000L, 1_000_000_000L, 1),
                new PortfolioReports.ExposureRow("NORMAL", "USD", 1, 500_000_000L, 500_000_000L, 0L, 0));
        assertThat(exposure("SEGMENT")).extracting(PortfolioReports.ExposureRow::key, PortfolioReports.ExposureRow::borrowers)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("MID_CORPORATE", 1), org.assertj.core.groups.Tuple.tuple("SME", 1),
                        org.assertj.core.groups.Tuple.tuple("MID_CORPORATE", 1));
        // No borrower has a score: the grade is not known, for all of them, not guessed.
        assertThat(exposure("GRADE")).extracting(PortfolioReports.ExposureRow::key).containsOnlyNulls();
    }

    @Test
    void theMigrationMatrixOfTheQuarterAndOfMarch() {
        PortfolioReports.Migration quarter = migration("2026-01-31", "2026-03-31");
        assertThat(quarter.rows()).extracting(PortfolioReports.MigrationRow::from).containsExactly("NORMAL", null);
        assertThat(quarter.rows().get(0).to()).containsEntry("NORMAL", 1).containsEntry("SUBSTANDARD", 1).containsEntry("SPECIAL_MENTION", 0);
        assertThat(quarter.rows().get(0).total()).isEqualTo(2);
        assertThat(quarter.rows().get(1).to()).containsEntry("NORMAL", 1);
        assertThat(List.of(quarter.borrowers(), quarter.downgraded(), quarter.upgraded(), quarter.unchanged()))
                .containsExactly(3, 1, 0, 1);

        PortfolioReports.Migration march = migration("2026-02-28", "2026-03-31");
        assertThat(march.rows()).extracting(PortfolioReports.MigrationRow::from).containsExactly("NORMAL", "SPECIAL_MENTION");
        assertThat(march.rows().get(1).to()).containsEntry("SUBSTANDARD", 1);
        assertThat(List.of(march.borrowers(), march.downgraded(), march.upgraded(), march.unchanged())).containsExactly(3, 1, 0, 2);

        // Before anyone was classified: nothing to show, and no error.
        assertThat(migration("2025-01-01", "2025-12-31").rows()).isEmpty();
    }

    @Test
    void badReportRequestsAreRefusedWithTheReason() {
        for (Map.Entry<String, String> bad : Map.of(
                "/api/portfolio/exposure?by=COLOUR", "by 'COLOUR' is not one of",
                "/api/portfolio/exposure?by=INDUSTRY,REGION", "by: one of",
                "/api/portfolio/migration?from=2026-03-31&to=2026-01-31", "from: 2026-03-31 is after to (2026-01-31)",
                "/api/portfolio/migration?from=yesterday&to=2026-01-31", "from: 'yesterday' is not a date like 2026-03-31").entrySet()) {
            HttpResponse<String> response = desk.call("ana", HttpRequest.GET(bad.getKey()), Argument.of(String.class));
            assertThat(response.code()).as(bad.getKey()).isEqualTo(400);
            assertThat(response.getBody(ApiError.class).orElseThrow().message()).contains(bad.getValue());
        }
        assertThat(desk.call("ana", HttpRequest.GET("/api/portfolio/migration?from=2026-01-31"), Argument.of(String.class)).code())
                .isEqualTo(400);
    }
}
