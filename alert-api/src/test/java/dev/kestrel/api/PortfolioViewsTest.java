package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.borrowers.PortfolioReports;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.Facility;
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
 * The book as a credit officer reports on it. Jiangnan Precision (manufacturing, CNY 32m drawn of 50m) slid from
 * normal to special mention in February and to substandard in March. Jiangnan Bakery (manufacturing, a small
 * business) drew CNY 10m of 12m and stayed normal by classification, but the engine marked its facility non-performing
 * and the borrower in default. Shanghai Freight (transport) came in on 20 February with USD 5m. Suzhou Electric
 * (manufacturing) draws CNY 50m of 100m and USD 8m of 10m, its USD facility non-performing. Hangzhou Paper repaid
 * everything in March and left the book.
 */
@MicronautTest
class PortfolioViewsTest extends DeskTest {

    /** A facility of the profile's terms: its currency is what the report sums it in. */
    private static Facility terms(String facilityId, String currency) {
        return Facility.newBuilder(Samples.borrowerProfile().getFacilities().get(0)).setFacilityId(facilityId).setCurrency(currency).build();
    }

    private static BorrowerProfile profile(String id, String name, String industry, CustomerSegment segment, Facility... facilities) {
        return BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId(id).setName(name).setIndustry(industry)
                .setSegment(segment).setGroupId(null).setFacilities(List.of(facilities)).build();
    }

    private static FacilityStatus status(String facilityId, long drawn, long limit, boolean nonPerforming) {
        return FacilityStatus.newBuilder().setFacilityId(facilityId).setLimitMinor(limit).setDrawnMinor(drawn).setDaysPastDue(0)
                .setOverdueMinor(0).setNonPerforming(nonPerforming).build();
    }

    private static BorrowerRiskSnapshot snapshot(String borrowerId, String asOf, LoanCategory category, boolean inDefault,
                                                 FacilityStatus... facilities) {
        long drawn = java.util.Arrays.stream(facilities).mapToLong(FacilityStatus::getDrawnMinor).sum();
        long limit = java.util.Arrays.stream(facilities).mapToLong(FacilityStatus::getLimitMinor).sum();
        return BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId(borrowerId).setGroupId(null)
                .setAsOf(Instant.parse(asOf)).setLoanCategory(category).setDrawnMinor(drawn).setLimitMinor(limit)
                .setInDefault(inDefault).setFacilities(List.of(facilities)).build();
    }

    @BeforeAll
    void aBookWithAHistory() {
        DeskTestSupport.send(topics.profiles(), List.of(
                profile("B-1001", "Jiangnan Precision Machinery Co., Ltd.", "C", CustomerSegment.MID_CORPORATE, terms("F-1001", "CNY")),
                profile("B-1002", "Jiangnan Bakery Ltd.", "C", CustomerSegment.SME, terms("F-1002", "CNY")),
                profile("B-1003", "Shanghai Freight Ltd.", "G", CustomerSegment.MID_CORPORATE, terms("F-1003", "USD")),
                profile("B-1004", "Suzhou Electric Ltd.", "C", CustomerSegment.LARGE_CORPORATE, terms("F-1004-CNY", "CNY"),
                        terms("F-1004-USD", "USD")),
                profile("B-1005", "Hangzhou Paper Ltd.", "C", CustomerSegment.SME, terms("F-1005", "CNY"))));
        DeskTestSupport.send(topics.snapshots(), List.of(
                snapshot("B-1001", "2026-01-10T08:00:00Z", LoanCategory.NORMAL, false, status("F-1001", 3_000_000_000L, 5_000_000_000L, false)),
                snapshot("B-1001", "2026-02-10T08:00:00Z", LoanCategory.SPECIAL_MENTION, false, status("F-1001", 3_100_000_000L, 5_000_000_000L, false)),
                snapshot("B-1001", "2026-03-10T08:00:00Z", LoanCategory.SUBSTANDARD, false, status("F-1001", 3_200_000_000L, 5_000_000_000L, false)),
                snapshot("B-1002", "2026-01-05T08:00:00Z", LoanCategory.NORMAL, false, status("F-1002", 900_000_000L, 1_200_000_000L, false)),
                snapshot("B-1002", "2026-03-01T08:00:00Z", LoanCategory.NORMAL, true, status("F-1002", 1_000_000_000L, 1_200_000_000L, true)),
                snapshot("B-1003", "2026-02-20T08:00:00Z", LoanCategory.NORMAL, false, status("F-1003", 500_000_000L, 500_000_000L, false)),
                snapshot("B-1004", "2026-01-15T08:00:00Z", LoanCategory.NORMAL, false,
                        status("F-1004-CNY", 5_000_000_000L, 10_000_000_000L, false), status("F-1004-USD", 800_000_000L, 1_000_000_000L, true)),
                snapshot("B-1005", "2026-01-08T08:00:00Z", LoanCategory.NORMAL, false, status("F-1005", 500_000_000L, 500_000_000L, false)),
                snapshot("B-1005", "2026-03-05T08:00:00Z", LoanCategory.NORMAL, false, status("F-1005", 0L, 0L, false))));
        eventually(Duration.ofSeconds(20), "the snapshots arrive", () -> exposure("INDUSTRY").size() == 3
                && exposure("INDUSTRY").stream().mapToLong(PortfolioReports.ExposureRow::drawnMinor).sum() == 10_500_000_000L);
    }

