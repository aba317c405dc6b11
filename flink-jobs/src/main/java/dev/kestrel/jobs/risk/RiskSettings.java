package dev.kestrel.jobs.risk;

import dev.kestrel.contract.RatingScale;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

/**
 * The thresholds that shape indicators rather than rules: which regulatory regimes classify, what counts as material
 * arrears, how long a cure must last, how far ahead reminders look; and the bank's internal rating scale, which tiers
 * the borrower's internal rating in snapshots. They come from the engine configuration.
 *
 * @param materialityFloorMinor arrears at or below this amount are never material: euro minor units under the EU regime
 *                              (CRR: EUR 500 for corporates), else minor units of the borrower's currency
 * @param materialityShareBasisPoints arrears at or below this share of exposure are never material (EU CRR: 1%)
 * @param cureProbationMonths calendar months without material arrears before a defaulted borrower is no longer in
 *                            default; 0 when the probation is given in days
 * @param cureProbationDays the probation in days, when not in months
 * @param reminderHorizonDays how many days ahead instalments are checked against the borrower's means
 * @param diversionWindowDays how long after a disbursement payments to new counterparties count as diversion
 * @param statementGraceDays days after the end of the next expected period before a statement is overdue
 * @param regimes the regulatory regimes that classify borrowers; never empty
 * @param internalRatingScale the bank's own rating scale, on which profiles give internalRating
 * @param silenceCheckDays after how many days without an event a borrower whose cash-flow windows still hold money is
 *                         evaluated day by day (and then every as many days); 0: never, only at its next event
 * @param reviewSchedule how often borrowers are reviewed, by watch grade
 */
public record RiskSettings(long materialityFloorMinor, long materialityShareBasisPoints, int cureProbationMonths,
        int cureProbationDays, int reminderHorizonDays, int diversionWindowDays, int statementGraceDays,
        Set<Regime> regimes, RatingScale internalRatingScale, int silenceCheckDays, ReviewSchedule reviewSchedule) implements Serializable {

    public RiskSettings {
        regimes = regimes.isEmpty() ? EnumSet.noneOf(Regime.class) : EnumSet.copyOf(regimes);
    }

    public static RiskSettings defaults() {
        return new RiskSettings(50_000L, 100L, 3, 0, 7, 7, 120, EnumSet.of(Regime.CN), RatingScale.LETTERS, 7, ReviewSchedule.defaults());
    }

    /** The same settings under other regimes. */
    public RiskSettings withRegimes(Set<Regime> active) {
        return new RiskSettings(materialityFloorMinor, materialityShareBasisPoints, cureProbationMonths, cureProbationDays,
                reminderHorizonDays, diversionWindowDays, statementGraceDays, active, internalRatingScale, silenceCheckDays, reviewSchedule);
    }

    /** The same settings with another review schedule. */
    public RiskSettings withReviewSchedule(ReviewSchedule schedule) {
        return new RiskSettings(materialityFloorMinor, materialityShareBasisPoints, cureProbationMonths, cureProbationDays,
                reminderHorizonDays, diversionWindowDays, statementGraceDays, regimes, internalRatingScale, silenceCheckDays, schedule);
    }

    public boolean active(Regime regime) {
        return regimes.contains(regime);
    }

    /** The day a cure that began on {@code curedDay} ends its probation. */
    public int probationEnds(int curedDay) {
        return cureProbationMonths > 0
                ? (int) LocalDate.ofEpochDay(curedDay).plusMonths(cureProbationMonths).toEpochDay()
                : curedDay + cureProbationDays;
    }
}
