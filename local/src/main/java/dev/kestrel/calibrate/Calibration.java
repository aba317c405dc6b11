package dev.kestrel.calibrate;

import dev.kestrel.events.ScoreBin;
import dev.kestrel.events.ScoreFactor;
import dev.kestrel.events.Scorecard;
import dev.kestrel.jobs.score.CompiledScorecard;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a scorecard's points to a bank's history: keeps the base scorecard's factors, bins, scaling and grades, and
 * sets each bin's points (and each factor's unknown and not-applicable points) from a logistic regression of "defaulted
 * within the horizon after a month-end cut-off" on the bins each borrower was in at the cut-off. Points are the
 * coefficients on the scorecard's scale ({@code pointsToDoubleOdds / ln 2} points per unit of log-odds), so the
 * candidate's PD reads as the fitted probability.
 */
final class Calibration {
    /** One borrower at one cut-off: the bin of each factor (or unknown, not applicable), and whether it defaulted after. */
    record Sample(String borrowerId, LocalDate cutOff, int[] bins, boolean defaulted) {}

    /** One column of the regression: a factor's bin, or its unknown or not-applicable state. */
    private record Column(int factor, int bin) {}

    private Calibration() {}

    /**
     * The candidate: the base scorecard with fitted points, one version above it.
     *
     * @param ridge the penalty on the coefficients; see {@link LogisticRegression}
     */
    static Scorecard fit(Scorecard base, List<Sample> training, double ridge, String source, Instant now) {
        double pointsPerLogit = base.getScaling().getPointsToDoubleOdds() / Math.log(2);
        // A bin too few training samples fall in is not fitted: it keeps the base scorecard's points, which move the
        // samples in it by a fixed offset, rather than points guessed from a handful of borrowers.
        List<Column> all = columns(base);
        List<Column> columns = new ArrayList<>();
        List<Column> fixed = new ArrayList<>();
        for (Column column : all) {
            long support = training.stream().filter(s -> s.bins()[column.factor()] == column.bin()).count();
            (support >= MIN_SUPPORT ? columns : fixed).add(column);
        }
        boolean[][] features = new boolean[training.size()][columns.size()];
        boolean[] outcomes = new boolean[training.size()];
        double[] offset = new double[training.size()];
        for (int i = 0; i < training.size(); i++) {
            Sample sample = training.get(i);
            outcomes[i] = sample.defaulted();
            for (int c = 0; c < columns.size(); c++) {
                Column column = columns.get(c);
                features[i][c] = sample.bins()[column.factor()] == column.bin();
            }
            for (Column column : fixed) {
                if (sample.bins()[column.factor()] == column.bin()) {
                    offset[i] += basePoints(base, column) / pointsPerLogit;
                }
            }
        }
        double[] beta = LogisticRegression.fit(features, outcomes, offset, ridge);
        double anchorPd = base.getScaling().getAnchorPdBasisPoints() / 10_000.0;
        double anchorLogit = Math.log(anchorPd / (1 - anchorPd));
        Scorecard candidate = Scorecard.newBuilder(base).build();
        candidate.setVersion(base.getVersion() + 1);
        candidate.setBasePoints(points(base.getScaling().getAnchorScore() + (beta[0] - anchorLogit) * pointsPerLogit));
        List<ScoreFactor> factors = new ArrayList<>();
        for (int f = 0; f < base.getFactors().size(); f++) {
            ScoreFactor factor = ScoreFactor.newBuilder(base.getFactors().get(f)).build();
            List<ScoreBin> bins = new ArrayList<>();
            for (int b = 0; b < factor.getBins().size(); b++) {
                ScoreBin bin = ScoreBin.newBuilder(factor.getBins().get(b)).build();
                bin.setPoints(fitted(base, columns, fixed, beta, f, b, pointsPerLogit));
                bins.add(bin);
            }
            factor.setBins(bins);
            factor.setUnknownPoints(fitted(base, columns, fixed, beta, f, CompiledScorecard.UNKNOWN_BIN, pointsPerLogit));
            factor.setNotApplicablePoints(fitted(base, columns, fixed, beta, f, CompiledScorecard.NOT_APPLICABLE_BIN, pointsPerLogit));
            factors.add(factor);
        }
        candidate.setFactors(factors);
        candidate.setTitle("Candidate fitted on " + source);
        candidate.setRationale(String.format(java.util.Locale.ROOT, "Points fitted by ./kestrel calibrate to %s: a ridge (%.2f) "
                + "logistic regression of default within the horizon on the bins of %s v%d, at month-end cut-offs whose "
                + "horizon the history covers, on %,d samples of the training split; a bin with fewer than %d samples keeps "
                + "its points. Factors, bins, scaling and grades are the base scorecard's. Review the hold-out report and a "
                + "shadow run before publishing.", source, ridge, base.getScorecardId(), base.getVersion(), training.size(), MIN_SUPPORT));
        candidate.setPublishedBy("kestrel calibrate");
        candidate.setPublishedAt(now);
        return candidate;
    }

