package dev.kestrel.api.projects;

import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.contract.EventValidator;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@code project*} tables: project finance's master data as the project register sent it (the contract's
 * JSON form, field names as in docs/events.md), kept as the engine keeps it: one project per project company, the
 * latest of each milestone, of the base case and of each facility's covenants by event time, an older one read later
 * changing nothing. What the engine refuses (invalid by the contract, naming another project than the company's, a
 * model in another currency) is not taken either, and what came before the project naming another is dropped when
 * it comes. Whether a covenant holds is the engine's word, read from the borrower's snapshot.
 */
@Singleton
public class ProjectRegister {
    /** The most milestones a page shows: a project's construction schedule, bounded. */
    static final int MILESTONES = 200;

    private static final Logger LOG = LoggerFactory.getLogger(ProjectRegister.class);

    private final JsonColumns json;

    ProjectRegister(JsonColumns json) {
        this.json = json;
    }

    public void applyProject(Connection connection, Project project) throws SQLException {
        if (refused(connection, project, null)) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO project (borrower_id, project_id, name, sector, stage, event_time, record) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (borrower_id) DO UPDATE SET name = EXCLUDED.name, sector = EXCLUDED.sector, stage = EXCLUDED.stage,
                    event_time = EXCLUDED.event_time, record = EXCLUDED.record
                WHERE project.project_id = EXCLUDED.project_id AND project.event_time <= EXCLUDED.event_time""")) {
            upsert.setString(1, project.getBorrowerId());
            upsert.setString(2, project.getProjectId());
            upsert.setString(3, project.getName());
            upsert.setString(4, project.getSector().name());
            upsert.setString(5, project.getStage().name());
            upsert.setTimestamp(6, Sql.timestamp(project.getEventTime()));
            upsert.setString(7, project.toString());
            upsert.executeUpdate();
        }
        // What came before the project naming another one is not this project's: the engine leaves it out too.
        for (String table : List.of("project_milestone", "project_forecast", "project_covenants")) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE borrower_id = ? AND project_id <> ?")) {
                delete.setString(1, project.getBorrowerId());
                delete.setString(2, project.getProjectId());
                delete.executeUpdate();
            }
        }
    }

    /**
     * Whether the engine refuses the record, so that it is not kept here either: the contract's validator refuses it
     * (the engine dead-letters it where it reads it), or it names another project than the company's, or (a model) it
     * is in another currency than the project's ({@code currency} null for the other records).
     */
    private static boolean refused(Connection connection, SpecificRecordBase record, String currency) throws SQLException {
        String problem = EventValidator.problem(record, null);
        if (problem != null) {
            LOG.info("Not kept, as the engine refuses it: {} {}", record.getSchema().getName(), problem);
            return true;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT project_id, record->>'currency' FROM project WHERE borrower_id = ?")) {
            select.setString(1, (String) record.get("borrowerId"));
            try (ResultSet row = select.executeQuery()) {
                return row.next() && (!row.getString(1).equals(record.get("projectId"))
                        || (currency != null && !currency.equals(row.getString(2))));
            }
        }
    }

    public void applyMilestone(Connection connection, ProjectMilestone report) throws SQLException {
        if (refused(connection, report, null)) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO project_milestone (borrower_id, milestone_id, project_id, planned_date, event_time, record)
                VALUES (?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (borrower_id, milestone_id) DO UPDATE SET project_id = EXCLUDED.project_id,
                    planned_date = EXCLUDED.planned_date, event_time = EXCLUDED.event_time, record = EXCLUDED.record
                WHERE project_milestone.event_time <= EXCLUDED.event_time""")) {
            upsert.setString(1, report.getBorrowerId());
            upsert.setString(2, report.getMilestoneId());
            upsert.setString(3, report.getProjectId());
            upsert.setDate(4, Date.valueOf(report.getPlannedDate()));
            upsert.setTimestamp(5, Sql.timestamp(report.getEventTime()));
            upsert.setString(6, report.toString());
            upsert.executeUpdate();
        }
    }

    public void applyForecast(Connection connection, CashFlowForecast forecast) throws SQLException {
        if (refused(connection, forecast, forecast.getCurrency())) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO project_forecast (borrower_id, project_id, forecast_id, event_time, record) VALUES (?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (borrower_id) DO UPDATE SET project_id = EXCLUDED.project_id, forecast_id = EXCLUDED.forecast_id,
                    event_time = EXCLUDED.event_time, record = EXCLUDED.record
                WHERE project_forecast.event_time <= EXCLUDED.event_time""")) {
            upsert.setString(1, forecast.getBorrowerId());
            upsert.setString(2, forecast.getProjectId());
            upsert.setString(3, forecast.getForecastId());
            upsert.setTimestamp(4, Sql.timestamp(forecast.getEventTime()));
            upsert.setString(5, forecast.toString());
            upsert.executeUpdate();
        }
    }

    public void applyCovenants(Connection connection, FacilityCovenants covenants) throws SQLException {
        if (refused(connection, covenants, null)) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO project_covenants (borrower_id, facility_id, project_id, event_time, record) VALUES (?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (borrower_id, facility_id) DO UPDATE SET project_id = EXCLUDED.project_id,
                    event_time = EXCLUDED.event_time, record = EXCLUDED.record
                WHERE project_covenants.event_time <= EXCLUDED.event_time""")) {
            upsert.setString(1, covenants.getBorrowerId());
            upsert.setString(2, covenants.getFacilityId());
            upsert.setString(3, covenants.getProjectId());
            upsert.setTimestamp(4, Sql.timestamp(covenants.getEventTime()));
            upsert.setString(5, covenants.toString());
            upsert.executeUpdate();
        }
    }

    /** What the list filters on; each empty list lets everything through. */
    record Query(List<String> sectors, List<String> stages, List<String> covenantStatuses, int limit) {}

    /**
     * The projects, the worst covenant status first (default, lock-up, complied, untested), then by name. The status
     * is the engine's {@code covenantLevel} from the borrower's latest snapshot, in words ({@link ProjectIndicators}).
     */
    List<ProjectSummary> list(Connection connection, Query query) throws SQLException {
        List<ProjectSummary> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT p.project_id, p.borrower_id, p.name, p.sector, p.stage, p.record->>'scheduledCodDate' AS cod,
                    p.record->>'currency' AS currency, s.indicators::text AS indicators
                FROM project p LEFT JOIN borrower_snapshot s ON s.borrower_id = p.borrower_id
                WHERE (cardinality(?::text[]) = 0 OR p.sector = ANY(?::text[]))
                  AND (cardinality(?::text[]) = 0 OR p.stage = ANY(?::text[]))
                ORDER BY p.name, p.project_id""")) {
            int i = 1;
            for (List<String> values : List.of(query.sectors(), query.stages())) {
                java.sql.Array array = connection.createArrayOf("text", values.toArray());
                select.setArray(i++, array);
                select.setArray(i++, array);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Map<String, JsonNode> indicators = ProjectIndicators.of(
                            row.getString("indicators") == null ? null : json.tree(row.getString("indicators")));
                    String status = ProjectIndicators.covenantStatus(indicators);
                    if (query.covenantStatuses().isEmpty() || query.covenantStatuses().contains(status)) {
                        found.add(new ProjectSummary(row.getString("project_id"), row.getString("borrower_id"), row.getString("name"),
                                row.getString("sector"), row.getString("stage"), LocalDate.parse(row.getString("cod")),
                                row.getString("currency"), status, indicators));
                    }
                }
            }
        }
        found.sort(Comparator.comparingInt(p -> ProjectIndicators.COVENANT_STATUSES.indexOf(p.covenantStatus())));
        return found.size() > query.limit() ? found.subList(0, query.limit()) : found;
    }

    /** The engine's forecast against actuals in the company's latest snapshot, and their currency; empty before one. */
    record Revenue(JsonNode periods, String currency, String forecastId) {}

    Revenue revenue(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT project_periods::text, project_currency, project_forecast_id FROM borrower_snapshot WHERE borrower_id = ?")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Revenue(json.tree(row.getString(1)), row.getString(2), row.getString(3))
                        : new Revenue(json.tree("[]"), null, null);
            }
        }
    }

    /** The project company of a project, or null when none is kept. */
    String borrowerOf(Connection connection, String projectId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT borrower_id FROM project WHERE project_id = ? ORDER BY event_time DESC, borrower_id LIMIT 1")) {
            select.setString(1, projectId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    JsonNode project(Connection connection, String borrowerId) throws SQLException {
        List<JsonNode> found = records(connection, "SELECT record::text FROM project WHERE borrower_id = ?", borrowerId, null);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The project's milestones, in the order planned. */
    List<JsonNode> milestones(Connection connection, String borrowerId, String projectId) throws SQLException {
        return records(connection, "SELECT record::text FROM project_milestone WHERE borrower_id = ? AND project_id = ? "
                + "ORDER BY planned_date, milestone_id LIMIT " + MILESTONES, borrowerId, projectId);
    }

    JsonNode forecast(Connection connection, String borrowerId, String projectId) throws SQLException {
        List<JsonNode> found = records(connection, "SELECT record::text FROM project_forecast WHERE borrower_id = ? AND project_id = ?",
                borrowerId, projectId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Each facility's covenants, by facility. */
    List<JsonNode> covenants(Connection connection, String borrowerId, String projectId) throws SQLException {
        return records(connection, "SELECT record::text FROM project_covenants WHERE borrower_id = ? AND project_id = ? "
                + "ORDER BY facility_id", borrowerId, projectId);
    }

    private List<JsonNode> records(Connection connection, String sql, String borrowerId, String projectId) throws SQLException {
        List<JsonNode> records = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, borrowerId);
            if (projectId != null) {
                select.setString(2, projectId);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    records.add(json.tree(row.getString(1)));
                }
            }
        }
        return records;
    }
}
