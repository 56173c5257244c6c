package io.churn.pbt;

import io.churn.spec.SpecWord;
import io.churn.train.EpochMetrics;
import java.util.Locale;

/** What ranks a PBT population: one measure of a generation's last epoch. The spec word is the lower-case name. */
public enum Metric implements SpecWord {
    TEST_LOSS, TEST_ACCURACY, TRAIN_LOSS, TRAIN_ACCURACY, TEST_MEAN_SQUARED_ERROR, TEST_MEAN_ABSOLUTE_ERROR;

    /** The name used in specs, messages and records. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Metric fromSpecName(String value) {
        return SpecWord.parse(Metric.class, value, null);
    }

    public static String allowed() {
        return SpecWord.allowed(Metric.class);
    }

    /** Whether a larger value is better when the spec gives no {@code mode}: accuracies are maximized. */
    public boolean maximizedByDefault() {
        return switch (this) {
            case TEST_ACCURACY, TRAIN_ACCURACY -> true;
            case TEST_LOSS, TRAIN_LOSS, TEST_MEAN_SQUARED_ERROR, TEST_MEAN_ABSOLUTE_ERROR -> false;
        };
    }

    /** This measure of an epoch; NaN where the epoch has none (the accuracy of a regression). */
    public double of(EpochMetrics m) {
        Double v = switch (this) {
            case TEST_LOSS -> m.testLoss();
            case TRAIN_LOSS -> m.trainLoss();
            case TEST_ACCURACY -> m.testAccuracy();
            case TRAIN_ACCURACY -> m.trainAccuracy();
            case TEST_MEAN_SQUARED_ERROR -> m.testMeanSquaredError();
            case TEST_MEAN_ABSOLUTE_ERROR -> m.testMeanAbsoluteError();
        };
        return v == null ? Double.NaN : v;
    }

    /** Prints as its spec word, so messages read as the spec is written. */
    @Override
    public String toString() {
        return specName();
    }
}
