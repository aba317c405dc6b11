package dev.kestrel.api.evidence;

import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.RepaymentEvent;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the {@code evidence_*} tables: the records on the input topics the engine judged a borrower on, kept as they came
 * (the contract's JSON form, field names as in docs/events.md) for the borrower page. Each is stored once by its id; a
 * statement sent again under its id (a restatement) replaces the one before when it is newer, as in the engine. Beside
 * them, the engine's word on each instalment (InstalmentStatus): the ledger's status and days late are the engine's.
 */
@Singleton
public class BorrowerEvidence {
    /** How many of each the page gets: enough for the years a file covers, bounded for a borrower with a long history. */
    static final int STATEMENTS = 24;
    static final int CREDIT_EVENTS = 200;
    static final int REPAYMENT_EVENTS = 600;
    static final int INSTALMENTS = 240;
    static final int VALUATIONS = 200;

    private final JsonColumns json;

    BorrowerEvidence(JsonColumns json) {
        this.json = json;
    }

    public void applyStatement(Connection connection, FinancialStatement statement) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO evidence_statement (statement_id, borrower_id, period_end, event_time, record) VALUES (?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (statement_id) DO UPDATE SET borrower_id = EXCLUDED.borrower_id, period_end = EXCLUDED.period_end,
                    event_time = EXCLUDED.event_time, record = EXCLUDED.record
                WHERE evidence_statement.event_time < EXCLUDED.event_time""")) {
            upsert.setString(1, statement.getStatementId());
            upsert.setString(2, statement.getBorrowerId());
            upsert.setDate(3, Date.valueOf(statement.getPeriodEnd()));
            upsert.setTimestamp(4, Sql.timestamp(statement.getEventTime()));
            upsert.setString(5, statement.toString());
            upsert.executeUpdate();
        }
    }

    public void applyCreditEvent(Connection connection, CreditEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO evidence_credit_event (event_id, borrower_id, event_time, record) VALUES (?, ?, ?, ?::jsonb)
                ON CONFLICT DO NOTHING""")) {
            insert.setString(1, event.getEventId());
            insert.setString(2, event.getBorrowerId());
            insert.setTimestamp(3, Sql.timestamp(event.getEventTime()));
            insert.setString(4, event.toString());
            insert.executeUpdate();
        }
    }

    public void applyRepayment(Connection connection, RepaymentEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO evidence_repayment (event_id, borrower_id, facility_id, instalment_id, due_date, event_time, record)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, event.getEventId());
            insert.setString(2, event.getBorrowerId());
            insert.setString(3, event.getFacilityId());
            insert.setString(4, event.getInstalmentId());
            insert.setDate(5, Date.valueOf(event.getDueDate()));
            insert.setTimestamp(6, Sql.timestamp(event.getEventTime()));
            insert.setString(7, event.toString());
            insert.executeUpdate();
        }
    }

    /**
     * Keeps the engine's latest word on the instalment. The engine writes an instalment's records in order, on one
     * partition; one as of an earlier day (a replay of the topic after a restart) does not replace a later one.
     */
    public void applyInstalment(Connection connection, InstalmentStatus status) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO evidence_instalment (borrower_id, facility_id, instalment_id, due_date, status, as_of, record)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (borrower_id, facility_id, instalment_id) DO UPDATE SET due_date = EXCLUDED.due_date,
                    status = EXCLUDED.status, as_of = EXCLUDED.as_of, record = EXCLUDED.record
                WHERE evidence_instalment.as_of <= EXCLUDED.as_of""")) {
            upsert.setString(1, status.getBorrowerId());
            upsert.setString(2, status.getFacilityId());
            upsert.setString(3, status.getInstalmentId());
            upsert.setDate(4, Date.valueOf(status.getDueDate()));
            upsert.setString(5, status.getStatus().name());
            upsert.setDate(6, Date.valueOf(status.getAsOf()));
            upsert.setString(7, status.toString());
            upsert.executeUpdate();
        }
    }

    public void applyValuation(Connection connection, CollateralValuation valuation) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO evidence_collateral (valuation_id, borrower_id, collateral_id, valuation_date, event_time, record)
                VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, valuation.getValuationId());
            insert.setString(2, valuation.getBorrowerId());
            insert.setString(3, valuation.getCollateralId());
            insert.setDate(4, Date.valueOf(valuation.getValuationDate()));
            insert.setTimestamp(5, Sql.timestamp(valuation.getEventTime()));
            insert.setString(6, valuation.toString());
            insert.executeUpdate();
        }
    }

    /** The borrower's statements, the latest period first. */
    List<JsonNode> statements(Connection connection, String borrowerId) throws SQLException {
        return records(connection, "SELECT record::text FROM evidence_statement WHERE borrower_id = ? "
                + "ORDER BY period_end DESC, event_time DESC LIMIT " + STATEMENTS, borrowerId);
    }

    /** Its bureau, court, tax and news records, the latest first. */
    List<JsonNode> creditEvents(Connection connection, String borrowerId) throws SQLException {
        return records(connection, "SELECT record::text FROM evidence_credit_event WHERE borrower_id = ? "
                + "ORDER BY event_time DESC, event_id LIMIT " + CREDIT_EVENTS, borrowerId);
    }

    /** Its repayment events, the latest instalments first, each instalment's events in the order they happened. */
    List<JsonNode> repayments(Connection connection, String borrowerId) throws SQLException {
        return records(connection, "SELECT record::text FROM evidence_repayment WHERE borrower_id = ? "
                + "ORDER BY due_date DESC, facility_id, instalment_id, event_time, event_id LIMIT " + REPAYMENT_EVENTS, borrowerId);
    }

    /** Some of a borrower's instalments, and how many it has in all. */
    record Instalments(List<JsonNode> shown, int total) {}

    /**
     * The engine's word on each of its instalments, what an officer must see first first: those past due, the oldest
     * first; then those still to pay, the soonest first; then the settled and superseded, the latest due first. A loan
     * whose whole schedule was sent has hundreds: the cut falls on the oldest settled or the furthest to pay, not on
     * the arrears.
     */
    Instalments instalments(Connection connection, String borrowerId) throws SQLException {
        List<JsonNode> shown = new ArrayList<>();
        int total = 0;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT record::text, count(*) OVER () FROM evidence_instalment WHERE borrower_id = ?
                ORDER BY CASE status WHEN 'PAST_DUE' THEN 0 WHEN 'DUE' THEN 1 ELSE 2 END,
                    CASE WHEN status IN ('PAST_DUE', 'DUE') THEN due_date END, due_date DESC, facility_id, instalment_id
                LIMIT ?""")) {
            select.setString(1, borrowerId);
            select.setInt(2, INSTALMENTS);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    shown.add(json.tree(row.getString(1)));
                    total = row.getInt(2);
                }
            }
        }
        return new Instalments(shown, total);
    }

    /** Its collateral valuations, by item, the latest first. */
    List<JsonNode> valuations(Connection connection, String borrowerId) throws SQLException {
        return records(connection, "SELECT record::text FROM evidence_collateral WHERE borrower_id = ? "
                + "ORDER BY collateral_id, valuation_date DESC, event_time DESC LIMIT " + VALUATIONS, borrowerId);
    }

    private List<JsonNode> records(Connection connection, String sql, String borrowerId) throws SQLException {
        List<JsonNode> records = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, borrowerId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    records.add(json.tree(row.getString(1)));
                }
            }
        }
        return records;
    }
}
