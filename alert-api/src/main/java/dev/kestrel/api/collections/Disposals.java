package dev.kestrel.api.collections;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.borrowers.BorrowerStore.FacilityExposure;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns {@code disposal_decision} and {@code disposal_progress}: how the desk disposes of a claim the engine classifies
 * non-performing (不良资产处置), decided by two people, and what each step of the disposal recovered. Reads the figures a
 * decision rests on from the engine's latest snapshot and its history, and from the case's own steps.
 */
@Singleton
public class Disposals {
    /** The engine's indicators a disposal weighs, when it has them: cash flow, others' claims, collateral. */
    static final List<String> INDICATORS = List.of("inflow30d", "outflow30d", "negativeOperatingCashFlowPeriods",
            "lawsuits365d", "enforcement365d", "overdueElsewhere", "loanToValue");

    private final JsonColumns json;
    private final AuditLog audit;

    Disposals(JsonColumns json, AuditLog audit) {
        this.json = json;
        this.audit = audit;
    }

    /**
     * A facility's figures for a disposal: the engine's, and its drawn amount not covered by collateral (null when
     * collateral is pledged at a value the engine could not convert into the facility's currency: unknown, not 0).
     */
    @Serdeable
    public record Facility(String facilityId, @Nullable String currency, long drawnMinor, long overdueMinor, int daysPastDue,
                           boolean nonPerforming, boolean secured, @Nullable Long collateralLendingValueMinor,
                           @Nullable Long uncoveredMinor) {
    }

    /**
     * What a disposal decision rests on. Exposure, arrears, classification and collateral are the engine's latest
     * snapshot ({@code asOf}); {@code collateralLendingValueMinor} and {@code uncoveredMinor} are summed over the
     * facilities, and null when one is in another currency than the borrower's (the desk converts nothing) or its
     * collateral's value is unknown. {@code nonPerformingFrom}: the first snapshot of the borrower's current run of
     * non-performing classifications, as the desk's history of snapshots holds it; {@code drawnFallSinceNonPerformingMinor}:
     * the net fall of the drawn amount since then (repayments, less new drawings, and any disposal the bank's books
     * already show, so it can overlap {@code recoveredByDisposalMinor}). {@code lastInterruptionOn}: the latest step of
     * the case's ladder that interrupted limitation ({@code lastInterruption} DEMAND, PROMISE or CLAIM_FILED); the
     * three-year period runs again from a demand or a written promise to {@code limitationRunsTo}, and after a claim
     * filed only when its proceedings end (null).
     */
    @Serdeable
    public record Figures(Instant asOf, @Nullable String currency, long drawnMinor, @Nullable Long overdueMinor, int daysPastDue,
                          String loanCategory, boolean inDefault, @Nullable Long collateralLendingValueMinor,
                          @Nullable Long uncoveredMinor, List<Facility> facilities, @Nullable Instant nonPerformingFrom,
                          @Nullable Long drawnAtNonPerformingMinor, @Nullable Long drawnFallSinceNonPerformingMinor,
                          long recoveredByDisposalMinor, @Nullable LocalDate lastInterruptionOn, @Nullable String lastInterruption,
                          @Nullable LocalDate limitationRunsTo, Map<String, Long> indicators) {
    }

    record Decision(String decisionId, String caseId, String option, String rationale, long expectedRecoveryMinor,
                    String figures, String status, String proposedBy, Instant proposedAt, @Nullable String decidedBy,
                    @Nullable Instant decidedAt, @Nullable String decisionNote) {
    }

    record Progress(long progressId, String decisionId, LocalDate onDate, String note, @Nullable Long recoveredMinor,
                    String recordedBy, Instant recordedAt) {
    }

