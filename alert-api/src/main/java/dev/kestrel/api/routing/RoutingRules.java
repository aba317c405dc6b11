package dev.kestrel.api.routing;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.ownership.Owner;
import dev.kestrel.api.ownership.OwnerStore;
import dev.kestrel.api.security.UserRepository;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import dev.kestrel.api.tags.BorrowerTags;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.Severity;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Owns the routing rules: supervisors change them (each change audited with the rule before and after), and the feed
 * asks them where each new alert goes, in the transaction that stores it.
 */
@Singleton
public final class RoutingRules {
    private static final String COLUMNS = "rule_id, position, description, enabled, min_severity, categories, segments, "
            + "teams, officers, assign_to, tag, updated_by, updated_at";

    private final Database database;
    private final OwnerStore owners;
    private final BorrowerFacts borrowers;
    private final UserRepository users;
    private final BorrowerTags tags;
    private final AuditLog audit;
    private final Clock clock;

    RoutingRules(Database database, OwnerStore owners, BorrowerFacts borrowers, UserRepository users, BorrowerTags tags,
                 AuditLog audit, Clock clock) {
        this.tags = tags;
        this.database = database;
        this.owners = owners;
        this.borrowers = borrowers;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Places a new alert: every enabled rule that matches it and has a tag puts the tag on its borrower; the first, by
     * position then id, that matches and names an enabled analyst or supervisor assigns it. Empty when none assigns.
     */
    public Optional<Route> place(Connection connection, Route.NewAlert alert, Instant at) throws SQLException {
        List<RoutingRule> rules = all(connection);
        if (rules.stream().noneMatch(RoutingRule::enabled)) { // the common case of a desk without rules: no more reads
            return Optional.empty();
        }
        Optional<Owner> owner = alert.borrowerId() == null ? Optional.empty() : owners.of(connection, alert.borrowerId());
        String segment = alert.borrowerId() == null ? null : borrowers.segment(connection, alert.borrowerId()).orElse(null);
        String team = owner.map(Owner::team).orElse(null);
        String officer = owner.map(Owner::officer).orElse(null);
        Optional<Route> route = Optional.empty();
        for (RoutingRule rule : rules) {
            if (!rule.matches(alert, segment, team, officer)) {
                continue;
            }
            if (rule.tag() != null && alert.borrowerId() != null) {
                tags.setByRule(connection, alert.borrowerId(), rule.tag(), rule.ruleId(), at);
            }
            String assignee = RoutingRule.OWNER.equals(rule.assignTo()) ? officer : rule.assignTo();
            if (route.isEmpty() && assignee != null && users.mayWorkAlerts(connection, assignee)) {
                route = Optional.of(new Route(assignee, rule.ruleId()));
            }
        }
        return route;
    }

    List<RoutingRule> list() {
        return database.read(RoutingRules::all);
    }

    Optional<RoutingRule> find(String ruleId) {
        return database.read(connection -> find(connection, ruleId, false));
    }

    /** Creates or replaces the rule; the same rule again changes nothing and writes no audit row. */
    RoutingRule save(String ruleId, RoutingRule.Request request, String supervisor) {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            if (request.assignTo() == null && request.tag() == null) {
                throw ApiException.badRequest("assignTo, tag: a rule assigns, tags, or both; give at least one");
            }
            if (request.assignTo() != null && !RoutingRule.OWNER.equals(request.assignTo())
                    && !users.mayWorkAlerts(connection, request.assignTo())) {
                throw ApiException.badRequest("assignTo: '" + request.assignTo() + "' is not an enabled analyst or supervisor");
            }
            for (String officer : orEmpty(request.officers())) {
                if (users.find(connection, officer).isEmpty()) {
                    throw ApiException.badRequest("officers: '" + officer + "' is not a desk user");
                }
            }
            // A team no owner is in would never match: a typo, refused like a grant's.
            for (String team : stripped(request.teams())) {
                if (!OwnerStore.isTeam(connection, team)) {
                    throw ApiException.badRequest("teams: no owner is in team '" + team + "'");
                }
            }
            // The id locked even before the rule exists, so two first saves apply one after the other, each auditing
            // what the other left.
            try (PreparedStatement advisory = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('routing_rule:' || ?))")) {
                advisory.setString(1, ruleId);
                advisory.executeQuery().close();
            }
            Optional<RoutingRule> before = find(connection, ruleId, true);
            RoutingRule after = new RoutingRule(ruleId, request.position(), request.description().strip(),
                    request.enabled() == null || request.enabled(), request.minSeverity(), List.copyOf(orEmpty(request.categories())),
                    List.copyOf(orEmpty(request.segments())), stripped(request.teams()), List.copyOf(orEmpty(request.officers())),
                    request.assignTo(), request.tag(), supervisor, now);
            if (before.isPresent() && sameConditions(before.get(), after)) {
                return before.get();
            }
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO routing_rule (rule_id, position, description, enabled, min_severity, categories, segments,
                        teams, officers, assign_to, tag, updated_by, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (rule_id) DO UPDATE SET position = EXCLUDED.position, description = EXCLUDED.description,
                        enabled = EXCLUDED.enabled, min_severity = EXCLUDED.min_severity, categories = EXCLUDED.categories,
                        segments = EXCLUDED.segments, teams = EXCLUDED.teams, officers = EXCLUDED.officers,
                        assign_to = EXCLUDED.assign_to, tag = EXCLUDED.tag, updated_by = EXCLUDED.updated_by,
                        updated_at = EXCLUDED.updated_at""")) {
                upsert.setString(1, ruleId);
                upsert.setInt(2, after.position());
                upsert.setString(3, after.description());
                upsert.setBoolean(4, after.enabled());
                Sql.setNullableText(upsert, 5, after.minSeverity() == null ? null : after.minSeverity().name());
                upsert.setArray(6, textArray(connection, after.categories().stream().map(Enum::name).toList()));
                upsert.setArray(7, textArray(connection, after.segments().stream().map(Enum::name).toList()));
                upsert.setArray(8, textArray(connection, after.teams()));
                upsert.setArray(9, textArray(connection, after.officers()));
                Sql.setNullableText(upsert, 10, after.assignTo());
                Sql.setNullableText(upsert, 11, after.tag());
                upsert.setString(12, supervisor);
                upsert.setTimestamp(13, Sql.timestamp(now));
                upsert.executeUpdate();
            }
            audit.record(connection, now, supervisor, "ROUTING_RULE_SAVE", "routing-rule", ruleId, before.orElse(null), after);
            return after;
        });
    }

    void delete(String ruleId, String supervisor) {
        Instant now = clock.instant();
        database.inTransaction(connection -> {
            RoutingRule before = find(connection, ruleId, true).orElseThrow(() -> ApiException.notFound("routing rule " + ruleId));
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM routing_rule WHERE rule_id = ?")) {
                delete.setString(1, ruleId);
                delete.executeUpdate();
            }
            audit.record(connection, now, supervisor, "ROUTING_RULE_DELETE", "routing-rule", ruleId, before, null);
            return null;
        });
    }

    private static boolean sameConditions(RoutingRule a, RoutingRule b) {
        return a.position() == b.position() && a.description().equals(b.description()) && a.enabled() == b.enabled()
                && a.minSeverity() == b.minSeverity() && a.categories().equals(b.categories()) && a.segments().equals(b.segments())
                && a.teams().equals(b.teams()) && a.officers().equals(b.officers()) && Objects.equals(a.assignTo(), b.assignTo())
                && Objects.equals(a.tag(), b.tag());
    }

    private static List<RoutingRule> all(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM routing_rule ORDER BY position, rule_id");
             ResultSet row = select.executeQuery()) {
            List<RoutingRule> rules = new ArrayList<>();
            while (row.next()) {
                rules.add(read(row));
            }
            return rules;
        }
    }

    private static Optional<RoutingRule> find(Connection connection, String ruleId, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM routing_rule WHERE rule_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, ruleId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    private static RoutingRule read(ResultSet row) throws SQLException {
        String minSeverity = row.getString("min_severity");
        return new RoutingRule(row.getString("rule_id"), row.getInt("position"), row.getString("description"),
                row.getBoolean("enabled"), minSeverity == null ? null : Severity.valueOf(minSeverity),
                texts(row.getArray("categories")).stream().map(AlertCategory::valueOf).toList(),
                texts(row.getArray("segments")).stream().map(CustomerSegment::valueOf).toList(),
                texts(row.getArray("teams")), texts(row.getArray("officers")), row.getString("assign_to"), row.getString("tag"),
                row.getString("updated_by"), Sql.instant(row, "updated_at"));
    }

    private static List<String> texts(Array array) throws SQLException {
        return List.copyOf(Arrays.asList((String[]) array.getArray()));
    }

    private static Array textArray(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private static <T> List<T> orEmpty(List<T> values) {
        return values == null ? List.of() : values;
    }

    private static List<String> stripped(List<String> values) {
        return orEmpty(values).stream().map(String::strip).toList();
    }
}
