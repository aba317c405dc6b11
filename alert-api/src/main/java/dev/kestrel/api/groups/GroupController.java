package dev.kestrel.api.groups;

import dev.kestrel.api.alerts.AlertRepository;
import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.limits.LimitRecommendationView;
import dev.kestrel.api.limits.LimitRecommendations;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.LoanCategory;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A corporate group's members, exposure against the group limit, classifications, grade and open alerts. */
@Controller("/api/groups")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Groups")
class GroupController {
    private final Database database;
    private final AlertRepository alerts;

    private final LimitRecommendations recommendations;
    private final JsonColumns json;

    GroupController(Database database, AlertRepository alerts, LimitRecommendations recommendations, JsonColumns json) {
        this.database = database;
        this.alerts = alerts;
        this.recommendations = recommendations;
        this.json = json;
    }

    /** The engine's totals for the group, from its latest group snapshot. */
    private record EngineView(Instant asOf, String currency, Long limitMinor, long drawnMinor, Long utilisationBasisPoints,
                              int distressed, int nonPerforming, String worstLoanCategory, String watchGrade,
                              String watchGradeMember, Integer weightedScore, int scoredMembers, int unscoredMaterialMembers,
                              Map<String, EngineGroupMember> members) {
    }

    @Operation(summary = "Members (from master data, or the engine's snapshots before master data arrives), their "
            + "classifications, drawn exposure against the group limit (the engine's group snapshot once there is one), "
            + "the engine's grade of the group (worst material member, exposure-weighted score), the standing limit "
            + "recommendation, and open alerts of the group and its members")
    @Get("/{groupId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    GroupView group(@PathVariable String groupId) {
        record Limit(String name, long limitMinor, String currency) {
        }
        Limit limit = database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT group_name, limit_minor, currency FROM group_limit WHERE group_id = ?")) {
                select.setString(1, groupId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? new Limit(row.getString(1), row.getLong(2), row.getString(3)) : null;
                }
            }
        });
        List<GroupView.Member> members = database.read(connection -> {
            List<GroupView.Member> found = new ArrayList<>();
            // Membership follows the latest word: the profile's group, or the snapshot's when no profile says otherwise.
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT COALESCE(b.borrower_id, s.borrower_id) AS borrower_id, b.name, s.loan_category, s.sma_class,
                        s.days_past_due, s.drawn_minor, s.limit_minor, s.rating_tier,
                        (SELECT count(*) FROM alert a WHERE a.borrower_id = COALESCE(b.borrower_id, s.borrower_id)
                            AND a.status <> 'RESOLVED') AS open_alerts
                    FROM borrower b FULL JOIN borrower_snapshot s ON s.borrower_id = b.borrower_id
                    WHERE COALESCE(b.group_id, s.group_id) = ?
                    ORDER BY s.drawn_minor DESC NULLS LAST, 1""")) {
                select.setString(1, groupId);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        found.add(new GroupView.Member(row.getString("borrower_id"), row.getString("name"),
                                row.getString("loan_category"), row.getString("sma_class"),
                                (Integer) row.getObject("days_past_due"), (Long) row.getObject("drawn_minor"),
                                (Long) row.getObject("limit_minor"), row.getString("rating_tier"), row.getInt("open_alerts"),
                                null, null, null));
                    }
                }
            }
            return found;
        });
        EngineView engine = database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT as_of, currency, limit_minor, drawn_minor, utilisation_bp, distressed_members,
                        non_performing_members, worst_loan_category, watch_grade, watch_grade_member, weighted_score,
                        scored_members, unscored_material_members, members
                    FROM group_snapshot WHERE group_id = ?""")) {
                select.setString(1, groupId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    Map<String, EngineGroupMember> byId = new HashMap<>();
                    for (EngineGroupMember member : json.read(row.getString("members"), EngineGroupMember[].class)) {
                        byId.put(member.borrowerId(), member);
                    }
                    return new EngineView(Sql.instant(row, "as_of"), row.getString("currency"),
                            Sql.nullableLong(row, "limit_minor"), row.getLong("drawn_minor"), Sql.nullableLong(row, "utilisation_bp"),
                            row.getInt("distressed_members"), row.getInt("non_performing_members"),
                            row.getString("worst_loan_category"), row.getString("watch_grade"), row.getString("watch_grade_member"),
                            (Integer) row.getObject("weighted_score"), row.getInt("scored_members"),
                            row.getInt("unscored_material_members"), byId);
                }
            }
        });
        LimitRecommendationView recommendation = database.read(connection -> recommendations.forGroup(connection, groupId));
        List<AlertView> groupAlerts = alerts.forSubject("group_id", groupId, 200).stream()
                .filter(a -> a.status().isOpen()).toList();
        if (limit == null && engine == null && members.isEmpty() && groupAlerts.isEmpty()) {
            throw ApiException.notFound("group " + groupId);
        }
        long drawn = members.stream().mapToLong(m -> m.drawnMinor() == null ? 0 : m.drawnMinor()).sum();
        Integer utilisation = limit == null || limit.limitMinor() <= 0 ? null
                : (int) Math.min(Integer.MAX_VALUE, drawn * 10_000L / limit.limitMinor());
        int distressed = 0;
        LoanCategory worst = null;
        for (GroupView.Member member : members) {
            if (member.loanCategory() == null) {
                continue;
            }
            LoanCategory category = LoanCategory.valueOf(member.loanCategory());
            if (category.compareTo(LoanCategory.SPECIAL_MENTION) >= 0) {
                distressed++;
            }
            if (worst == null || category.compareTo(worst) > 0) {
                worst = category;
            }
        }
        if (engine != null) {
            List<GroupView.Member> graded = members.stream().map(m -> {
                EngineGroupMember heard = engine.members().get(m.borrowerId());
                return heard == null ? m : m.graded(heard);
            }).toList();
            return new GroupView(groupId, limit == null ? null : limit.name(), engine.limitMinor(), engine.currency(),
                    engine.drawnMinor(), engine.utilisationBasisPoints() == null ? null
                            : (int) Math.min(Integer.MAX_VALUE, engine.utilisationBasisPoints()),
                    engine.distressed(), engine.nonPerforming(), engine.worstLoanCategory(), engine.asOf(), engine.watchGrade(),
                    engine.watchGradeMember(), engine.weightedScore(), engine.scoredMembers(), engine.unscoredMaterialMembers(),
                    recommendation,
                    graded, contagion(graded), groupAlerts);
        }
        return new GroupView(groupId, limit == null ? null : limit.name(), limit == null ? null : limit.limitMinor(),
                limit == null ? null : limit.currency(), drawn, utilisation, distressed, null,
                worst == null ? null : worst.name(), null, null, null, null, 0, 0, recommendation, members, contagion(members),
                groupAlerts);
    }

    private static List<GroupView.ContagionLink> contagion(List<GroupView.Member> members) {
        List<GroupView.ContagionLink> links = new ArrayList<>();
        for (GroupView.Member member : members) {
            boolean substandard = member.loanCategory() != null
                    && LoanCategory.valueOf(member.loanCategory()).compareTo(LoanCategory.SUBSTANDARD) >= 0;
            boolean overNinety = member.daysPastDue() != null && member.daysPastDue() > 90;
            if (!substandard && !overNinety) {
                continue;
            }
            String reason = substandard ? member.loanCategory() + (overNinety ? ", " + member.daysPastDue() + " days past due" : "")
                    : member.daysPastDue() + " days past due";
            List<String> exposed = members.stream().map(GroupView.Member::borrowerId)
                    .filter(id -> !id.equals(member.borrowerId())).toList();
            links.add(new GroupView.ContagionLink(member.borrowerId(), member.name(), reason, exposed));
        }
        return links;
    }
}