    /** The figures now, or null when the engine has no snapshot of the borrower. */
    Figures figures(Connection connection, CollectionCases.Case c, List<CollectionCases.Step> steps) throws SQLException {
        Instant asOf;
        String currency;
        long drawn;
        int daysPastDue;
        String category;
        boolean inDefault;
        String facilitiesJson;
        Map<String, Long> indicators = new LinkedHashMap<>();
        Long overdue;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT as_of, currency, drawn_minor, days_past_due, loan_category, in_default, facilities::text AS facilities,
                    indicators::text AS indicators FROM borrower_snapshot WHERE borrower_id = ?""")) {
            select.setString(1, c.borrowerId());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                asOf = Sql.instant(row, "as_of");
                currency = row.getString("currency");
                drawn = row.getLong("drawn_minor");
                daysPastDue = row.getInt("days_past_due");
                category = row.getString("loan_category");
                inDefault = row.getBoolean("in_default");
                facilitiesJson = row.getString("facilities");
                io.micronaut.json.tree.JsonNode values = json.tree(row.getString("indicators"));
                overdue = value(values, "overdueAmount");
                for (String name : INDICATORS) {
                    Long value = value(values, name);
                    if (value != null) {
                        indicators.put(name, value);
                    }
                }
            }
        }
        List<Facility> facilities = new ArrayList<>();
        Long lending = 0L;
        Long uncovered = 0L;
        for (FacilityExposure f : Arrays.asList(json.read(facilitiesJson, FacilityExposure[].class))) {
            Long cover = f.collateralLendingValueMinor();
            boolean coverUnknown = cover == null && Boolean.TRUE.equals(f.secured());
            Long shortfall = coverUnknown ? null : cover == null ? f.drawnMinor() : Math.max(0, f.drawnMinor() - cover);
            facilities.add(new Facility(f.facilityId(), f.currency(), f.drawnMinor(), f.overdueMinor(), f.daysPastDue(),
                    f.nonPerforming(), Boolean.TRUE.equals(f.secured()), cover, shortfall));
            // A facility known only from repayments draws nothing; one in another currency is not summed unconverted.
            boolean inBorrowerCurrency = f.currency() == null ? f.drawnMinor() == 0 : f.currency().equals(currency);
            if (!inBorrowerCurrency || coverUnknown) {
                lending = null;
                uncovered = null;
            } else if (lending != null) {
                lending += cover == null ? 0 : cover;
                uncovered += shortfall;
            }
        }
        Instant nonPerformingFrom = null;
        Long drawnAtNonPerforming = null;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT as_of, drawn_minor FROM indicator_history h
                WHERE h.borrower_id = ? AND h.loan_category IN ('SUBSTANDARD', 'DOUBTFUL', 'LOSS')
                  AND h.as_of > coalesce((SELECT max(p.as_of) FROM indicator_history p WHERE p.borrower_id = h.borrower_id
                                          AND p.loan_category NOT IN ('SUBSTANDARD', 'DOUBTFUL', 'LOSS')), '-infinity')
                ORDER BY h.as_of LIMIT 1""")) {
            select.setString(1, c.borrowerId());
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    nonPerformingFrom = Sql.instant(row, "as_of");
                    drawnAtNonPerforming = row.getLong("drawn_minor");
                }
            }
        }
        long recovered = 0;
        for (Progress p : progress(connection, c.caseId())) {
            recovered += p.recoveredMinor() == null ? 0 : p.recoveredMinor();
        }
        CollectionCases.Step interruption = null;
        String kind = null;
        for (CollectionCases.Step step : steps) {
            String how = interruption(step);
            if (how != null && (interruption == null || !step.doneOn().isBefore(interruption.doneOn()))) {
                interruption = step;
                kind = how;
            }
        }
        return new Figures(asOf, currency, drawn, overdue, daysPastDue, category, inDefault, lending, uncovered,
                facilities, nonPerformingFrom, drawnAtNonPerforming,
                drawnAtNonPerforming == null ? null : Math.max(0, drawnAtNonPerforming - drawn), recovered,
                interruption == null ? null : interruption.doneOn(), kind,
                interruption == null || kind.equals("CLAIM_FILED") ? null : interruption.doneOn().plusYears(LIMITATION_YEARS),
                indicators);
    }

    /** PRC Civil Code art. 188: three years; art. 195 starts them again from a creditor's demand or claim. */
    static final int LIMITATION_YEARS = 3;

    /**
     * How a step of the ladder interrupted limitation (PRC Civil Code art. 195), or null: a claim filed (FILED, 195(3):
     * the period starts again when the proceedings end); a formal or lawyer's demand done with its proof of delivery,
     * whatever the borrower answered (195(1)); a promise to pay with written evidence, its reference (195(2)).
     */
    static String interruption(CollectionCases.Step step) {
        if (step.doneOn() == null || "WAIVED".equals(step.outcome())) {
            return null;
        }
        if ("FILED".equals(step.outcome())) {
            return "CLAIM_FILED";
        }
        boolean demand = step.kind().equals(StepKind.FORMAL_LETTER.name()) || step.kind().equals(StepKind.LAWYERS_LETTER.name());
        if (step.reference() != null && demand) {
            return "DEMAND";
        }
        return step.reference() != null && "PROMISE_TO_PAY".equals(step.outcome()) ? "PROMISE" : null;
    }

    private static Long value(io.micronaut.json.tree.JsonNode indicators, String name) {
        io.micronaut.json.tree.JsonNode indicator = indicators == null ? null : indicators.get(name);
        io.micronaut.json.tree.JsonNode value = indicator == null ? null : indicator.get("value");
        return value == null || !value.isNumber() ? null : value.getLongValue();
    }

    /** Stores a proposal; false when another proposal of the case waits for its second person. */
    boolean propose(Connection connection, Decision decision) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO disposal_decision (decision_id, case_id, option, rationale, expected_recovery_minor, figures, status,
                    proposed_by, proposed_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, 'PROPOSED', ?, ?) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, decision.decisionId());
            insert.setString(2, decision.caseId());
            insert.setString(3, decision.option());
            insert.setString(4, decision.rationale());
            insert.setLong(5, decision.expectedRecoveryMinor());
            insert.setString(6, decision.figures());
            insert.setString(7, decision.proposedBy());
            insert.setTimestamp(8, Sql.timestamp(decision.proposedAt()));
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("decisionId", decision.decisionId());
        after.put("option", decision.option());
        after.put("rationale", decision.rationale());
        after.put("expectedRecoveryMinor", decision.expectedRecoveryMinor());
        after.put("figures", json.tree(decision.figures()));
        audit.record(connection, decision.proposedAt(), decision.proposedBy(), "DISPOSAL_PROPOSE", "collection-case",
                decision.caseId(), null, after);
        return true;
    }

    /** Approves or rejects a proposal; false when it is no longer PROPOSED. */
    boolean decide(Connection connection, Decision decision, boolean approve, String supervisor, @Nullable String note, Instant at)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE disposal_decision SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?
                WHERE decision_id = ? AND status = 'PROPOSED'""")) {
            update.setString(1, approve ? "APPROVED" : "REJECTED");
            update.setString(2, supervisor);
            update.setTimestamp(3, Sql.timestamp(at));
            Sql.setNullableText(update, 4, note);
            update.setString(5, decision.decisionId());
            if (update.executeUpdate() == 0) {
                return false;
            }
        }
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("decisionId", decision.decisionId());
        after.put("option", decision.option());
        after.put("note", note);
        audit.record(connection, at, supervisor, approve ? "DISPOSAL_APPROVE" : "DISPOSAL_REJECT", "collection-case",
                decision.caseId(), Map.of("status", "PROPOSED", "proposedBy", decision.proposedBy()), after);
        return true;
    }

    /** Records progress; false when the same day, note and amount are recorded already (a retry, a double click). */
    boolean recordProgress(Connection connection, String caseId, Progress progress) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO disposal_progress (case_id, decision_id, on_date, note, recovered_minor, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            insert.setString(1, caseId);
            insert.setString(2, progress.decisionId());
            insert.setDate(3, Date.valueOf(progress.onDate()));
            insert.setString(4, progress.note());
            insert.setObject(5, progress.recoveredMinor());
            insert.setString(6, progress.recordedBy());
            insert.setTimestamp(7, Sql.timestamp(progress.recordedAt()));
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("decisionId", progress.decisionId());
        after.put("onDate", progress.onDate().toString());
        after.put("note", progress.note());
        after.put("recoveredMinor", progress.recoveredMinor());
        audit.record(connection, progress.recordedAt(), progress.recordedBy(), "DISPOSAL_PROGRESS", "collection-case", caseId,
                null, after);
        return true;
    }

    /**
     * Why {@code user}, a supervisor, may not decide the proposal, or null. Four eyes twice over: not whoever proposed
     * it, and not whoever owns or worked the case (its steps or the disposal's progress), whose judgement it checks.
     */
    static String whyNotDecider(CollectionCases.Case c, List<CollectionCases.Step> steps, List<Progress> progress,
                                Decision decision, String user) {
        if (decision.proposedBy().equals(user)) {
            return "four eyes: " + user + " proposed this disposal, and another supervisor decides it";
        }
        if (CollectionCases.workedBy(c, steps, user) || progress.stream().anyMatch(p -> p.recordedBy().equals(user))) {
            return user + " owns or has worked this case: a supervisor who has not decides its disposal";
        }
        return null;
    }

    /** The case's decisions, the first proposed first. */
    List<Decision> decisions(Connection connection, String caseId) throws SQLException {
        return select(connection, "case_id = ?", List.of(caseId), Integer.MAX_VALUE);
    }

    /** Proposals still to be decided, of any case, of one proposer or of everyone, the longest waiting first. */
    List<Decision> proposed(Connection connection, @Nullable String proposedBy, int limit) throws SQLException {
        return select(connection, "status = 'PROPOSED' AND (?::text IS NULL OR proposed_by = ?::text)",
                Arrays.asList(proposedBy, proposedBy), limit);
    }

    private List<Decision> select(Connection connection, String where, List<String> parameters, int limit) throws SQLException {
        List<Decision> decisions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT decision_id, case_id, option, rationale, expected_recovery_minor, figures::text AS figures, status,
                    proposed_by, proposed_at, decided_by, decided_at, decision_note
                FROM disposal_decision WHERE %s ORDER BY proposed_at, decision_id LIMIT ?""".formatted(where))) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setString(i + 1, parameters.get(i));
            }
            select.setInt(parameters.size() + 1, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    decisions.add(new Decision(row.getString("decision_id"), row.getString("case_id"), row.getString("option"),
                            row.getString("rationale"), row.getLong("expected_recovery_minor"), row.getString("figures"),
                            row.getString("status"), row.getString("proposed_by"), Sql.instant(row, "proposed_at"),
                            row.getString("decided_by"), Sql.instant(row, "decided_at"), row.getString("decision_note")));
                }
            }
        }
        return decisions;
    }

    /** The case's progress, in the order it happened. */
    List<Progress> progress(Connection connection, String caseId) throws SQLException {
        List<Progress> progress = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT progress_id, decision_id, on_date, note, recovered_minor, recorded_by, recorded_at
                FROM disposal_progress WHERE case_id = ? ORDER BY on_date, progress_id""")) {
            select.setString(1, caseId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    progress.add(new Progress(row.getLong("progress_id"), row.getString("decision_id"),
                            row.getDate("on_date").toLocalDate(), row.getString("note"), Sql.nullableLong(row, "recovered_minor"),
                            row.getString("recorded_by"), Sql.instant(row, "recorded_at")));
                }
            }
        }
        return progress;
    }

    String write(Figures figures) {
        return json.write(figures);
    }
}
