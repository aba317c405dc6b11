package dev.kestrel.api.groups;

import dev.kestrel.api.alerts.AlertRepository;
import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.borrowers.BorrowerStore;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.limits.LimitRecommendationView;
import dev.kestrel.api.limits.LimitRecommendations;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;

/** A corporate group as the engine judged it: members, exposure against the group limit, grade, contagion, alerts. */
@Controller("/api/groups")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Groups")
class GroupController {
    private static final int ALERTS_READ = 200;

    private final Database database;
    private final GroupStore groups;
    private final BorrowerStore borrowers;
    private final AlertRepository alerts;
    private final LimitRecommendations recommendations;

    GroupController(Database database, GroupStore groups, BorrowerStore borrowers, AlertRepository alerts,
                    LimitRecommendations recommendations) {
        this.database = database;
        this.groups = groups;
        this.borrowers = borrowers;
        this.alerts = alerts;
        this.recommendations = recommendations;
    }

    @Operation(summary = "Members (from master data, or the engine's snapshots before master data arrives) with their "
            + "classifications; the engine's group snapshot: drawn exposure against the group limit, members in distress, "
            + "the grade of the group (worst material member, exposure-weighted score), each null until the engine has "
            + "written one; the contagion episodes the engine has open, with the members it alerted; the standing limit "
            + "recommendation; and open alerts of the group and its members")
    @Get("/{groupId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    GroupView group(@PathVariable String groupId) {
        record Read(GroupStore.Limit limit, GroupStore.EngineView engine, List<BorrowerStore.GroupMember> members,
                    Map<String, Integer> unresolved, LimitRecommendationView recommendation) {
        }
        Read read = database.read(connection -> {
            List<BorrowerStore.GroupMember> members = borrowers.membersOf(connection, groupId);
            return new Read(groups.limit(connection, groupId), groups.engine(connection, groupId), members,
                    alerts.unresolvedCounts(connection, members.stream().map(BorrowerStore.GroupMember::borrowerId).toList()),
                    recommendations.forGroup(connection, groupId));
        });
        List<AlertView> groupAlerts = alerts.forSubject("group_id", groupId, ALERTS_READ);
        if (read.limit() == null && read.engine() == null && read.members().isEmpty() && groupAlerts.isEmpty()) {
            throw ApiException.notFound("group " + groupId);
        }
        GroupStore.EngineView engine = read.engine();
        List<GroupView.Member> members = read.members().stream().map(m -> {
            EngineGroupMember graded = engine == null ? null : engine.members().get(m.borrowerId());
            return new GroupView.Member(m.borrowerId(), m.name(), m.loanCategory(), m.smaClass(), m.daysPastDue(),
                    m.drawnMinor(), m.limitMinor(), m.ratingTier(), read.unresolved().getOrDefault(m.borrowerId(), 0),
                    graded == null ? null : graded.score(), graded == null ? null : graded.watchGrade(),
                    graded == null ? null : graded.material());
        }).toList();
        List<AlertView> open = groupAlerts.stream().filter(a -> a.status().isOpen()).toList();
        String name = read.limit() == null ? null : read.limit().name();
        if (engine == null) {
            // Not assessed yet: the limit master data states, and nothing the engine has not said.
            return new GroupView(groupId, name, read.limit() == null ? null : read.limit().limitMinor(),
                    read.limit() == null ? null : read.limit().currency(), null, null, null, null, null, null, null, null,
                    null, 0, 0, read.recommendation(), members, contagion(groupAlerts), open);
        }
        return new GroupView(groupId, name, engine.limitMinor(), engine.currency(), engine.drawnMinor(),
                engine.utilisationBasisPoints() == null ? null : (int) Math.min(Integer.MAX_VALUE, engine.utilisationBasisPoints()),
                engine.distressed(), engine.nonPerforming(), engine.worstLoanCategory(), engine.asOf(), engine.watchGrade(),
                engine.watchGradeMember(), engine.weightedScore(), engine.scoredMembers(), engine.unscoredMaterialMembers(),
                read.recommendation(), members, contagion(groupAlerts), open);
    }

    /**
     * The engine's open contagion episodes on the group: each group alert of category CONTAGION the engine has not
     * closed, with the members carrying that rule's contagion alert, also not closed.
     */
    private static List<GroupView.Contagion> contagion(List<AlertView> groupAlerts) {
        List<AlertView> live = groupAlerts.stream()
                .filter(a -> "CONTAGION".equals(a.category()) && !"CLOSED".equals(a.lifecycle())).toList();
        return live.stream().filter(a -> a.borrowerId() == null)
                .map(group -> new GroupView.Contagion(group.alertId(), group.ruleId(), group.severity(), group.title(),
                        group.summary(), group.episodeStartedAt(), live.stream()
                                .filter(m -> m.borrowerId() != null && m.ruleId().equals(group.ruleId()))
                                .map(AlertView::borrowerId).sorted().toList()))
                .toList();
    }
}
