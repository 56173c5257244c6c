package io.churn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.churn.data.Datasets;
import io.churn.data.PreparedDataset;
import io.churn.data.Task;
import io.churn.data.TrainTestSplit;
import io.churn.network.Layout;
import io.churn.spec.ActivationFunction;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every metric against Keras' definitions, written here again the way Keras computes them: each
 * metric per row (a mean over the row's outputs, or a sum for cosine similarity and KL divergence),
 * then the mean over the rows.
 */
class MetricsTest {

    private static final double EPS = 1e-7;

    /** Keras' metrics of one split, computed row by row. */
    static double[] keras(Task task, float[] p, float[] y, int rows, int nOut) {
        double loss = 0, mse = 0, mae = 0, msle = 0, hinge = 0, squaredHinge = 0, cosine = 0, kl = 0;
        for (int r = 0; r < rows; r++) {
            double[] pr = new double[nOut];
            double[] yr = new double[nOut];
            for (int k = 0; k < nOut; k++) {
                pr[k] = p[r * nOut + k];
                yr[k] = y[r * nOut + k];
            }
            double rowSe = 0, rowAe = 0, rowSle = 0, rowHinge = 0, rowSquaredHinge = 0, rowKl = 0, rowCe = 0,
                    rowBce = 0;
            double yy = 0, pp = 0;
            for (int k = 0; k < nOut; k++) {
                rowSe += Math.pow(yr[k] - pr[k], 2);
                rowAe += Math.abs(yr[k] - pr[k]);
                // mean_squared_logarithmic_error: log(max(x, eps) + 1)
                rowSle += Math.pow(Math.log(Math.max(pr[k], EPS) + 1) - Math.log(Math.max(yr[k], EPS) + 1), 2);
                // hinge: 0/1 labels become -1/1
                double t = task.isClassification() ? (yr[k] == 1 ? 1 : -1) : yr[k];
                rowHinge += Math.max(0, 1 - t * pr[k]);
                rowSquaredHinge += Math.pow(Math.max(0, 1 - t * pr[k]), 2);
                yy += yr[k] * yr[k];
                pp += pr[k] * pr[k];
                double yc = Math.max(EPS, Math.min(1, yr[k]));
                double pc = Math.max(EPS, Math.min(1, pr[k]));
                rowKl += yc * Math.log(yc / pc);
                double q = Math.max(EPS, Math.min(1 - EPS, pr[k]));
                rowCe += -yr[k] * Math.log(q);
                rowBce += -(yr[k] * Math.log(q) + (1 - yr[k]) * Math.log(1 - q));
            }
            double dot = 0;
            for (int k = 0; k < nOut; k++) {
                // l2_normalize: x / sqrt(max(sum(x^2), 1e-12))
                dot += yr[k] / Math.sqrt(Math.max(yy, 1e-12)) * (pr[k] / Math.sqrt(Math.max(pp, 1e-12)));
            }
            mse += rowSe / nOut;
            mae += rowAe / nOut;
            msle += rowSle / nOut;
            hinge += rowHinge / nOut;
            squaredHinge += rowSquaredHinge / nOut;
            cosine += dot;
            kl += rowKl;
            loss += switch (task) {
                case MULTICLASS -> rowCe;
                case BINARY -> rowBce / nOut;
                case REGRESSION -> rowSe / nOut;
            };
        }
        return new double[] {loss / rows, mse / rows, mae / rows, Math.sqrt(mse / rows), msle / rows, hinge / rows,
                squaredHinge / rows, cosine / rows, kl / rows};
    }

    static double[] values(Metrics.Evaluation e) {
        return new double[] {e.loss(), e.meanSquaredError(), e.meanAbsoluteError(), e.rootMeanSquaredError(),
                e.meanSquaredLogarithmicError(), e.hinge(), e.squaredHinge(), e.cosineSimilarity(),
                e.kullbackLeiblerDivergence()};
    }

    static void assertKeras(Task task, float[] p, float[] y, int rows, int nOut, Metrics.Evaluation actual) {
        double[] expected = keras(task, p, y, rows, nOut);
        double[] got = values(actual);
        String[] names = {"loss", "mse", "mae", "rmse", "msle", "hinge", "squared hinge", "cosine", "kl"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-9 * Math.max(1, Math.abs(expected[i])), task + " " + names[i]);
        }
    }

    @Test
    void regression_metrics_follow_keras() {
        float[] y = {1.5f, -0.5f, 0.25f, 2f, -1f, 0f};
        float[] p = {1.0f, 0.5f, -0.25f, 2.5f, 0f, 0f};
        Metrics.Evaluation e = Metrics.evaluate(Task.REGRESSION, p, y, 3, 2);
        assertKeras(Task.REGRESSION, p, y, 3, 2, e);
        assertNull(e.accuracy());
        // by hand: hinge against the targets as they are, first row max(0, 1 - 1.5) and max(0, 1 - 0.25)
        assertEquals((0 + 1.25 + 1.0625 + 0 + 1 + 1) / 6, e.hinge(), 1e-7);
        // the zero prediction of the last row has cosine similarity 0 (the norm's floor), not NaN
        assertEquals(((1.5 * 1 - 0.5 * 0.5) / (Math.hypot(1.5, 0.5) * Math.hypot(1, 0.5))
                + (0.25 * -0.25 + 2 * 2.5) / (Math.hypot(0.25, 2) * Math.hypot(0.25, 2.5)) + 0) / 3,
                e.cosineSimilarity(), 1e-7);
    }

    @Test
    void binary_metrics_follow_keras() {
        float[] y = {1, 0, 1, 0};
        float[] p = {0.8f, 0.8f, 0.3f, 0.1f};
        Metrics.Evaluation e = Metrics.evaluate(Task.BINARY, p, y, 4, 1);
        assertKeras(Task.BINARY, p, y, 4, 1, e);
        assertEquals(0.5, e.accuracy());
        // by hand: the labels as ±1, max(0, 1 - t p) is 0.2, 1.8, 0.7 and 1.1
        assertEquals((0.2 + 1.8 + 0.7 + 1.1) / 4, e.hinge(), 1e-7);
        assertEquals((0.04 + 3.24 + 0.49 + 1.21) / 4, e.squaredHinge(), 1e-6);
    }

    @Test
    void multiclass_metrics_follow_keras() {
        float[] y = {0, 1, 0, 1, 0, 0, 0, 0, 1};
        float[] p = {0.2f, 0.7f, 0.1f, 0.3f, 0.3f, 0.4f, 0f, 0f, 1f};
        Metrics.Evaluation e = Metrics.evaluate(Task.MULTICLASS, p, y, 3, 3);
        assertKeras(Task.MULTICLASS, p, y, 3, 3, e);
        assertEquals(2.0 / 3, e.accuracy(), 1e-12);
        // by hand: KL is the cross-entropy of the true class, less the clipped zeros' share
        double zeros = EPS * Math.log(EPS / 0.2) + EPS * Math.log(EPS / 0.1) + EPS * Math.log(EPS / 0.3)
                + EPS * Math.log(EPS / 0.4) + 2 * EPS * Math.log(EPS / EPS);
        assertEquals((Math.log(1 / 0.7) + Math.log(1 / 0.3) + 0 + zeros) / 3, e.kullbackLeiblerDivergence(), 1e-7);
    }

    /** After an epoch on either engine, the recorded metrics are Keras' of the network's predictions. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
            "529_pollen,         FUSED", "529_pollen,         DL4J",
            "banana,             FUSED", "banana,             DL4J",
            "wine_quality_white, FUSED", "wine_quality_white, DL4J",
    })
    void both_engines_record_keras_metrics_of_their_predictions(String dataset, Engine engine) {
        RunSpec run = new RunSpec(dataset, "rectangle", 3, 500, 0.01, 64, 0.0, KernelRegularizer.NONE,
                KernelRegularizer.NONE, Optimizer.ADAM, 0, ActivationFunction.RELU, 2, 0, 0.2, 0, 11);
        PreparedDataset data = Datasets.load(dataset);
        Layout layout = Trainer.layout(run, data);
        TrainTestSplit split = TrainTestSplit.of(data, run.testSplit(), run.labelNoise(), run.seed());
        try (TrainableNetwork net = engine.create(run, layout, data)) {
            EpochLoop loop = new EpochLoop(run, net, split, 3);
            loop.next();
            EpochMetrics m = loop.next();
            int nOut = split.nOut();
            assertKeras(data.task(), net.predict(split.trainX(), split.trainRows()), split.trainY(),
                    split.trainRows(), nOut, m.train());
            assertKeras(data.task(), net.predict(split.testX(), split.testRows()), split.testY(), split.testRows(),
                    nOut, m.test());
        }
    }
}
