package dev.kestrel.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ranking measures on five samples, checked by hand. */
class RankingTest {
    // Scores 10 to 50; the two highest defaulted, and the lowest.
    private static final long[] SCORES = {10, 20, 30, 40, 50};
    private static final boolean[] DEFAULTED = {true, false, false, true, true};

    @Test
    void aucCountsThePairsADefaultedSampleOutranks() {
        // Bad 50 and 40 beat both goods (20, 30): 4 pairs; bad 10 beats none: 4 of 6.
        assertThat(Ranking.auc(SCORES, DEFAULTED)).isEqualTo(4.0 / 6);
    }

    @Test
    void ksIsTheWidestGapBetweenTheCumulativeShares() {
        // At >= 40: 2 of 3 bad, 0 of 2 good: 0.667, the widest.
        assertThat(Ranking.ks(SCORES, DEFAULTED)).isEqualTo(2.0 / 3);
    }

    @Test
    void liftComparesEachTenthsDefaultRateWithTheBooks() {
        long[] scores = new long[20];
        boolean[] defaulted = new boolean[20];
        for (int i = 0; i < 20; i++) {
            scores[i] = i;
            defaulted[i] = i >= 18; // the two riskiest: the top tenth
        }

        assertThat(Ranking.liftByDecile(scores, defaulted)).containsExactly(10.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    }
}
