package dev.kestrel.jobs.risk;

import java.io.Serializable;

/**
 * The thresholds that shape indicators rather than rules: what counts as material arrears, how long a cure must
 * last, how far ahead reminders look. They come from the engine configuration.
 *
 * @param materialityFloorMinor arrears at or below this amount are never material (EU CRR: EUR 500 for corporates)
 * @param materialityShareBasisPoints arrears at or below this share of exposure are never material (EU CRR: 1%)
 * @param cureProbationDays days without material arrears before a defaulted borrower is no longer in default
 * @param reminderHorizonDays how many days ahead instalments are checked against the borrower's means
 * @param diversionWindowDays how long after a disbursement payments to new counterparties count as diversion
 * @param statementGraceDays days after the end of the next expected period before a statement is overdue
 */
public record RiskSettings(long materialityFloorMinor, long materialityShareBasisPoints, int cureProbationDays,
        int reminderHorizonDays, int diversionWindowDays, int statementGraceDays) implements Serializable {

    public static RiskSettings defaults() {
        return new RiskSettings(50_000L, 100L, 90, 7, 7, 120);
    }
}
