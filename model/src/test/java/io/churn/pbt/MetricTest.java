package io.churn.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricTest {

    /** BUTTER's names of an evaluation's measures, in the order of {@link Metrics.Evaluation}'s fields. */
    private static final List<String> MEASURES = List.of("loss", "accuracy", "mean_squared_error",
            "mean_absolute_error", "root_mean_squared_error", "mean_squared_logarithmic_error", "hinge",
            "squared_hinge", "cosine_similarity", "kullback_leibler_divergence");

    @Test
    void every_recorded_metric_of_either_split_ranks_a_population_and_reads_its_own_value() {
        // distinct values: train's measures 1..10, test's 11..20
        Metrics.Evaluation train = new Metrics.Evaluation(1, 2.0, 3, 4, 5, 6, 7, 8, 9, 10);
        Metrics.Evaluation test = new Metrics.Evaluation(11, 12.0, 13, 14, 15, 16, 17, 18, 19, 20);
        EpochMetrics epoch = new EpochMetrics(train, test, 0.5);
        Map<String, Integer> offset = Map.of("train", 1, "test", 11);
        int seen = 0;
        for (Map.Entry<String, Integer> split : offset.entrySet()) {
            for (int k = 0; k < MEASURES.size(); k++) {
                Metric metric = Metric.fromSpecName(split.getKey() + "_" + MEASURES.get(k));
                assertEquals(split.getValue() + k, metric.of(epoch), 0, metric.specName());
                seen++;
            }
        }
        assertEquals(Metric.values().length, seen, "every metric is one split's measure");
    }

    @Test
    void a_regressions_accuracy_is_not_a_number_and_similarity_is_maximized() {
        Metrics.Evaluation regression = new Metrics.Evaluation(1, null, 3, 4, 5, 6, 7, 8, 9, 10);
        EpochMetrics epoch = new EpochMetrics(regression, regression, 0.5);
        assertTrue(Double.isNaN(Metric.TEST_ACCURACY.of(epoch)));
        assertTrue(Metric.TEST_COSINE_SIMILARITY.maximizedByDefault());
        assertTrue(Metric.TRAIN_ACCURACY.maximizedByDefault());
        assertTrue(!Metric.TEST_KULLBACK_LEIBLER_DIVERGENCE.maximizedByDefault());
        assertTrue(!Metric.TRAIN_HINGE.maximizedByDefault());
    }
}
