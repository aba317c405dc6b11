package dev.kestrel.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How well scores rank borrowers that defaulted above those that did not: the measures a model validator reads.
 * Higher scores mean riskier.
 */
public final class Ranking {
    private Ranking() {}

    /**
     * The area under the ROC curve: the chance that a sample that defaulted scored higher than one that did not, ties
     * counting half (Mann-Whitney's U by ranks); NaN when either kind is missing.
     */
    public static double auc(long[] scores, boolean[] defaulted) {
        Integer[] order = order(scores);
        double rankSumBad = 0;
        long bad = 0;
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + 1 + j) / 2.0; // the average of ranks i+1..j, for ties
            for (int k = i; k < j; k++) {
                if (defaulted[order[k]]) {
                    rankSumBad += rank;
                    bad++;
                }
            }
            i = j;
        }
        long good = scores.length - bad;
        return bad == 0 || good == 0 ? Double.NaN : (rankSumBad - bad * (bad + 1) / 2.0) / (bad * (double) good);
    }

    /**
     * Kolmogorov-Smirnov: the largest gap, over every score threshold, between the share of defaulted samples and the
     * share of the others at or above it; NaN when either kind is missing.
     */
    public static double ks(long[] scores, boolean[] defaulted) {
        Integer[] order = order(scores);
        long bad = 0;
        for (boolean d : defaulted) {
            bad += d ? 1 : 0;
        }
        long good = scores.length - bad;
        if (bad == 0 || good == 0) {
            return Double.NaN;
        }
        double best = 0;
        long badAbove = 0;
        long goodAbove = 0;
        for (int i = order.length - 1; i >= 0; ) { // from the highest score down, a tie group at a time
            int j = i;
            while (j >= 0 && scores[order[j]] == scores[order[i]]) {
                if (defaulted[order[j]]) {
                    badAbove++;
                } else {
                    goodAbove++;
                }
                j--;
            }
            best = Math.max(best, Math.abs((double) badAbove / bad - (double) goodAbove / good));
            i = j;
        }
        return best;
    }

    /**
     * The default rate of each tenth of the samples, riskiest tenth first, over the default rate of all: 3.0 means the
     * tenth defaulted three times as often as the book. Samples with one score stay in one tenth, by their order.
     */
    public static List<Double> liftByDecile(long[] scores, boolean[] defaulted) {
        Integer[] order = order(scores);
        long bad = 0;
        for (boolean d : defaulted) {
            bad += d ? 1 : 0;
        }
        double rate = (double) bad / Math.max(1, scores.length);
        List<Double> lift = new ArrayList<>();
        for (int decile = 0; decile < 10; decile++) {
            int from = (int) ((long) scores.length * decile / 10);
            int to = (int) ((long) scores.length * (decile + 1) / 10);
            long decileBad = 0;
            for (int k = from; k < to; k++) {
                decileBad += defaulted[order[order.length - 1 - k]] ? 1 : 0;
            }
            lift.add(to == from || rate == 0 ? Double.NaN : (double) decileBad / (to - from) / rate);
        }
        return lift;
    }

    /** Sample indexes by ascending score, ties in sample order. */
    private static Integer[] order(long[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingLong(i -> scores[i]));
        return order;
    }
}
