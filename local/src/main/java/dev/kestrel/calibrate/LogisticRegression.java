package dev.kestrel.calibrate;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * A logistic regression of 0/1 outcomes on 0/1 features (a factor's bins, one column each), fitted by iteratively
 * reweighted least squares with a ridge penalty on every coefficient but the intercept: the penalty keeps the points of
 * a bin few borrowers fall in, or one that separates perfectly, finite and small instead of infinite. Each step solves
 * its normal equations with Apache Commons Math's Cholesky decomposition.
 */
final class LogisticRegression {
    private static final int MAX_ITERATIONS = 50;
    private static final double TOLERANCE = 1e-8;

    private LogisticRegression() {}


    /**
     * The coefficients, intercept first.
     *
     * @param features one row per sample, each a 0/1 column per feature
     * @param outcomes 1 for a default within the horizon, 0 otherwise
     * @param ridge    the penalty on the squared coefficients (not the intercept)
     */
    static double[] fit(boolean[][] features, boolean[] outcomes, double ridge) {
        return fit(features, outcomes, new double[outcomes.length], ridge);
    }

    /**
     * As {@link #fit(boolean[][], boolean[], double)}, each sample's log-odds moved by a fixed {@code offset}: what
     * features not fitted (their points kept) add to it.
     */
    static double[] fit(boolean[][] features, boolean[] outcomes, double[] offset, double ridge) {
        int n = features.length;
        int p = features.length == 0 ? 1 : features[0].length + 1;
        double[] beta = new double[p];
        double bads = 0;
        for (boolean outcome : outcomes) {
            bads += outcome ? 1 : 0;
        }
        // Start from the base rate, so the first step is already near.
        beta[0] = Math.log((bads + 0.5) / (n - bads + 0.5));
        double current = penalisedLogLikelihood(features, outcomes, offset, beta, ridge);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[][] information = new double[p][p];
            double[] gradient = new double[p];
            for (int i = 0; i < n; i++) {
                double mu = 1 / (1 + Math.exp(-(eta(features[i], beta) + offset[i])));
                double weight = Math.max(mu * (1 - mu), 1e-10);
                double residual = (outcomes[i] ? 1 : 0) - mu;
                // x_0 = 1 (the intercept); the other columns are 0 or 1, so a product is a sum over the ones set.
                int[] ones = ones(features[i]);
                gradient[0] += residual;
                information[0][0] += weight;
                for (int a : ones) {
                    gradient[a + 1] += residual;
                    information[0][a + 1] += weight;
                    information[a + 1][0] += weight;
                    for (int b : ones) {
                        information[a + 1][b + 1] += weight;
                    }
                }
            }
            for (int j = 1; j < p; j++) {
                gradient[j] -= ridge * beta[j];
                information[j][j] += ridge;
            }
            RealMatrix matrix = new Array2DRowRealMatrix(information, false);
            RealVector step = new CholeskyDecomposition(matrix, 1e-12, 1e-14).getSolver().solve(new ArrayRealVector(gradient, false));
            // Newton's step, halved until the penalised likelihood rises: a full step can overshoot where a bin
            // separates defaults almost perfectly, and the fit would run away.
            double scale = 1;
            double[] next = new double[p];
            double improved = Double.NEGATIVE_INFINITY;
            for (int halving = 0; halving < 40; halving++, scale /= 2) {
                for (int j = 0; j < p; j++) {
                    next[j] = beta[j] + scale * step.getEntry(j);
                }
                improved = penalisedLogLikelihood(features, outcomes, offset, next, ridge);
                if (improved >= current) {
                    break;
                }
            }
            double largest = 0;
            for (int j = 0; j < p; j++) {
                largest = Math.max(largest, Math.abs(next[j] - beta[j]));
                beta[j] = next[j];
            }
            boolean converged = largest < TOLERANCE || improved - current < TOLERANCE;
            current = Math.max(current, improved);
            if (converged) {
                break;
            }
        }
        return beta;
    }

    private static double eta(boolean[] row, double[] beta) {
        double eta = beta[0];
        for (int j = 0; j < row.length; j++) {
            if (row[j]) {
                eta += beta[j + 1];
            }
        }
        return eta;
    }

    /** The log-likelihood of the outcomes less the ridge penalty: what the fit maximises. */
    private static double penalisedLogLikelihood(boolean[][] features, boolean[] outcomes, double[] offset, double[] beta,
            double ridge) {
        double sum = 0;
        for (int i = 0; i < features.length; i++) {
            double eta = eta(features[i], beta) + offset[i];
            // y * eta - log(1 + e^eta), written so neither large nor very negative eta overflows
            double softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
            sum += (outcomes[i] ? eta : 0) - softplus;
        }
        for (int j = 1; j < beta.length; j++) {
            sum -= ridge / 2 * beta[j] * beta[j];
        }
        return sum;
    }

    private static int[] ones(boolean[] row) {
        int count = 0;
        for (boolean set : row) {
            count += set ? 1 : 0;
        }
        int[] ones = new int[count];
        int k = 0;
        for (int j = 0; j < row.length; j++) {
            if (row[j]) {
                ones[k++] = j;
            }
        }
        return ones;
    }
}