    /**
     * The regression's columns: per factor, each bin but its reference (the first the base scorecard gives no points,
     * else its first), then its unknown and not-applicable states. The reference is the zero of the factor's points.
     */
    private static List<Column> columns(Scorecard base) {
        List<Column> columns = new ArrayList<>();
        for (int f = 0; f < base.getFactors().size(); f++) {
            int reference = reference(base.getFactors().get(f));
            for (int b = 0; b < base.getFactors().get(f).getBins().size(); b++) {
                if (b != reference) {
                    columns.add(new Column(f, b));
                }
            }
            columns.add(new Column(f, CompiledScorecard.UNKNOWN_BIN));
            columns.add(new Column(f, CompiledScorecard.NOT_APPLICABLE_BIN));
        }
        return columns;
    }

    private static int reference(ScoreFactor factor) {
        for (int b = 0; b < factor.getBins().size(); b++) {
            if (factor.getBins().get(b).getPoints() == 0) {
                return b;
            }
        }
        return 0;
    }

    /** Samples a bin needs in the training split to have its points fitted. */
    static final int MIN_SUPPORT = 30;

    /** A bin's points: fitted, the base scorecard's when it had too few samples, 0 for a factor's reference bin. */
    private static int fitted(Scorecard base, List<Column> columns, List<Column> fixed, double[] beta, int factor, int bin,
            double pointsPerLogit) {
        Column column = new Column(factor, bin);
        if (fixed.contains(column)) {
            return basePoints(base, column);
        }
        return points(coefficient(columns, beta, factor, bin) * pointsPerLogit);
    }

    private static int basePoints(Scorecard base, Column column) {
        ScoreFactor factor = base.getFactors().get(column.factor());
        return switch (column.bin()) {
            case CompiledScorecard.UNKNOWN_BIN -> factor.getUnknownPoints();
            case CompiledScorecard.NOT_APPLICABLE_BIN -> factor.getNotApplicablePoints();
            default -> factor.getBins().get(column.bin()).getPoints();
        };
    }

    private static double coefficient(List<Column> columns, double[] beta, int factor, int bin) {
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).factor() == factor && columns.get(c).bin() == bin) {
                return beta[c + 1];
            }
        }
        return 0; // the reference bin
    }

    private static int points(double value) {
        return (int) Math.max(-100_000, Math.min(100_000, Math.round(value)));
    }

    /** A sample's score under a scorecard: its base points plus the points of each factor's bin. */
    static int score(Scorecard card, int[] bins) {
        int score = card.getBasePoints();
        for (int f = 0; f < bins.length; f++) {
            ScoreFactor factor = card.getFactors().get(f);
            score += switch (bins[f]) {
                case CompiledScorecard.UNKNOWN_BIN -> factor.getUnknownPoints();
                case CompiledScorecard.NOT_APPLICABLE_BIN -> factor.getNotApplicablePoints();
                default -> factor.getBins().get(bins[f]).getPoints();
            };
        }
        return score;
    }
}
