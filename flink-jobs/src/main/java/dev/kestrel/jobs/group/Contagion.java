package dev.kestrel.jobs.group;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.IndicatorReading;
import dev.kestrel.jobs.risk.AlertEpisodes;
import dev.kestrel.jobs.risk.AlertIds;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.RuleBook;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Spreads a group's contagion episodes to its members. While a group rule of category CONTAGION has an open episode
 * (for example, a member became non-performing), every member that is not itself a source of contagion carries a
 * borrower alert of the same rule, naming the distressed members and the link; a member that joins gets one, a
 * member that leaves or becomes a source itself has its alert closed, and all close when the group episode does.
 * These are ordinary episodes: opened once, escalated with the group's, closed once, with deterministic ids.
 */
final class Contagion {
    private Contagion() {}

    static void reconcile(GroupSubject group, GroupState state, RuleBook rules, Supplier<List<MemberStatus>> members,
            IndicatorValues before, IndicatorValues after, long detectedAt, Consumer<Alert> out) {
        if (state.memberEpisodes.isEmpty() && state.episodes.stream().noneMatch(e -> isContagion(rules.get(e.ruleId)))) {
            return; // the common case: nothing spreads, and no member's status is read for it
        }
        for (CompiledRule rule : rules.rules()) {
            if (!isContagion(rule)) {
                continue;
            }
            Episode groupEpisode = AlertEpisodes.find(state.episodes, rule.ruleId());
            Set<String> atRisk = new LinkedHashSet<>();
            if (groupEpisode != null) {
                for (MemberStatus member : members.get()) {
                    if (!member.contagionSource()) {
                        atRisk.add(member.borrowerId);
                    }
                }
            }
            for (Iterator<GroupState.MemberEpisode> it = state.memberEpisodes.iterator(); it.hasNext(); ) {
                GroupState.MemberEpisode open = it.next();
                if (open.episode().ruleId.equals(rule.ruleId()) && !atRisk.contains(open.borrowerId())) {
                    it.remove();
                    out.accept(closed(group, rule, open, groupEpisode, before, after, detectedAt));
                }
            }
            for (String borrowerId : atRisk) {
                GroupState.MemberEpisode open = find(state, borrowerId, rule.ruleId());
                if (open == null) {
                    Episode episode = new Episode(rule.ruleId(), AlertIds.of(AlertScope.BORROWER, borrowerId, rule.ruleId(), state.clock),
                            groupEpisode.severity, rule.version(), state.clock);
                    state.memberEpisodes.add(new GroupState.MemberEpisode(borrowerId, episode));
                    out.accept(raised(AlertLifecycle.OPENED, group, rule, borrowerId, episode, groupEpisode, before, after, detectedAt));
                } else if (groupEpisode.severity.compareTo(open.episode().severity) > 0) {
                    open.episode().severity = groupEpisode.severity;
                    open.episode().ruleVersion = rule.version();
                    out.accept(raised(AlertLifecycle.ESCALATED, group, rule, borrowerId, open.episode(), groupEpisode, before, after, detectedAt));
                }
            }
        }
        closeWithdrawn(group, state, rules, detectedAt, out);
    }

    private static boolean isContagion(CompiledRule rule) {
        return rule != null && rule.scope() == AlertScope.GROUP && rule.category() == AlertCategory.CONTAGION;
    }

    private static GroupState.MemberEpisode find(GroupState state, String borrowerId, String ruleId) {
        for (GroupState.MemberEpisode open : state.memberEpisodes) {
            if (open.borrowerId().equals(borrowerId) && open.episode().ruleId.equals(ruleId)) {
                return open;
            }
        }
        return null;
    }

    private static Alert raised(AlertLifecycle lifecycle, GroupSubject group, CompiledRule rule, String borrowerId,
            Episode episode, Episode groupEpisode, IndicatorValues before, IndicatorValues after, long detectedAt) {
        GroupSubject member = group.member(borrowerId);
        List<String> facts = new ArrayList<>();
        List<IndicatorReading> readings = AlertEpisodes.readings(rule.clausesFor(episode.severity, after, true), lifecycle,
                groupEpisode, before, after, member.currency(), member.clock(), facts);
        String summary = (lifecycle == AlertLifecycle.OPENED ? "Contagion risk: " : "Contagion risk, now " + episode.severity + ": ")
                + member.context(rule) + "Group: " + String.join("; ", facts) + ". "
                + (lifecycle == AlertLifecycle.OPENED ? rule.rationale() : "");
        return AlertEpisodes.change(lifecycle, member, episode, rule, summary.strip(), readings, detectedAt);
    }

    /** @param groupEpisode the group's open episode of the rule, or null when it closed (or never opened) */
    private static Alert closed(GroupSubject group, CompiledRule rule, GroupState.MemberEpisode open, Episode groupEpisode,
            IndicatorValues before, IndicatorValues after, long detectedAt) {
        GroupSubject member = group.member(open.borrowerId());
        List<String> facts = new ArrayList<>();
        List<IndicatorReading> readings = AlertEpisodes.readings(rule.condition().failingClauses(after), AlertLifecycle.CLOSED,
                groupEpisode, before, after, member.currency(), member.clock(), facts);
        String summary = groupEpisode == null
                ? "Cleared: no member of " + group.name() + " puts the others at risk any more: " + String.join("; ", facts) + "."
                : "Cleared for " + open.borrowerId() + ": it left " + group.name() + " or is itself non-performing or critical now, "
                        + "and its own alerts cover it.";
        return AlertEpisodes.change(AlertLifecycle.CLOSED, member, open.episode(), rule, summary, readings, detectedAt);
    }

    /** Member episodes of a rule withdrawn from the book, or no longer a group contagion rule, close. */
    private static void closeWithdrawn(GroupSubject group, GroupState state, RuleBook rules, long detectedAt, Consumer<Alert> out) {
        for (Iterator<GroupState.MemberEpisode> it = state.memberEpisodes.iterator(); it.hasNext(); ) {
            GroupState.MemberEpisode open = it.next();
            if (!isContagion(rules.get(open.episode().ruleId))) {
                it.remove();
                out.accept(AlertEpisodes.withdrawn(group.member(open.borrowerId()), open.episode(), detectedAt));
            }
        }
    }
}
