package dev.kestrel.api.alerts;

import dev.kestrel.api.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A filtered, sorted page of the alert list. Pages are cut by a cursor (the last row's sort value and its insertion
 * sequence) rather than an offset, so alerts arriving while someone pages neither repeat nor push rows out of view.
 */
public record AlertQuery(
        List<AlertStatus> statuses,
        List<String> severities,
        List<String> categories,
        String ruleId,
        String borrowerId,
        String groupId,
        String assignee,
        Instant from,
        Instant to,
        String borrowerNameContains,
        Boolean slaBreached,
        Order order,
        String cursor,
        int limit) {

    public static final int MAX_LIMIT = 500;

    /** The orders the list offers; each is a column plus the insertion sequence as tie-breaker. */
    public enum Sort {
        /** When the desk first received the alert (never changes). The default, newest first. */
        RECEIVED_AT("receivedAt", "a.received_at"),
        /** When the episode opened in event time (never changes). */
        EPISODE_STARTED_AT("episodeStartedAt", "a.episode_started_at"),
        /** Severity; an escalation while paging moves that one alert. */
        SEVERITY("severity", "a.severity_rank"),
        /** Service-level deadline, soonest first when ascending. */
        SLA_DUE_AT("slaDueAt", "a.sla_due_at");

        final String field;
        final String column;

        Sort(String field, String column) {
            this.field = field;
            this.column = column;
        }
    }

    /** An order as the caller names it: {@code receivedAt} ascending, {@code -receivedAt} descending. */
    public record Order(Sort sort, boolean descending) {
        public static Order parse(String text) {
            String value = text == null || text.isBlank() ? "-receivedAt" : text.trim();
            boolean descending = value.startsWith("-");
            String field = descending ? value.substring(1) : value;
            for (Sort sort : Sort.values()) {
                if (sort.field.equals(field)) {
                    return new Order(sort, descending);
                }
            }
            throw ApiException.badRequest("sort must be one of receivedAt, episodeStartedAt, severity, slaDueAt, "
                    + "with a leading '-' for descending; got '" + text + "'");
        }

        String token() {
            return (descending ? "-" : "") + sort.field;
        }
    }

    /** Where the previous page ended: the last row's sort value, already read as its column's type, and its sequence. */
    record Cursor(String order, Object value, long seq) {
        String encode() {
            String raw = order + "|" + value + "|" + seq;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text, Order order) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                String[] parts = raw.split("\\|", 3);
                if (parts.length != 3) {
                    throw new IllegalArgumentException("three parts expected");
                }
                if (!parts[0].equals(order.token())) {
                    throw ApiException.badRequest("the cursor belongs to sort '" + parts[0] + "', not '" + order.token()
                            + "'; start again without a cursor");
                }
                Object value = order.sort() == Sort.SEVERITY ? (Object) Integer.parseInt(parts[1])
                        : java.sql.Timestamp.from(java.time.Instant.parse(parts[1]));
                return new Cursor(parts[0], value, Long.parseLong(parts[2]));
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) { // NumberFormatException included
                throw ApiException.badRequest("cursor is not one this API issued: " + e.getMessage());
            }
        }
    }
}
