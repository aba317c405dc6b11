package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import java.time.LocalDate;

/**
 * Each active regime's classification of a borrower, from its days past due, material days past due and default,
 * as indicators ({@code inDefault}, {@code ifrs9Stage}, {@code loanCategory}, {@code smaClass},
 * {@code nonPerformingClaimsShare} for the regimes that define them) and as one sentence for the desk. The worst step
 * of any active regime is {@code regulatoryStep}, which the one regulatory-status rule escalates on:
 *
 * <pre>
 * 0 performing   1 past due (CN special mention, IN SMA-0, EU material arrears)   2 stage 2 (IN SMA-1)   3 IN SMA-2
 * 4 non-performing (EU default, CN substandard, IN NPA)   5 doubtful (CN, IN)   6 loss (CN)
 * </pre>
 *
 * Stateless: the only history a regime needs (EU default and cure) is kept by {@link Repayments}.
 */
final class RegulatoryStatus {
    static final int PERFORMING = 0;
    static final int PAST_DUE = 1;
    static final int STAGE_2 = 2;
    static final int SMA_2 = 3;
    static final int NON_PERFORMING = 4;
    static final int DOUBTFUL = 5;
    static final int LOSS = 6;

    /** Over this share of a borrower's claims non-performing, all its claims are (办法 art. 7 para. 2). */
    static final long PULL_IN_BASIS_POINTS = 1000;

    private RegulatoryStatus() {}

    /**
     * Sets the active regimes' indicators and {@code regulatoryStep}; returns the sentence, e.g.
     * {@code "EU: in default since 2026-06-30 (91 material days past due); IFRS 9 stage 3 | CN: substandard (91 days overdue); CAS 22 stage 3"}.
     */
    static String classify(IndicatorValues out, Repayments repayments, int today, long now, long claimsShare,
            RiskSettings settings) {
        int daysPastDue = (int) out.get(Indicator.DAYS_PAST_DUE);
        int materialDays = (int) out.get(Indicator.MATERIAL_DAYS_PAST_DUE);
        int step = PERFORMING;
        int stage = 1;
        StringBuilder text = new StringBuilder();
        if (settings.active(Regime.EU)) {
            // IFRS 9 5.5.11: more than 30 days past due presumes a significant increase in credit risk; the presumption
            // is rebuttable, and the bank rebuts it for arrears below the CRR materiality threshold, the same
            // definition its credit risk management uses (B5.5.37 asks for that consistency). Stage 3 is default.
            int euStage = repayments.inDefault ? 3 : materialDays > 30 ? 2 : 1;
            stage = Math.max(stage, euStage);
            step = Math.max(step, repayments.inDefault ? NON_PERFORMING : euStage == 2 ? STAGE_2 : materialDays > 0 ? PAST_DUE : PERFORMING);
            out.set(Indicator.IN_DEFAULT, repayments.inDefault ? 1 : 0, now);
            text.append("EU: ").append(euDefault(repayments, today, daysPastDue, materialDays, settings))
                    .append("; IFRS 9 stage ").append(euStage);
        }
        if (settings.active(Regime.CN)) {
            // 办法 art. 11-14: any overdue at least special mention, over 90 days substandard, 270 doubtful, 360 loss;
            // no money floor. CAS 22 stage 2 over 30 days overdue, stage 3 when credit-impaired (substandard or worse).
            int category = daysPastDue > 360 ? 5 : daysPastDue > 270 ? 4 : daysPastDue > 90 ? 3 : daysPastDue > 0 ? 2 : 1;
            int cnStage = category >= 3 ? 3 : daysPastDue > 30 ? 2 : 1;
            stage = Math.max(stage, cnStage);
            step = Math.max(step, switch (category) {
                case 5 -> LOSS;
                case 4 -> DOUBTFUL;
                case 3 -> NON_PERFORMING;
                default -> cnStage == 2 ? STAGE_2 : category == 2 ? PAST_DUE : PERFORMING;
            });
            out.set(Indicator.LOAN_CATEGORY, category, now);
            out.set(Indicator.NON_PERFORMING_CLAIMS_SHARE, claimsShare, now);
            separate(text).append("CN: ").append(CATEGORIES[category - 1]);
            if (daysPastDue > 0) {
                text.append(" (").append(days(daysPastDue)).append(" overdue)");
            }
            if (claimsShare > PULL_IN_BASIS_POINTS && claimsShare < 10_000) {
                text.append(", all claims non-performing: ").append(AlertEpisodes.format(dev.kestrel.events.IndicatorUnit.BASIS_POINTS, claimsShare, null))
                        .append(" of claims non-performing > 10% (art. 7)");
            }
            text.append("; CAS 22 stage ").append(cnStage);
        }
        if (settings.active(Regime.IN)) {
            // RBI, circular of 12 Nov 2021: classified in the day-end process of each calendar date, the due date's own
            // day-end counting as the first day overdue. The engine's count at the start of a day is the count at the
            // previous day's day-end, so each class falls on the day after RBI's date, which the text names.
            int sma = daysPastDue > 90 ? 4 : daysPastDue > 60 ? 3 : daysPastDue > 30 ? 2 : daysPastDue > 0 ? 1 : 0;
            boolean doubtful = daysPastDue > 90 + 365; // IRACP 4.1.3: substandard for 12 months
            int inStage = sma == 4 ? 3 : daysPastDue > 30 ? 2 : 1;
            stage = Math.max(stage, inStage);
            step = Math.max(step, doubtful ? DOUBTFUL : switch (sma) {
                case 4 -> NON_PERFORMING;
                case 3 -> SMA_2;
                case 2 -> STAGE_2;
                case 1 -> PAST_DUE;
                default -> PERFORMING;
            });
            out.set(Indicator.SMA_CLASS, sma, now);
            separate(text).append("IN: ");
            if (sma == 0) {
                text.append("standard");
            } else {
                int threshold = doubtful ? 90 + 365 : new int[] {0, 0, 30, 60, 90}[sma];
                text.append(doubtful ? "NPA, doubtful" : SMA[sma]).append(" since ")
                        .append(LocalDate.ofEpochDay(today - daysPastDue + threshold))
                        .append(" (RBI day-end, ").append(days(daysPastDue)).append(" overdue)");
            }
            text.append("; Ind AS 109 stage ").append(inStage);
        }
        out.set(Indicator.IFRS9_STAGE, stage, now);
        out.set(Indicator.REGULATORY_STEP, step, now);
        return text.toString();
    }

