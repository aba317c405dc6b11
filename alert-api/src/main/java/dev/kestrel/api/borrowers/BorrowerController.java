package dev.kestrel.api.borrowers;

import dev.kestrel.api.alerts.AlertRepository;
import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.limits.LimitRecommendationView;
import dev.kestrel.api.limits.LimitRecommendations;
import dev.kestrel.api.ownership.Owner;
import dev.kestrel.api.ownership.OwnerStore;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The customer 360 view of one borrower. */
@Controller("/api/borrowers")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Borrowers")
class BorrowerController {
    private static final int ALERTS_SHOWN = 100;
    private static final int MAX_HISTORY_POINTS = 2_000;

    private final Database database;
    private final AlertRepository alerts;
    private final JsonColumns json;
    private final AuditLog audit;
    private final Clock clock;
    private final LimitRecommendations recommendations;
    private final OwnerStore owners;

    BorrowerController(Database database, AlertRepository alerts, JsonColumns json, AuditLog audit, Clock clock,
                       LimitRecommendations recommendations, OwnerStore owners) {
        this.recommendations = recommendations;
        this.owners = owners;
        this.database = database;
        this.alerts = alerts;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    @Operation(summary = "Profile (masked by role), classification, rating tier, segment, indicators, the standing limit "
            + "recommendation, owner, alerts and indicator history; supervisors see personal data unmasked, and each such view is audited")
    @Get("/{borrowerId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    BorrowerView borrower(@PathVariable String borrowerId,
                          @QueryValue(defaultValue = "365") @Min(1) @Max(3660) int historyDays,
                          Authentication user) {
        boolean unmasked = Roles.has(user, Roles.SUPERVISOR);
        Instant now = clock.instant();
        BorrowerView.Profile profile = database.read(connection -> profile(connection, borrowerId, !unmasked));
        BorrowerView.Risk risk = database.read(connection -> risk(connection, borrowerId));
        LimitRecommendationView recommendation = database.read(connection -> recommendations.forBorrower(connection, borrowerId));
        List<AlertView> all = alerts.forSubject("borrower_id", borrowerId, ALERTS_SHOWN);
        if (profile == null && risk == null && recommendation == null && all.isEmpty()) {
            throw ApiException.notFound("borrower " + borrowerId);
        }
        // History is counted back from the latest snapshot, so a replay of old events still charts.
        Instant latest = risk != null ? risk.asOf() : now;
        List<BorrowerView.HistoryPoint> history = database.read(connection ->
                history(connection, borrowerId, latest.minus(Duration.ofDays(historyDays))));
        if (unmasked && profile != null) {
            // Who looked at whose personal data is itself something an auditor must be able to see.
            database.inTransaction(connection -> {
                audit.record(connection, now, user.getName(), "VIEW_PERSONAL_DATA", "borrower", borrowerId, null,
                        Map.of("fields", List.of("unifiedSocialCreditCode", "legalRepresentativeName",
                                "legalRepresentativeIdNumber", "legalRepresentativePhone")));
                return null;
            });
        }
        Owner owner = database.read(connection -> owners.of(connection, borrowerId).orElse(null));
        return new BorrowerView(borrowerId, profile, risk, recommendation, owner,
                all.stream().filter(a -> a.status().isOpen()).toList(),
                all.stream().filter(a -> !a.status().isOpen()).toList(), history);
    }

    private BorrowerView.Profile profile(Connection connection, String borrowerId, boolean mask) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT name, unified_social_credit_code, legal_representative_name, legal_representative_id_number,
                    legal_representative_phone, industry, region, group_id, internal_rating, customer_segment,
                    facilities::text AS facilities, profile_time
                FROM borrower WHERE borrower_id = ?""")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                String code = row.getString("unified_social_credit_code");
                String person = row.getString("legal_representative_name");
                String id = row.getString("legal_representative_id_number");
                String phone = row.getString("legal_representative_phone");
                return new BorrowerView.Profile(row.getString("name"),
                        mask ? Masking.creditCode(code) : code,
                        mask ? Masking.personName(person) : person,
                        mask ? Masking.idNumber(id) : id,
                        mask ? Masking.phone(phone) : phone,
                        row.getString("industry"), row.getString("region"), row.getString("group_id"),
                        row.getString("internal_rating"), row.getString("customer_segment"),
                        json.tree(row.getString("facilities")), Sql.instant(row, "profile_time"), mask);
            }
        }
    }

    private BorrowerView.Risk risk(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT as_of, group_id, internal_rating, rating_tier, segment, ifrs9_stage, loan_category, sma_class,
                    in_default, days_past_due, drawn_minor, limit_minor, currency, facilities::text AS facilities,
                    indicators::text AS indicators
                FROM borrower_snapshot WHERE borrower_id = ?""")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new BorrowerView.Risk(Sql.instant(row, "as_of"), row.getString("group_id"),
                        row.getString("internal_rating"), row.getString("rating_tier"), row.getString("segment"),
                        row.getInt("ifrs9_stage"), row.getString("loan_category"), row.getString("sma_class"),
                        row.getBoolean("in_default"), row.getInt("days_past_due"), row.getLong("drawn_minor"),
                        row.getLong("limit_minor"), row.getString("currency"), json.tree(row.getString("facilities")),
                        json.tree(row.getString("indicators")));
            }
        }
    }

    private List<BorrowerView.HistoryPoint> history(Connection connection, String borrowerId, Instant since)
            throws SQLException {
        List<BorrowerView.HistoryPoint> points = new ArrayList<>();
        // The newest points when there are too many, returned oldest first for charts.
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT * FROM (SELECT as_of, days_past_due, drawn_minor, limit_minor, indicators::text AS indicators
                    FROM indicator_history WHERE borrower_id = ? AND as_of >= ? ORDER BY as_of DESC LIMIT ?) newest
                ORDER BY as_of""")) {
            select.setString(1, borrowerId);
            select.setTimestamp(2, Sql.timestamp(since));
            select.setInt(3, MAX_HISTORY_POINTS);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    points.add(new BorrowerView.HistoryPoint(Sql.instant(row, "as_of"), row.getInt("days_past_due"),
                            row.getLong("drawn_minor"), row.getLong("limit_minor"), json.tree(row.getString("indicators"))));
                }
            }
        }
        return points;
    }
}
