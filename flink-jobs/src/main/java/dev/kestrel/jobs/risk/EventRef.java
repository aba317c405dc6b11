package dev.kestrel.jobs.risk;

import dev.kestrel.events.EventReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A recent input event, kept so that an alert raised later (say, when a day passes) can still cite what led to it. */
public record EventRef(String eventId, String eventType, long eventTime) {
    /** How many recent events a subject keeps for its explanations. */
    static final int RECENT = 3;

    /** Adds the event to a subject's recent events, dropping the oldest beyond {@link #RECENT}. */
    public static void keepRecent(List<EventRef> recent, EventRef event) {
        recent.add(event);
        if (recent.size() > RECENT) {
            recent.remove(0);
        }
    }

    /**
     * Adds an event of one of many sources (a group's members) to the latest events, kept as the {@link #RECENT}
     * latest by event time and then id, oldest first: sources' events of one time may arrive in either order, and the
     * ones cited must not depend on it. An event already kept is not added twice.
     */
    public static void keepLatest(List<EventRef> latest, EventRef event) {
        int at = latest.size();
        while (at > 0 && later(latest.get(at - 1), event)) {
            at--;
        }
        if (at > 0 && latest.get(at - 1).equals(event)) {
            return;
        }
        latest.add(at, event);
        if (latest.size() > RECENT) {
            latest.remove(0);
        }
    }

    private static boolean later(EventRef a, EventRef b) {
        return a.eventTime != b.eventTime ? a.eventTime > b.eventTime : a.eventId.compareTo(b.eventId) > 0;
    }

    /** The events as an alert's triggering events, oldest first. */
    public static List<EventReference> references(List<EventRef> events) {
        List<EventReference> references = new ArrayList<>(events.size());
        for (EventRef ref : events) {
            references.add(new EventReference(ref.eventId, ref.eventType, Instant.ofEpochMilli(ref.eventTime)));
        }
        return references;
    }
}
