package io.churn.train;

import java.io.Serializable;

/**
 * What one epoch measured, after its training: every metric on the training and test splits
 * ({@link Metrics}) and the seconds its training steps took.
 */
public record EpochMetrics(Metrics.Evaluation train, Metrics.Evaluation test, double seconds)
        implements Serializable {

    /** Whether the training loss is not finite: the run diverged in this epoch. */
    public boolean diverged() {
        return !train.isFinite();
    }

    public double trainLoss() {
        return train.loss();
    }

    public double testLoss() {
        return test.loss();
    }

    /** Null for regression. */
    public Double trainAccuracy() {
        return train.accuracy();
    }

    /** Null for regression. */
    public Double testAccuracy() {
        return test.accuracy();
    }

    public double trainMeanSquaredError() {
        return train.meanSquaredError();
    }

    public double testMeanSquaredError() {
        return test.meanSquaredError();
    }

    public double trainMeanAbsoluteError() {
        return train.meanAbsoluteError();
    }

    public double testMeanAbsoluteError() {
        return test.meanAbsoluteError();
    }
}
