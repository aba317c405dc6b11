package dev.kestrel.api.collections;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.LoanCategory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns {@code collection_case} and {@code collection_step}. The engine's snapshots open and close cases: a case opens
 * when the engine first reports the borrower's arrears material, or non-performing with arrears under the floor, and
 * closes when it reports nothing past due (ARREARS_CLEARED:
 * the arrears are paid; whether a default is cured is the engine's call, after its probation). The desk records each step's outcome. Only a borrower's newest snapshot is
 * applied here (the feed says which), so a snapshot read again after a restart changes nothing.
 */
@Singleton
public class CollectionCases {
    /** Who the audit log names for what the engine's verdicts did to a case. */
    static final String ENGINE = AuditLog.SYSTEM;

    private final CollectionLadder ladder;
    private final AuditLog audit;

    CollectionCases(CollectionLadder ladder, AuditLog audit) {
        this.ladder = ladder;
        this.audit = audit;
    }

    /** A case with the engine's current figures for its borrower (as of {@code asOf}) and its owner. */
    record Case(String caseId, String borrowerId, @Nullable String name, @Nullable String officer, @Nullable String team,
                String status, String openedOn, LocalDate arrearsSince, Instant openedAt, int openedDaysPastDue,
                long openedOverdueMinor, @Nullable String currency, @Nullable Instant nonPerformingSince,
                @Nullable Instant closedAt, @Nullable String closeReason, @Nullable Integer daysPastDue,
                @Nullable Long overdueMinor, @Nullable String loanCategory, @Nullable Instant asOf) {
    }

    /** One rung of a case's ladder and what was recorded of it. */
    record Step(String caseId, int position, String kind, int dayOfArrears, LocalDate dueDate, String status,
                @Nullable String outcome, @Nullable LocalDate doneOn, @Nullable String notes, @Nullable String reference,
                @Nullable Long promisedAmountMinor, @Nullable LocalDate promisedDate, @Nullable String recordedBy,
                @Nullable Instant recordedAt) {
    }

    /** What an officer records of a step. */
    record Outcome(StepOutcome outcome, LocalDate doneOn, @Nullable String notes, @Nullable String reference,
                   @Nullable Long promisedAmountMinor, @Nullable LocalDate promisedDate) {
    }

    /** Applies the engine's newest snapshot of a borrower to its case; audits what it changed. */
    public void apply(Connection connection, BorrowerRiskSnapshot snapshot, Instant receivedAt) throws SQLException {
        String borrowerId = snapshot.getBorrowerId();
        boolean pastDue = snapshot.getDaysPastDue() > 0;
        // The snapshot's category is the worst active regime's, EU default and IN NPA counted as substandard.
        boolean nonPerforming = snapshot.getLoanCategory().compareTo(LoanCategory.SUBSTANDARD) >= 0;
        String open = openCaseOf(connection, borrowerId);
        if (open == null) {
            if (snapshot.getMaterialArrearsSince() != null) {
                open(connection, snapshot, "MATERIAL_ARREARS", snapshot.getMaterialArrearsSince(), nonPerforming, receivedAt);
            } else if (nonPerforming && pastDue) {
                // CN has no money floor: a claim 91 days overdue is substandard however small. Its ladder counts from
                // the first day past due of the oldest unpaid instalment, as the engine's days past due do.
                LocalDate since = LocalDate.ofInstant(snapshot.getAsOf(), ZoneOffset.UTC).minusDays(snapshot.getDaysPastDue() - 1L);
                open(connection, snapshot, "NON_PERFORMING", since, true, receivedAt);
            }
            return;
        }
        if (!pastDue) {
            close(connection, open, snapshot, receivedAt);
        } else if (nonPerforming) {
            try (PreparedStatement mark = connection.prepareStatement(
                    "UPDATE collection_case SET non_performing_since = ? WHERE case_id = ? AND non_performing_since IS NULL")) {
                mark.setTimestamp(1, Sql.timestamp(snapshot.getAsOf()));
                mark.setString(2, open);
                if (mark.executeUpdate() == 1) {
                    audit.record(connection, receivedAt, ENGINE, "COLLECTION_CASE_NON_PERFORMING", "collection-case", open, null,
                            figures(snapshot));
                }
            }
        }
    }

    private String openCaseOf(Connection connection, String borrowerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT case_id FROM collection_case WHERE borrower_id = ? AND status = 'OPEN' FOR UPDATE")) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private void open(Connection connection, BorrowerRiskSnapshot snapshot, String openedOn, LocalDate since,
                      boolean nonPerforming, Instant receivedAt) throws SQLException {
        String caseId = "CC-" + snapshot.getBorrowerId() + "-" + since;
        try (PreparedStatement earlier = connection.prepareStatement(
                "SELECT count(*) FROM collection_case WHERE borrower_id = ? AND arrears_since = ?")) {
            earlier.setString(1, snapshot.getBorrowerId());
            earlier.setDate(2, Date.valueOf(since));
            try (ResultSet row = earlier.executeQuery()) {
                row.next();
                if (row.getInt(1) > 0) {
                    caseId += "-" + (row.getInt(1) + 1); // cured and in arrears again from the same day
                }
            }
        }
        long overdue = overdue(snapshot);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO collection_case (case_id, borrower_id, opened_on, arrears_since, opened_at, opened_days_past_due,
                    opened_overdue_minor, currency, non_performing_since, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN')""")) {
            insert.setString(1, caseId);
            insert.setString(2, snapshot.getBorrowerId());
            insert.setString(3, openedOn);
            insert.setDate(4, Date.valueOf(since));
            insert.setTimestamp(5, Sql.timestamp(snapshot.getAsOf()));
            insert.setInt(6, snapshot.getDaysPastDue());
            insert.setLong(7, overdue);
            Sql.setNullableText(insert, 8, snapshot.getCurrency());
            insert.setTimestamp(9, nonPerforming ? Sql.timestamp(snapshot.getAsOf()) : null);
            insert.executeUpdate();
        }
        try (PreparedStatement step = connection.prepareStatement("""
                INSERT INTO collection_step (case_id, position, kind, day_of_arrears, due_date, status)
                VALUES (?, ?, ?, ?, ?, 'PENDING')""")) {
            int position = 0;
            for (CollectionLadder.Step rung : ladder.steps()) {
                step.setString(1, caseId);
                step.setInt(2, ++position);
                step.setString(3, rung.kind().name());
                step.setInt(4, rung.day());
                step.setDate(5, Date.valueOf(rung.dueDate(since)));
                step.addBatch();
            }
            step.executeBatch();
        }
        Map<String, Object> after = figures(snapshot);
        after.put("openedOn", openedOn);
        after.put("arrearsSince", since.toString());
        after.put("ladder", ladder.steps().stream().map(s -> s.kind() + ":" + s.day()).toList());
        audit.record(connection, receivedAt, ENGINE, "COLLECTION_CASE_OPEN", "collection-case", caseId, null, after);
    }

    private void close(Connection connection, String caseId, BorrowerRiskSnapshot snapshot, Instant receivedAt) throws SQLException {
        try (PreparedStatement close = connection.prepareStatement(
                "UPDATE collection_case SET status = 'CLOSED', closed_at = ?, close_reason = 'ARREARS_CLEARED' WHERE case_id = ?");
             PreparedStatement cancel = connection.prepareStatement(
                     "UPDATE collection_step SET status = 'CANCELLED' WHERE case_id = ? AND status = 'PENDING'")) {
            close.setTimestamp(1, Sql.timestamp(snapshot.getAsOf()));
            close.setString(2, caseId);
            close.executeUpdate();
            cancel.setString(1, caseId);
            int cancelled = cancel.executeUpdate();
            Map<String, Object> after = figures(snapshot);
            after.put("closeReason", "ARREARS_CLEARED");
            after.put("stepsCancelled", cancelled);
            audit.record(connection, receivedAt, ENGINE, "COLLECTION_CASE_CLOSE", "collection-case", caseId, null, after);
        }
    }

    /** The engine's figures a case change rests on, for its audit row. */
    private static Map<String, Object> figures(BorrowerRiskSnapshot snapshot) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("snapshotAsOf", snapshot.getAsOf().toString());
        figures.put("daysPastDue", snapshot.getDaysPastDue());
        figures.put("overdueMinor", overdue(snapshot));
        figures.put("currency", snapshot.getCurrency());
        figures.put("materialArrearsSince", snapshot.getMaterialArrearsSince() == null ? null : snapshot.getMaterialArrearsSince().toString());
        figures.put("loanCategory", snapshot.getLoanCategory().name());
        return figures;
    }

    /** The engine's arrears over all facilities, in the borrower's currency. */
    private static long overdue(BorrowerRiskSnapshot snapshot) {
        return snapshot.getIndicators().stream().filter(i -> i.getIndicator().equals("overdueAmount")).mapToLong(i -> i.getValue())
                .findFirst().orElse(0L);
    }

    private static final String CASE_COLUMNS = """
            c.case_id, c.borrower_id, b.name, o.officer, o.team, c.status, c.opened_on, c.arrears_since, c.opened_at,
            c.opened_days_past_due, c.opened_overdue_minor, c.currency, c.non_performing_since, c.closed_at, c.close_reason,
            s.days_past_due, (s.indicators->'overdueAmount'->>'value')::bigint AS overdue_minor, s.loan_category, s.as_of""";
    private static final String CASE_FROM = """
            FROM collection_case c
            LEFT JOIN borrower b ON b.borrower_id = c.borrower_id
            LEFT JOIN borrower_owner o ON o.borrower_id = c.borrower_id
            LEFT JOIN borrower_snapshot s ON s.borrower_id = c.borrower_id""";

    /** One case, or null. */
    Case find(Connection connection, String caseId) throws SQLException {
        List<Case> found = cases(connection, "WHERE c.case_id = ?", List.of(caseId), "");
        return found.isEmpty() ? null : found.get(0);
    }

    /** A borrower's cases, the latest first. */
    List<Case> ofBorrower(Connection connection, String borrowerId, int limit) throws SQLException {
        return cases(connection, "WHERE c.borrower_id = ?", List.of(borrowerId),
                "ORDER BY c.arrears_since DESC, c.case_id DESC LIMIT " + limit);
    }

    /**
     * Cases of one officer, or of everyone when {@code officer} is null, open or closed: open ones by their next
     * pending step's due date, the most pressing first; closed ones the latest closed first.
     */
    List<Case> list(Connection connection, boolean open, @Nullable String officer, int limit) throws SQLException {
        String order = open
                ? "ORDER BY (SELECT min(due_date) FROM collection_step p WHERE p.case_id = c.case_id AND p.status = 'PENDING') "
                  + "NULLS LAST, c.arrears_since, c.case_id"
                : "ORDER BY c.closed_at DESC, c.case_id";
        List<Object> parameters = new ArrayList<>();
        parameters.add(open ? "OPEN" : "CLOSED");
        parameters.add(officer);
        parameters.add(officer);
        return cases(connection, "WHERE c.status = ? AND (?::text IS NULL OR o.officer = ?::text)", parameters,
                order + " LIMIT " + limit);
    }

    private List<Case> cases(Connection connection, String where, List<Object> parameters, String tail) throws SQLException {
        List<Case> cases = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + CASE_COLUMNS + " " + CASE_FROM + " " + where + " " + tail)) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    int dpd = row.getInt("days_past_due");
                    Integer daysPastDue = row.wasNull() ? null : dpd;
                    cases.add(new Case(row.getString("case_id"), row.getString("borrower_id"), row.getString("name"),
                            row.getString("officer"), row.getString("team"), row.getString("status"), row.getString("opened_on"),
                            row.getDate("arrears_since").toLocalDate(), Sql.instant(row, "opened_at"),
                            row.getInt("opened_days_past_due"), row.getLong("opened_overdue_minor"), row.getString("currency"),
                            Sql.instant(row, "non_performing_since"), Sql.instant(row, "closed_at"), row.getString("close_reason"),
                            daysPastDue, Sql.nullableLong(row, "overdue_minor"), row.getString("loan_category"), Sql.instant(row, "as_of")));
                }
            }
        }
        return cases;
    }

    /** The steps of the given cases, by case and position. */
    Map<String, List<Step>> steps(Connection connection, List<String> caseIds) throws SQLException {
        Map<String, List<Step>> steps = new LinkedHashMap<>();
        if (caseIds.isEmpty()) {
            return steps;
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT case_id, position, kind, day_of_arrears, due_date, status, outcome, done_on, notes, reference, promised_amount_minor,
                    promised_date, recorded_by, recorded_at
                FROM collection_step WHERE case_id = ANY (?) ORDER BY case_id, position""")) {
            select.setArray(1, connection.createArrayOf("text", caseIds.toArray()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    steps.computeIfAbsent(row.getString("case_id"), k -> new ArrayList<>()).add(new Step(row.getString("case_id"),
                            row.getInt("position"), row.getString("kind"), row.getInt("day_of_arrears"),
                            row.getDate("due_date").toLocalDate(), row.getString("status"), row.getString("outcome"),
                            date(row, "done_on"), row.getString("notes"), row.getString("reference"), Sql.nullableLong(row, "promised_amount_minor"),
                            date(row, "promised_date"), row.getString("recorded_by"), Sql.instant(row, "recorded_at")));
                }
            }
        }
        return steps;
    }

    /**
     * Records a pending step's outcome; false when the step is no longer pending (recorded, waived or cancelled
     * meanwhile). Audited in the same transaction.
     */
    boolean record(Connection connection, Step step, Outcome outcome, String user, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE collection_step SET status = ?, outcome = ?, done_on = ?, notes = ?, reference = ?,
                    promised_amount_minor = ?, promised_date = ?, recorded_by = ?, recorded_at = ?
                WHERE case_id = ? AND position = ? AND status = 'PENDING'""")) {
            int i = 0;
            update.setString(++i, outcome.outcome() == StepOutcome.WAIVED ? "WAIVED" : "DONE");
            update.setString(++i, outcome.outcome().name());
            update.setDate(++i, Date.valueOf(outcome.doneOn()));
            Sql.setNullableText(update, ++i, outcome.notes());
            Sql.setNullableText(update, ++i, outcome.reference());
            update.setObject(++i, outcome.promisedAmountMinor());
            update.setDate(++i, outcome.promisedDate() == null ? null : Date.valueOf(outcome.promisedDate()));
            update.setString(++i, user);
            update.setTimestamp(++i, Sql.timestamp(now));
            update.setString(++i, step.caseId());
            update.setInt(++i, step.position());
            if (update.executeUpdate() == 0) {
                return false;
            }
        }
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("step", step.position() + " " + step.kind());
        after.put("outcome", outcome.outcome().name());
        after.put("doneOn", outcome.doneOn().toString());
        after.put("notes", outcome.notes());
        after.put("reference", outcome.reference());
        after.put("promisedAmountMinor", outcome.promisedAmountMinor());
        after.put("promisedDate", outcome.promisedDate() == null ? null : outcome.promisedDate().toString());
        audit.record(connection, now, user, "COLLECTION_STEP_RECORD", "collection-case", step.caseId(),
                Map.of("step", step.position() + " " + step.kind(), "status", step.status(), "dueDate", step.dueDate().toString()), after);
        return true;
    }

    /** Whether the user owns the case's borrower or has recorded a step of it: then another supervisor decides for it. */
    static boolean workedBy(Case c, List<Step> steps, String user) {
        return user.equals(c.officer()) || steps.stream().anyMatch(s -> user.equals(s.recordedBy()));
    }

    private static LocalDate date(ResultSet row, String column) throws SQLException {
        Date date = row.getDate(column);
        return date == null ? null : date.toLocalDate();
    }
}
