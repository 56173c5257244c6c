package io.churn.train;

import io.churn.data.Task;
import java.io.Serializable;

/**
 * The one definition of every epoch metric, used for every run, sweep and PBT alike and for both
 * engines, since it works on predictions alone. Loss is the task's training loss without
 * regularization penalties: cross-entropy for multi-class, binary cross-entropy for binary, mean
 * squared error for regression. The others are BUTTER's, with Keras' definitions (BUTTER trained
 * with Keras): probabilities clipped to [1e-7, 1 - 1e-7] for the loss, mean squared logarithmic
 * error on {@code log1p(max(x, 1e-7))}, hinge and squared hinge against targets mapped from 0/1 to
 * ±1 for classification (Keras converts 0/1 labels), cosine similarity per row of L2-normalized
 * targets and predictions then averaged, Kullback–Leibler divergence per row on targets and
 * predictions clipped to [1e-7, 1] then averaged. All of them in one pass over the predictions.
 */
public final class Metrics {

    private static final double EPSILON = 1e-7;
    /** Keras' floor on a squared norm in {@code l2_normalize}. */
    private static final double NORM_FLOOR = 1e-12;

    private Metrics() {
    }

    /** One split's figures for one epoch; accuracy is null for regression. */
    public record Evaluation(double loss, Double accuracy, double meanSquaredError, double meanAbsoluteError,
                             double rootMeanSquaredError, double meanSquaredLogarithmicError, double hinge,
                             double squaredHinge, double cosineSimilarity, double kullbackLeiblerDivergence)
            implements Serializable {

        /** Whether the loss is finite: a run whose training loss is not has diverged. */
        public boolean isFinite() {
            return Double.isFinite(loss);
        }
    }

    /** Every metric of predictions {@code p} against targets {@code y}, {@code rows} rows of {@code nOut}. */
    public static Evaluation evaluate(Task task, float[] p, float[] y, int rows, int nOut) {
        boolean classification = task.isClassification();
        double loss = 0;
        double squared = 0;
        double absolute = 0;
        double squaredLog = 0;
        double hinge = 0;
        double squaredHinge = 0;
        double cosine = 0;
        double divergence = 0;
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * nOut;
            int predicted = 0;
            int actual = 0;
            double dot = 0;
            double pNorm = 0;
            double yNorm = 0;
            for (int k = 0; k < nOut; k++) {
                double pk = p[base + k];
                double yk = y[base + k];
                double error = pk - yk;
                squared += error * error;
                absolute += Math.abs(error);
                double logError = Math.log1p(Math.max(pk, EPSILON)) - Math.log1p(Math.max(yk, EPSILON));
                squaredLog += logError * logError;
                double margin = Math.max(1 - (classification ? 2 * yk - 1 : yk) * pk, 0);
                hinge += margin;
                squaredHinge += margin * margin;
                dot += yk * pk;
                pNorm += pk * pk;
                yNorm += yk * yk;
                double yClipped = Math.min(1, Math.max(EPSILON, yk));
                divergence += yClipped * Math.log(yClipped / Math.min(1, Math.max(EPSILON, pk)));
                double clipped = Math.min(1 - EPSILON, Math.max(EPSILON, pk));
                if (task == Task.MULTICLASS) {
                    loss -= yk * Math.log(clipped);
                    if (p[base + k] > p[base + predicted]) predicted = k;
                    if (y[base + k] > y[base + actual]) actual = k;
                } else if (task == Task.BINARY) {
                    loss -= (yk * Math.log(clipped) + (1 - yk) * Math.log(1 - clipped)) / nOut;
                }
            }
            cosine += dot / (Math.sqrt(Math.max(pNorm, NORM_FLOOR)) * Math.sqrt(Math.max(yNorm, NORM_FLOOR)));
            if (task == Task.MULTICLASS && predicted == actual) {
                correct++;
            } else if (task == Task.BINARY && (p[base] >= 0.5) == (y[base] >= 0.5)) {
                correct++;
            }
        }
        double values = (double) rows * nOut;
        double mse = squared / values;
        loss = task == Task.REGRESSION ? mse : loss / rows;
        Double accuracy = classification ? (double) correct / rows : null;
        return new Evaluation(loss, accuracy, mse, absolute / values, Math.sqrt(mse), squaredLog / values,
                hinge / values, squaredHinge / values, cosine / rows, divergence / rows);
    }
}
