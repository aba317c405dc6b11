package dev.kestrel.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The fit recovers what a credit analyst computes by hand from a two-bin table. */
class LogisticRegressionTest {

    @Test
    void recoversTheLogOddsOfEachBinFromItsDefaultRate() {
        // 100 borrowers outside the bin, 20 of them defaulted; 100 inside, 50 defaulted.
        boolean[][] features = new boolean[200][1];
        boolean[] outcomes = new boolean[200];
        for (int i = 0; i < 200; i++) {
            features[i][0] = i >= 100;
            outcomes[i] = i < 20 || (i >= 100 && i < 150);
        }

        double[] beta = LogisticRegression.fit(features, outcomes, 1e-9);

        assertThat(beta[0]).as("log(20/80)").isCloseTo(Math.log(20.0 / 80), within(1e-6));
        assertThat(beta[1]).as("log(50/50) - log(20/80)").isCloseTo(Math.log(1) - Math.log(20.0 / 80), within(1e-6));
    }

    @Test
    void theRidgeKeepsABinThatSeparatesPerfectlyFinite() {
        // Every borrower in the bin defaulted: without a penalty its log-odds would run to infinity.
        boolean[][] features = new boolean[100][1];
        boolean[] outcomes = new boolean[100];
        for (int i = 0; i < 100; i++) {
            features[i][0] = i < 10;
            outcomes[i] = i < 10 || i == 50;
        }

        double[] beta = LogisticRegression.fit(features, outcomes, 1.0);

        assertThat(beta[1]).isPositive().isLessThan(10);
    }
}
