package dev.kestrel.jobs.group;

import dev.kestrel.events.GroupLimit;

/**
 * An input of the group stage, keyed by group: a member's status or the group's limit; exactly one is set. One type
 * for both lets a single keyed operator read and write the group's state once per change. A Flink POJO.
 */
public class GroupEvent {
    public String groupId;
    public MemberStatus member;
    public GroupLimit limit;

    public GroupEvent() {}

    public static GroupEvent of(MemberStatus member) {
        GroupEvent event = new GroupEvent();
        event.groupId = member.groupId;
        event.member = member;
        return event;
    }

    public static GroupEvent of(GroupLimit limit) {
        GroupEvent event = new GroupEvent();
        event.groupId = limit.getGroupId();
        event.limit = limit;
        return event;
    }

    public long eventTimeMillis() {
        return member != null ? member.eventTime : limit.getEventTime().toEpochMilli();
    }

    @Override
    public String toString() {
        return member != null ? member.toString() : "GroupLimit[" + groupId + " " + limit.getLimitMinor() + " " + limit.getCurrency() + "]";
    }
}
