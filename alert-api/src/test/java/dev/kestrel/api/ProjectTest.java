package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static dev.kestrel.contract.Samples.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.errors.ApiError;
import dev.kestrel.api.projects.ProjectSummary;
import dev.kestrel.api.projects.ProjectView;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.IndicatorValue;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.ProjectSector;
import dev.kestrel.events.ProjectStage;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project desk of a bank with three project companies: a hydropower station under construction whose covenants
 * the engine has not tested yet, a toll road in operation at its DSCR lock-up level, and a wind farm in operation in
 * default of its covenants. The register re-sends records (an older milestone report read after the newer one, a
 * project, a report and a covenant naming another id for the hydropower company, a model in dollars, a report the
 * contract refuses): the page shows what the engine keeps, never an older or a refused record.
 */
@MicronautTest
class ProjectTest extends DeskTest {
    private static final Argument<List<ProjectSummary>> LIST = Argument.listOf(ProjectSummary.class);

    private static IndicatorValue indicator(String name, IndicatorUnit unit, long value, int day) {
        return IndicatorValue.newBuilder().setIndicator(name).setUnit(unit).setValue(value).setObservedAt(T0.plus(Duration.ofDays(day))).build();
    }

    /** The engine's snapshot of a project company on {@code day}, with its project-finance figures. */
    private static BorrowerRiskSnapshot snapshot(String borrowerId, int day, IndicatorValue... figures) {
        List<IndicatorValue> indicators = new ArrayList<>(List.of(indicator("daysPastDue", IndicatorUnit.DAYS, 0, day)));
        indicators.addAll(List.of(figures));
        return BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId(borrowerId).setGroupId(null)
                .setAsOf(T0.plus(Duration.ofDays(day))).setDaysPastDue(0).setIndicators(indicators).setOpenAlerts(List.of()).build();
    }