    private List<PortfolioReports.ExposureRow> exposure(String by) {
        return desk.get("ana", "/api/portfolio/exposure?by=" + by, Argument.listOf(PortfolioReports.ExposureRow.class));
    }

    private PortfolioReports.Migration migration(String from, String to) {
        return desk.get("ana", "/api/portfolio/migration?from=" + from + "&to=" + to, Argument.of(PortfolioReports.Migration.class));
    }

    @Test
    void exposureFacilityByFacilityInItsOwnCurrencyWithTheEnginesNonPerforming() {
        assertThat(exposure("INDUSTRY")).containsExactly(
                new PortfolioReports.ExposureRow("C", "CNY", 3, 9_200_000_000L, 16_200_000_000L, 1_000_000_000L, 1),
                new PortfolioReports.ExposureRow("C", "USD", 1, 800_000_000L, 1_000_000_000L, 800_000_000L, 0),
                new PortfolioReports.ExposureRow("G", "USD", 1, 500_000_000L, 500_000_000L, 0L, 0));
        assertThat(exposure("classification")).containsExactly(
                new PortfolioReports.ExposureRow("NORMAL", "CNY", 2, 6_000_000_000L, 11_200_000_000L, 1_000_000_000L, 1),
                new PortfolioReports.ExposureRow("SUBSTANDARD", "CNY", 1, 3_200_000_000L, 5_000_000_000L, 0L, 0),
                new PortfolioReports.ExposureRow("NORMAL", "USD", 2, 1_300_000_000L, 1_500_000_000L, 800_000_000L, 0));
        assertThat(exposure("SEGMENT")).extracting(r -> r.key() + " " + r.currency()).containsExactly(
                "LARGE_CORPORATE CNY", "MID_CORPORATE CNY", "SME CNY", "LARGE_CORPORATE USD", "MID_CORPORATE USD");
        // No borrower has a score: the grade is not known, for all of them, not guessed.
        assertThat(exposure("GRADE")).extracting(PortfolioReports.ExposureRow::key).containsOnlyNulls();
    }

    @Test
    void theMigrationMatrixOfTheQuarterOfMarchAndAfter() {
        PortfolioReports.Migration quarter = migration("2026-01-31", "2026-03-31");
        assertThat(quarter.categories()).endsWith("LOSS", "EXITED");
        assertThat(quarter.rows()).extracting(PortfolioReports.MigrationRow::from).containsExactly("NORMAL", null);
        assertThat(quarter.rows().get(0).to()).containsEntry("NORMAL", 2).containsEntry("SUBSTANDARD", 1)
                .containsEntry("SPECIAL_MENTION", 0).containsEntry("EXITED", 1);
        assertThat(quarter.rows().get(0).total()).isEqualTo(4);
        assertThat(quarter.rows().get(1).to()).containsEntry("NORMAL", 1);
        assertThat(List.of(quarter.borrowers(), quarter.downgraded(), quarter.upgraded(), quarter.unchanged()))
                .containsExactly(5, 1, 0, 2);

        PortfolioReports.Migration march = migration("2026-02-28", "2026-03-31");
        assertThat(march.rows()).extracting(PortfolioReports.MigrationRow::from).containsExactly("NORMAL", "SPECIAL_MENTION");
        assertThat(march.rows().get(0).to()).containsEntry("NORMAL", 3).containsEntry("EXITED", 1);
        assertThat(march.rows().get(1).to()).containsEntry("SUBSTANDARD", 1);
        assertThat(List.of(march.borrowers(), march.downgraded(), march.upgraded(), march.unchanged())).containsExactly(5, 1, 0, 3);

        // After: the paper company is out of the book on both dates, and not counted.
        PortfolioReports.Migration april = migration("2026-03-31", "2026-04-30");
        assertThat(april.borrowers()).isEqualTo(4);
        assertThat(april.unchanged()).isEqualTo(4);

        // Before anyone was classified: nothing to show, and no error.
        assertThat(migration("2025-01-01", "2025-12-31").rows()).isEmpty();
    }

    @Test
    void badReportRequestsAreRefusedWithTheReason() {
        for (Map.Entry<String, String> bad : Map.of(
                "/api/portfolio/exposure?by=COLOUR", "by 'COLOUR' is not one of",
                "/api/portfolio/exposure?by=INDUSTRY,REGION", "by: one of",
                "/api/portfolio/migration?from=2026-03-31&to=2026-01-31", "from: 2026-03-31 is after to (2026-01-31)",
                "/api/portfolio/migration?from=yesterday&to=2026-01-31", "from: 'yesterday' is not a date like 2026-03-31",
                "/api/portfolio/migration?from=2026-01-31&to=%2B999999999-12-31", "to: +999999999-12-31 is outside the years").entrySet()) {
            HttpResponse<String> response = desk.call("ana", HttpRequest.GET(bad.getKey()), Argument.of(String.class));
            assertThat(response.code()).as(bad.getKey()).isEqualTo(400);
            assertThat(response.getBody(ApiError.class).orElseThrow().message()).contains(bad.getValue());
        }
        assertThat(desk.call("ana", HttpRequest.GET("/api/portfolio/migration?from=2026-01-31"), Argument.of(String.class)).code())
                .isEqualTo(400);
    }
}
