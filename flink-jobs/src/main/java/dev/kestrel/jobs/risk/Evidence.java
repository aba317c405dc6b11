package dev.kestrel.jobs.risk;

import dev.kestrel.events.EventReference;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What an alert cites: the facts behind the indicators its rule reads, as a credit officer states them (the missed
 * instalment with its facility, amount and due date; the bureau's report with its reference), and the input events
 * that brought those facts. Each part of a borrower's state explains its own indicators; an alert on indicators no
 * single event explains (a 30-day inflow) cites the borrower's latest events instead.
 */
final class Evidence {
    final List<String> facts = new ArrayList<>();
    final List<EventReference> events = new ArrayList<>();

    /** One fact and the event it comes from; each is cited once however many indicators lead to it. */
    void add(String fact, String eventId, String eventType, long at) {
        if (fact != null && !facts.contains(fact)) {
            facts.add(fact);
        }
        if (eventId != null && events.stream().noneMatch(e -> e.getEventId().equals(eventId))) {
            events.add(new EventReference(eventId, eventType, Instant.ofEpochMilli(at)));
        }
    }

    void add(Citation citation) {
        add(citation.fact(), citation.eventId(), citation.eventType(), citation.at());
    }

    /** The facts as the sentences of a summary, or "" when there are none. */
    String sentences() {
        if (facts.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (String fact : facts) {
            text.append(Character.toUpperCase(fact.charAt(0))).append(fact, 1, fact.length()).append(". ");
        }
        return text.toString();
    }

    static String date(long at) {
        return LocalDate.ofEpochDay(Days.of(at)).toString();
    }

    /**
     * A fact worded when its event arrived, kept in state with the event's id and time: what an outside source
     * reported (a rating move, a lawsuit) does not change afterwards, so it is worded once.
     */
    record Citation(String eventId, String eventType, long at, String fact) {

        /** Written without its event type, which the part of the state that keeps it knows. */
        void write(DataOutputView out, long clock) throws IOException {
            StateIO.writeText(out, eventId);
            StateIO.writeTime(out, at, clock);
            StateIO.writeText(out, fact);
        }

        static Citation read(DataInputView in, int format, long clock, String eventType) throws IOException {
            return new Citation(StateIO.readText(in, format), eventType, StateIO.readTime(in, format, clock), StateIO.readText(in, format));
        }

        static void writeOptional(DataOutputView out, Citation citation, long clock) throws IOException {
            out.writeBoolean(citation != null);
            if (citation != null) {
                citation.write(out, clock);
            }
        }

        static Citation readOptional(DataInputView in, int format, long clock, String eventType) throws IOException {
            return in.readBoolean() ? read(in, format, clock, eventType) : null;
        }

        static void writeList(DataOutputView out, List<Citation> citations, long clock) throws IOException {
            StateIO.writeInt(out, citations.size());
            for (Citation citation : citations) {
                citation.write(out, clock);
            }
        }

        static void readList(DataInputView in, int format, long clock, String eventType, List<Citation> into) throws IOException {
            for (int i = StateIO.readInt(in); i > 0; i--) {
                into.add(read(in, format, clock, eventType));
            }
        }
    }
}