    @BeforeAll
    void theRegisterAndTheEngineSpeak() {
        Project hydro = Samples.project();
        Project tollRoad = Project.newBuilder(hydro).setProjectId("PRJ-2002").setBorrowerId("B-2002").setName("Ring road toll concession")
                .setSector(ProjectSector.TRANSPORT).setStage(ProjectStage.OPERATION).setFinancialCloseDate(LocalDate.parse("2022-03-31"))
                .setScheduledCodDate(LocalDate.parse("2024-06-30")).setFirstDebtServiceDate(LocalDate.parse("2024-12-31")).build();
        Project windFarm = Project.newBuilder(hydro).setProjectId("PRJ-2003").setBorrowerId("B-2003").setName("Bohai offshore wind farm")
                .setStage(ProjectStage.OPERATION).setFinancialCloseDate(LocalDate.parse("2023-01-31"))
                .setScheduledCodDate(LocalDate.parse("2025-03-31")).setFirstDebtServiceDate(LocalDate.parse("2025-09-30")).build();
        Project misnamed = Project.newBuilder(hydro).setProjectId("PRJ-9999").setName("A project the engine refused")
                .setEventTime(T0.plus(Duration.ofDays(3))).build();
        DeskTestSupport.sendInOrder(topics.projects(), "B-2001", List.of(hydro, misnamed));
        DeskTestSupport.send(topics.projects(), List.of(tollRoad, windFarm));
        // The register sends its projects first: records of another project that came before the project would be kept
        // until it comes, by the engine as here, and then dropped with whatever they had replaced.
        eventually(Duration.ofSeconds(20), "the projects arrive", () -> desk.call("ana", HttpRequest.GET("/api/projects"), LIST).body().size() == 3);

        ProjectMilestone newer = ProjectMilestone.newBuilder(Samples.projectMilestone()).setReportId("MS-2001-TURBINE-HALL-2026-04")
                .setExpectedDate(LocalDate.parse("2026-06-30")).setPercentCompleteBasisPoints(8_600).setEventTime(T0.plus(Duration.ofDays(30))).build();
        ProjectMilestone dam = ProjectMilestone.newBuilder(Samples.projectMilestone()).setReportId("MS-2001-DAM-2026-03")
                .setMilestoneId("DAM").setName("Dam crest reached").setPlannedDate(LocalDate.parse("2025-11-30"))
                .setExpectedDate(null).setActualDate(LocalDate.parse("2025-12-20")).setPercentCompleteBasisPoints(10_000).build();
        ProjectMilestone ofAnotherProject = ProjectMilestone.newBuilder(newer).setReportId("MS-9999").setProjectId("PRJ-9999")
                .setPercentCompleteBasisPoints(1_000).setEventTime(T0.plus(Duration.ofDays(40))).build();
        ProjectMilestone refusedByTheContract = ProjectMilestone.newBuilder(newer).setReportId("MS-2001-BAD")
                .setPercentCompleteBasisPoints(12_000).setEventTime(T0.plus(Duration.ofDays(41))).build();
        DeskTestSupport.sendInOrder(topics.milestones(), "B-2001", List.of(newer, dam, Samples.projectMilestone(), ofAnotherProject,
                refusedByTheContract));
        DeskTestSupport.sendInOrder(topics.forecasts(), "B-2001", List.of(Samples.cashFlowForecast(),
                dev.kestrel.events.CashFlowForecast.newBuilder(Samples.cashFlowForecast()).setForecastId("FM-2001-USD").setCurrency("USD")
                        .setEventTime(T0.plus(Duration.ofDays(10))).build()));
        DeskTestSupport.send(topics.covenants(), List.of(Samples.facilityCovenants(),
                FacilityCovenants.newBuilder(Samples.facilityCovenants()).setProjectId("PRJ-9999").setEventTime(T0.plus(Duration.ofDays(10))).build(),
                FacilityCovenants.newBuilder(Samples.facilityCovenants()).setBorrowerId("B-2002").setProjectId("PRJ-2002")
                        .setFacilityId("F-2002-SENIOR").build()));
        DeskTestSupport.send(topics.snapshots(), List.of(
                snapshot("B-2002", 1, indicator("historicDscr", IndicatorUnit.BASIS_POINTS, 12_400, 1),
                        indicator("covenantLevel", IndicatorUnit.COUNT, 0, 1)),
                BorrowerRiskSnapshot.newBuilder(snapshot("B-2002", 5, indicator("historicDscr", IndicatorUnit.BASIS_POINTS, 11_500, 5),
                        indicator("llcr", IndicatorUnit.BASIS_POINTS, 13_800, 5), indicator("covenantLevel", IndicatorUnit.COUNT, 1, 5),
                        indicator("dsraFunding", IndicatorUnit.BASIS_POINTS, 10_000, 5)))
                        .setProjectPeriods(List.of(
                                dev.kestrel.events.ProjectPeriodRevenue.newBuilder().setPeriodStart(LocalDate.parse("2025-10-01"))
                                        .setPeriodEnd(LocalDate.parse("2025-12-31")).setForecastRevenueMinor(2_000_000_000L).setReceiptsMinor(null).build(),
                                dev.kestrel.events.ProjectPeriodRevenue.newBuilder().setPeriodStart(LocalDate.parse("2026-01-01"))
                                        .setPeriodEnd(LocalDate.parse("2026-03-31")).setForecastRevenueMinor(2_000_000_000L)
                                        .setReceiptsMinor(1_700_000_000L).build()))
                        .setProjectCurrency("CNY").setProjectForecastId("FM-2002-2025").build(),
                snapshot("B-2003", 5, indicator("historicDscr", IndicatorUnit.BASIS_POINTS, 9_800, 5),
                        indicator("covenantLevel", IndicatorUnit.COUNT, 2, 5)),
                snapshot("B-2001", 5, indicator("milestoneSlippageDays", IndicatorUnit.DAYS, 122, 5))));
        eventually(Duration.ofSeconds(20), "the projects and the engine's word arrive", () -> {
            HttpResponse<ProjectView> hydroPage = desk.call("ana", HttpRequest.GET("/api/projects/PRJ-2001"), Argument.of(ProjectView.class));
            HttpResponse<List<ProjectSummary>> all = desk.call("ana", HttpRequest.GET("/api/projects"), LIST);
            return hydroPage.code() == 200 && hydroPage.body().milestones().size() == 2 && hydroPage.body().forecast() != null
                    && !hydroPage.body().indicators().isEmpty()
                    && all.body().size() == 3 && all.body().stream().allMatch(p -> !p.indicators().isEmpty())
                    && desk.call("ana", HttpRequest.GET("/api/projects/PRJ-2002"), Argument.of(ProjectView.class)).body().history().size() == 2;
        });
    }

    @Test
    void theListShowsTheWorstCovenantFirstAndFiltersBySectorStageAndCovenantStatus() {
        List<ProjectSummary> all = desk.get("ana", "/api/projects", LIST);
        assertThat(all).extracting(p -> p.projectId() + " " + p.covenantStatus())
                .containsExactly("PRJ-2003 DEFAULT", "PRJ-2002 LOCK_UP", "PRJ-2001 UNTESTED");
        assertThat(all.get(1).indicators().get("historicDscr").get("value").getLongValue()).as("the engine's latest").isEqualTo(11_500);
        assertThat(all.get(2).name()).as("not the refused project naming another id").isEqualTo("Jinsha River 1.2 GW hydropower station");

        assertThat(desk.get("ana", "/api/projects?sector=RENEWABLES", LIST)).extracting(ProjectSummary::projectId)
                .containsExactly("PRJ-2003", "PRJ-2001");
        assertThat(desk.get("ana", "/api/projects?stage=OPERATION&covenant=LOCK_UP,DEFAULT", LIST)).extracting(ProjectSummary::projectId)
                .containsExactly("PRJ-2003", "PRJ-2002");
        assertThat(desk.get("ana", "/api/projects?covenant=complied", LIST)).isEmpty();
        assertThat(desk.get("ana", "/api/projects?covenant=untested", LIST)).extracting(ProjectSummary::projectId).containsExactly("PRJ-2001");
        assertThat(desk.get("ana", "/api/projects?limit=1", LIST)).extracting(ProjectSummary::projectId).containsExactly("PRJ-2003");
    }

