package dev.kestrel.api.projects;

import dev.kestrel.api.borrowers.BorrowerStore;
import dev.kestrel.api.borrowers.BorrowerView;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.errors.ListFilter;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.events.ProjectSector;
import dev.kestrel.events.ProjectStage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Project finance (项目融资): the projects the bank finances through project companies, and each one's page. */
@Controller("/api/projects")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Projects")
class ProjectController {
    /** How many snapshots' figures the page charts at most. */
    static final int HISTORY_POINTS = 500;

    private final Database database;
    private final ProjectRegister register;
    private final BorrowerStore borrowers;
    private final Clock clock;

    ProjectController(Database database, ProjectRegister register, BorrowerStore borrowers, Clock clock) {
        this.database = database;
        this.register = register;
        this.borrowers = borrowers;
        this.clock = clock;
    }

    @Operation(summary = "The projects, filtered by sector, stage and covenant status (the engine's), the worst covenant status first")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<ProjectSummary> list(@QueryValue @Nullable String sector, @QueryValue @Nullable String stage,
                              @QueryValue @Nullable String covenant,
                              @QueryValue(defaultValue = "200") @Min(1) @Max(1000) int limit) {
        ProjectRegister.Query query = new ProjectRegister.Query(values(sector, "sector", ProjectSector.values()),
                values(stage, "stage", ProjectStage.values()), ListFilter.values(covenant, "covenant", ProjectIndicators.COVENANT_STATUSES),
                limit);
        return database.read(connection -> register.list(connection, query));
    }

    private static List<String> values(String list, String name, Enum<?>[] allowed) {
        return ListFilter.values(list, name, Arrays.stream(allowed).map(Enum::name).toList());
    }

    @Operation(summary = "A project's page: the register's project, milestones, base case and covenants as they came, and the "
            + "engine's project-finance indicators now and over the last historyDays, with its covenant status")
    @Get("/{projectId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    ProjectView get(@PathVariable String projectId,
                    @QueryValue(defaultValue = "730") @Min(1) @Max(3660) int historyDays) {
        return database.read(connection -> {
            String borrowerId = register.borrowerOf(connection, projectId);
            if (borrowerId == null) {
                throw ApiException.notFound("project " + projectId);
            }
            BorrowerView.Risk risk = borrowers.risk(connection, borrowerId);
            Map<String, JsonNode> indicators = ProjectIndicators.of(risk == null ? null : risk.indicators());
            // Counted back from the latest snapshot, as the borrower page does, so a replay of old events still charts.
            Instant latest = risk != null ? risk.asOf() : clock.instant();
            List<ProjectView.HistoryPoint> history = new ArrayList<>();
            for (var point : borrowers.history(connection, borrowerId, latest.minus(Duration.ofDays(historyDays)), HISTORY_POINTS)) {
                Map<String, JsonNode> figures = ProjectIndicators.of(point.indicators());
                if (!figures.isEmpty()) {
                    history.add(new ProjectView.HistoryPoint(point.asOf(), figures));
                }
            }
            ProjectRegister.Revenue revenue = register.revenue(connection, borrowerId);
            return new ProjectView(projectId, borrowerId, register.project(connection, borrowerId),
                    register.milestones(connection, borrowerId, projectId), register.forecast(connection, borrowerId, projectId),
                    register.covenants(connection, borrowerId, projectId), ProjectIndicators.covenantStatus(indicators), indicators, history,
                    revenue.periods(), revenue.currency(), revenue.forecastId());
        });
    }
}
