package io.churn.train;

import java.io.Serializable;

/**
 * What one epoch measured, after its training: loss, accuracy (null for regression), mean squared
 * error and mean absolute error on the training and test splits, and the seconds its training
 * steps took.
 */
public record EpochMetrics(double trainLoss, double testLoss, Double trainAccuracy, Double testAccuracy,
                           double trainMeanSquaredError, double testMeanSquaredError,
                           double trainMeanAbsoluteError, double testMeanAbsoluteError, double seconds)
        implements Serializable {
}
