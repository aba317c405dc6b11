package dev.kestrel.jobs.group;

import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.EventReference;
import dev.kestrel.jobs.risk.AlertEpisodes;
import dev.kestrel.jobs.risk.AlertSubject;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.risk.EventRef;
import dev.kestrel.jobs.rules.CompiledRule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A corporate group as an alert subject, or (with {@link #member}) one member of it receiving a contagion alert.
 * The explanation names the members behind the alert, which the indicators alone (counts and shares) do not.
 */
final class GroupSubject implements AlertSubject {
    private final String groupId;
    private final GroupState state;
    private final Supplier<List<MemberStatus>> members;
    private final String member;

    private GroupSubject(String groupId, GroupState state, Supplier<List<MemberStatus>> members, String member) {
        this.groupId = groupId;
        this.state = state;
        this.members = members;
        this.member = member;
    }

    /** The group itself; {@code members} is asked for only to explain an alert, so it may read state lazily. */
    static GroupSubject group(String groupId, GroupState state, Supplier<List<MemberStatus>> members) {
        return new GroupSubject(groupId, state, members, null);
    }

    /** One member of the group, for the contagion alerts raised on it. */
    GroupSubject member(String borrowerId) {
        return new GroupSubject(groupId, state, members, borrowerId);
    }

    @Override
    public AlertScope scope() {
        return member == null ? AlertScope.GROUP : AlertScope.BORROWER;
    }

    @Override
    public String borrowerId() {
        return member;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public String subjectId() {
        return member == null ? groupId : member;
    }

    @Override
    public String currency() {
        return state.currency;
    }

    @Override
    public long clock() {
        return state.clock;
    }

    @Override
    public List<Episode> episodes() {
        return state.episodes;
    }

    @Override
    public List<EventReference> triggeringEvents() {
        return EventRef.references(state.recentEvents);
    }

    @Override
    public String context(CompiledRule rule) {
        String limit = state.hasLimit ? ", which shares a limit of " + AlertEpisodes.money(state.limitMinor, state.currency) : "";
        if (rule.category() == AlertCategory.CONTAGION) {
            List<String> sources = describe(MemberStatus::contagionSource);
            if (member == null) {
                return "Non-performing or critical: " + String.join("; ", sources) + ". "
                        + (state.hasLimit ? "The members of " + name() + " share a limit of "
                                + AlertEpisodes.money(state.limitMinor, state.currency) + ". " : "");
            }
            return String.join("; ", sources) + (sources.size() == 1 ? " is" : " are") + " non-performing or critical in "
                    + name() + limit + ", the group of " + member + ". ";
        }
        List<String> distressed = describe(MemberStatus::distressed);
        return distressed.isEmpty() ? "" : "Distressed members: " + String.join("; ", distressed) + ". ";
    }

    /** The members (other than the subject member) that pass the test, each with its condition. */
    private List<String> describe(java.util.function.Predicate<MemberStatus> test) {
        List<String> described = new ArrayList<>();
        for (MemberStatus status : members.get()) {
            if (test.test(status) && !status.borrowerId.equals(member)) {
                described.add(status.borrowerId + " (" + status.distressDescription(state.clock) + ")");
            }
        }
        return described;
    }

    String name() {
        return state.groupName == null ? groupId : state.groupName + " (" + groupId + ")";
    }
}