    /**
     * The worst active regime's status on the five-category scale (1 normal to 5 loss) that snapshots and the group
     * stage report: China's own category under CN; EU default and IN NPA count as substandard, IN doubtful as doubtful.
     */
    static int category(IndicatorValues values) {
        int step = values.has(Indicator.REGULATORY_STEP) ? (int) values.get(Indicator.REGULATORY_STEP) : PERFORMING;
        return switch (step) {
            case PERFORMING -> 1;
            case PAST_DUE, STAGE_2, SMA_2 -> 2;
            case NON_PERFORMING -> 3;
            case DOUBTFUL -> 4;
            default -> 5;
        };
    }

    private static String euDefault(Repayments repayments, int today, int daysPastDue, int materialDays, RiskSettings settings) {
        if (repayments.inDefault) {
            if (materialDays > 90) {
                return "in default since " + LocalDate.ofEpochDay(today - materialDays + 91) + " (" + materialDays
                        + " material days past due)";
            }
            if (repayments.curedSinceDay != Days.NONE) {
                return "in default, arrears cured on " + LocalDate.ofEpochDay(repayments.curedSinceDay) + ", probation until "
                        + LocalDate.ofEpochDay(settings.probationEnds(repayments.curedSinceDay));
            }
            return materialDays > 0 ? "in default (" + materialDays + " material days past due)" : "in default";
        }
        if (materialDays > 0) {
            return "not in default (" + materialDays + " material days past due)";
        }
        return daysPastDue > 0 ? "not in default (" + days(daysPastDue) + " past due, not material)" : "not in default";
    }

    private static StringBuilder separate(StringBuilder text) {
        return text.isEmpty() ? text : text.append(" | ");
    }

    private static String days(int days) {
        return days + (days == 1 ? " day" : " days");
    }

    private static final String[] CATEGORIES = {"normal", "special mention", "substandard", "doubtful", "loss"};
    private static final String[] SMA = {"standard", "SMA-0", "SMA-1", "SMA-2", "NPA"};
}
