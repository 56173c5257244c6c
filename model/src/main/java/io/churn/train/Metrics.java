package io.churn.train;

import io.churn.data.Task;

/**
 * The one definition of loss, accuracy and mean squared error, used for every run, sweep and PBT
 * alike. Loss is the task's training loss without regularization penalties: cross-entropy for
 * multi-class, binary cross-entropy for binary, mean squared error for regression. Probabilities
 * are clipped to [1e-7, 1 - 1e-7] as Keras does, so BUTTER's figures compare.
 */
public final class Metrics {

    private static final double EPSILON = 1e-7;

    private Metrics() {
    }

    /** One split's figures for one epoch. */
    public record Evaluation(double loss, double accuracy, double meanSquaredError, double meanAbsoluteError) {
    }

    /** Loss, accuracy (NaN for regression), MSE and MAE of predictions {@code p} against targets {@code y}. */
    public static Evaluation evaluate(Task task, float[] p, float[] y, int rows, int nOut) {
        double loss = 0;
        double squared = 0;
        double absolute = 0;
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * nOut;
            int predicted = 0;
            int actual = 0;
            for (int k = 0; k < nOut; k++) {
                double pk = p[base + k];
                double yk = y[base + k];
                squared += (pk - yk) * (pk - yk);
                absolute += Math.abs(pk - yk);
                double clipped = Math.min(1 - EPSILON, Math.max(EPSILON, pk));
                if (task == Task.MULTICLASS) {
                    loss -= yk * Math.log(clipped);
                    if (p[base + k] > p[base + predicted]) predicted = k;
                    if (y[base + k] > y[base + actual]) actual = k;
                } else if (task == Task.BINARY) {
                    loss -= (yk * Math.log(clipped) + (1 - yk) * Math.log(1 - clipped)) / nOut;
                }
            }
            if (task == Task.MULTICLASS && predicted == actual) {
                correct++;
            } else if (task == Task.BINARY && (p[base] >= 0.5) == (y[base] >= 0.5)) {
                correct++;
            }
        }
        double mse = squared / ((double) rows * nOut);
        if (task == Task.REGRESSION) {
            loss = mse;
        } else {
            loss /= rows;
        }
        double accuracy = task.isClassification() ? (double) correct / rows : Double.NaN;
        return new Evaluation(loss, accuracy, mse, absolute / ((double) rows * nOut));
    }
}
