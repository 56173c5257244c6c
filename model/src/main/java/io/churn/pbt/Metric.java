package io.churn.pbt;

import io.churn.spec.SpecWord;
import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What ranks a PBT population: one measure of a generation's last epoch, any metric a run records
 * on either split, under BUTTER's names. The spec word is the lower-case name.
 */
public enum Metric implements SpecWord {
    TEST_LOSS(true, Metrics.Evaluation::loss),
    TEST_ACCURACY(true, Metric::accuracy),
    TRAIN_LOSS(false, Metrics.Evaluation::loss),
    TRAIN_ACCURACY(false, Metric::accuracy),
    TEST_MEAN_SQUARED_ERROR(true, Metrics.Evaluation::meanSquaredError),
    TEST_MEAN_ABSOLUTE_ERROR(true, Metrics.Evaluation::meanAbsoluteError),
    TEST_ROOT_MEAN_SQUARED_ERROR(true, Metrics.Evaluation::rootMeanSquaredError),
    TEST_MEAN_SQUARED_LOGARITHMIC_ERROR(true, Metrics.Evaluation::meanSquaredLogarithmicError),
    TEST_HINGE(true, Metrics.Evaluation::hinge),
    TEST_SQUARED_HINGE(true, Metrics.Evaluation::squaredHinge),
    TEST_COSINE_SIMILARITY(true, Metrics.Evaluation::cosineSimilarity),
    TEST_KULLBACK_LEIBLER_DIVERGENCE(true, Metrics.Evaluation::kullbackLeiblerDivergence),
    TRAIN_MEAN_SQUARED_ERROR(false, Metrics.Evaluation::meanSquaredError),
    TRAIN_MEAN_ABSOLUTE_ERROR(false, Metrics.Evaluation::meanAbsoluteError),
    TRAIN_ROOT_MEAN_SQUARED_ERROR(false, Metrics.Evaluation::rootMeanSquaredError),
    TRAIN_MEAN_SQUARED_LOGARITHMIC_ERROR(false, Metrics.Evaluation::meanSquaredLogarithmicError),
    TRAIN_HINGE(false, Metrics.Evaluation::hinge),
    TRAIN_SQUARED_HINGE(false, Metrics.Evaluation::squaredHinge),
    TRAIN_COSINE_SIMILARITY(false, Metrics.Evaluation::cosineSimilarity),
    TRAIN_KULLBACK_LEIBLER_DIVERGENCE(false, Metrics.Evaluation::kullbackLeiblerDivergence);

    private final boolean test;
    private final ToDoubleFunction<Metrics.Evaluation> measure;

    Metric(boolean test, ToDoubleFunction<Metrics.Evaluation> measure) {
        this.test = test;
        this.measure = measure;
    }

    /** The name used in specs, messages and records: also the column that holds it, in PostgreSQL and Parquet. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Metric fromSpecName(String value) {
        return SpecWord.parse(Metric.class, value, null);
    }

    public static String allowed() {
        return SpecWord.allowed(Metric.class);
    }

    /**
     * Whether a larger value is better when the spec gives no {@code mode}: accuracies and cosine
     * similarities are maximized, losses and errors minimized.
     */
    public boolean maximizedByDefault() {
        return specName().endsWith("_accuracy") || specName().endsWith("_cosine_similarity");
    }

    /** This measure of an epoch; NaN where the epoch has none (the accuracy of a regression). */
    public double of(EpochMetrics m) {
        return measure.applyAsDouble(test ? m.test() : m.train());
    }

    /** An evaluation's accuracy; NaN for a regression, which has none. */
    private static double accuracy(Metrics.Evaluation e) {
        return e.accuracy() == null ? Double.NaN : e.accuracy();
    }

    /** Prints as its spec word, so messages read as the spec is written. */
    @Override
    public String toString() {
        return specName();
    }
}