    @Test
    void theProjectPageShowsTheRegistersRecordsAndTheEnginesFigures() {
        ProjectView hydro = desk.get("aud", "/api/projects/PRJ-2001", Argument.of(ProjectView.class));
        assertThat(hydro.borrowerId()).isEqualTo("B-2001");
        assertThat(hydro.project().get("stage").getStringValue()).isEqualTo("CONSTRUCTION");
        assertThat(hydro.project().get("sponsors").get(0).get("name").getStringValue()).isEqualTo("Yunnan Energy Investment Group");
        assertThat(hydro.milestones()).as("in the order planned, each as its latest report the engine took has it")
                .extracting(m -> m.get("milestoneId").getStringValue() + " " + m.get("percentCompleteBasisPoints").getIntValue())
                .containsExactly("DAM 10000", "TURBINE-HALL 8600");
        assertThat(hydro.forecast().get("forecastId").getStringValue()).as("not the later model in dollars").isEqualTo("FM-2001-2026-02");
        assertThat(hydro.forecast().get("periods").size()).isEqualTo(2);
        assertThat(hydro.covenants()).as("not the later one naming another project").singleElement()
                .satisfies(c -> assertThat(c.get("projectId").getStringValue()).isEqualTo("PRJ-2001"))
                .satisfies(c -> assertThat(c.get("dsra").get("months").getIntValue()).isEqualTo(6));
        assertThat(hydro.covenantStatus()).isEqualTo("UNTESTED");
        assertThat(hydro.indicators()).containsOnlyKeys("milestoneSlippageDays");

        ProjectView tollRoad = desk.get("ana", "/api/projects/PRJ-2002", Argument.of(ProjectView.class));
        assertThat(tollRoad.covenantStatus()).isEqualTo("LOCK_UP");
        assertThat(tollRoad.history()).as("the DSCR against its covenant, snapshot by snapshot")
                .extracting(p -> p.indicators().get("historicDscr").getLongValue()).containsExactly(12_400L, 11_500L);
        assertThat(tollRoad.history().get(1).indicators()).doesNotContainKey("daysPastDue");
        assertThat(tollRoad.covenants()).singleElement()
                .satisfies(c -> assertThat(c.get("historicDscr").get("lockUpBasisPoints").getIntValue()).isEqualTo(12_000));
        assertThat(tollRoad.forecast()).as("no model sent for it").isNull();
        assertThat(tollRoad.revenueCurrency()).isEqualTo("CNY");
        assertThat(tollRoad.revenueForecastId()).as("the model the engine's receipts were held against").isEqualTo("FM-2002-2025");
        assertThat(tollRoad.revenue().values()).as("the engine's forecast against receipts, as its latest snapshot has them")
                .extracting(p -> p.get("periodStart").getStringValue() + " " + p.get("forecastRevenueMinor").getLongValue() + " "
                        + (p.get("receiptsMinor").isNull() ? "not watched" : p.get("receiptsMinor").getLongValue()))
                .containsExactly("2025-10-01 2000000000 not watched", "2026-01-01 2000000000 1700000000");
        assertThat(hydro.revenue().size()).isZero();
    }

    @Test
    void unknownProjectsAndBadFiltersAreRefusedWithTheValuesAllowed() {
        assertThat(desk.call("ana", HttpRequest.GET("/api/projects/PRJ-9999"), Argument.of(String.class)).code())
                .as("the refused project was never kept").isEqualTo(404);
        HttpResponse<String> sector = desk.call("ana", HttpRequest.GET("/api/projects?sector=SHIPPING"), Argument.of(String.class));
        assertThat(sector.code()).isEqualTo(400);
        assertThat(sector.getBody(ApiError.class).orElseThrow().message()).contains("sector 'SHIPPING' is not one of", "RENEWABLES");
        HttpResponse<String> covenant = desk.call("ana", HttpRequest.GET("/api/projects?covenant=BREACHED"), Argument.of(String.class));
        assertThat(covenant.getBody(ApiError.class).orElseThrow().message())
                .isEqualTo("covenant 'BREACHED' is not one of [DEFAULT, LOCK_UP, COMPLIED, UNTESTED]");
        assertThat(desk.call("ana", HttpRequest.GET("/api/projects?stage=BUILDING"), Argument.of(String.class)).code()).isEqualTo(400);
        assertThat(desk.call("ana", HttpRequest.GET("/api/projects?limit=0"), Argument.of(String.class)).code()).isEqualTo(400);
        assertThat(desk.call(null, HttpRequest.GET("/api/projects"), Argument.of(String.class)).code()).isEqualTo(401);
    }
}
