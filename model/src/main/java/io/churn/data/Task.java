package io.churn.data;

import java.util.Locale;

/** What the target asks of the network; decides the output activation and the loss. */
public enum Task {
    /** Target min-max scaled to [0, 1]: sigmoid output, mean squared error. */
    REGRESSION,
    /** Target with two values, coded 0/1: one sigmoid output, binary cross-entropy. */
    BINARY,
    /** Target one-hot coded: softmax output, cross-entropy. */
    MULTICLASS;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isClassification() {
        return this != REGRESSION;
    }
}
