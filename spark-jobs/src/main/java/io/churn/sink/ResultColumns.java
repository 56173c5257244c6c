package io.churn.sink;

import io.churn.spec.RunSpec;
import io.churn.train.EpochMetrics;
import io.churn.train.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The columns results are written to, named as the sweep spec's keys and the Parquet export's
 * columns, and the values a spec, a provenance and epoch metrics give them: those of table
 * {@code run}, and the metric and provenance columns PBT's tables share with it.
 */
public final class ResultColumns {

    /**
     * The columns that describe a run's spec: the sweep spec's keys, the dataset by its name
     * ({@code 537_houses}) with where it was read from ({@code dataset_source}); the digest of its
     * content, also part of its identity, is {@code dataset_sha256}, among the provenance.
     */
    static final List<String> SPEC = List.of("dataset", "dataset_source", "shape", "depth", "size", "learning_rate",
            "batch_size", "label_noise", "kernel_regularizer", "bias_regularizer", "optimizer", "momentum",
            "activation", "dropout", "epochs", "early_stopping_patience", "test_split", "repetition", "seed");

    /** Where and with what a result was made; PBT's scores carry the same columns. */
    static final List<String> PROVENANCE = List.of("host", "java_version", "os_name", "os_arch", "dl4j_version",
            "spark_version", "churn_revision", "dataset_sha256");

    /** An epoch metric and its column. */
    record Metric(String column, Function<EpochMetrics, Double> value) {
    }

    /**
     * Every epoch's metrics: per epoch in PBT's records, packed in a run's ({@link #HISTORIES}) and one
     * array per metric in its Parquet row. The
     * names are BUTTER's ({@code test_mean_squared_logarithmic_error}), so results join with its.
     */
    static final List<Metric> EPOCH_METRICS = List.of(
            new Metric("train_loss", EpochMetrics::trainLoss),
            new Metric("test_loss", EpochMetrics::testLoss),
            new Metric("train_accuracy", EpochMetrics::trainAccuracy),
            new Metric("test_accuracy", EpochMetrics::testAccuracy),
            new Metric("train_mean_squared_error", EpochMetrics::trainMeanSquaredError),
            new Metric("test_mean_squared_error", EpochMetrics::testMeanSquaredError),
            new Metric("train_mean_absolute_error", EpochMetrics::trainMeanAbsoluteError),
            new Metric("test_mean_absolute_error", EpochMetrics::testMeanAbsoluteError),
            new Metric("train_root_mean_squared_error", m -> m.train().rootMeanSquaredError()),
            new Metric("test_root_mean_squared_error", m -> m.test().rootMeanSquaredError()),
            new Metric("train_mean_squared_logarithmic_error", m -> m.train().meanSquaredLogarithmicError()),
            new Metric("test_mean_squared_logarithmic_error", m -> m.test().meanSquaredLogarithmicError()),
            new Metric("train_hinge", m -> m.train().hinge()),
            new Metric("test_hinge", m -> m.test().hinge()),
            new Metric("train_squared_hinge", m -> m.train().squaredHinge()),
            new Metric("test_squared_hinge", m -> m.test().squaredHinge()),
            new Metric("train_cosine_similarity", m -> m.train().cosineSimilarity()),
            new Metric("test_cosine_similarity", m -> m.test().cosineSimilarity()),
            new Metric("train_kullback_leibler_divergence", m -> m.train().kullbackLeiblerDivergence()),
            new Metric("test_kullback_leibler_divergence", m -> m.test().kullbackLeiblerDivergence()),
            new Metric("epoch_seconds", EpochMetrics::seconds));

    /** The metrics' columns, in that order. */
    static final List<String> METRIC_COLUMNS = EPOCH_METRICS.stream().map(Metric::column).toList();

    /** The measured metrics' columns (all but {@code epoch_seconds}): what experiment summaries cover. */
    public static final List<String> MEASURED = METRIC_COLUMNS.stream().filter(c -> !c.equals("epoch_seconds"))
            .toList();

    /**
     * The column of a run's packed histories ({@link PackedHistories}): the Parquet export unpacks it
     * into one array column per metric, {@link #METRIC_COLUMNS}, in its place.
     */
    static final String HISTORIES = "histories";

    /** The columns a result fills. */
    public static final List<String> OUTCOME = concat(
            List.of("status", "error", "task", "n_in", "n_out", "widths", "num_free_parameters", "engine",
                    HISTORIES, "executor", "spark_application_id"), PROVENANCE,
            List.of("started_at", "finished_at", "wall_seconds"));

    /** Every column of {@code run}, in the order the Parquet export writes them ({@link #HISTORIES} unpacked). */
    static final List<String> ALL = concat(List.of("run_id"), OUTCOME.subList(0, 2), List.of("attempts"), SPEC,
            OUTCOME.subList(2, OUTCOME.size()));

    private ResultColumns() {
    }

    /** The run's id and spec columns, and the digest of its dataset as planned. */
    static SqlRow spec(RunSpec run) {
        SqlRow row = new SqlRow().put("run_id", run.runId());
        run.canonical().forEach(row::put);
        return row.put("dataset_source", run.datasetSource())
                .put("dataset_sha256", run.datasetSha256())
                .put("bias_regularizer", run.biasRegularizer().toString())
                .put("momentum", run.momentum())
                .put("activation", run.activation().specName())
                .put("dropout", run.dropout())
                .put("early_stopping_patience", run.earlyStoppingPatience());
    }

    /** The provenance columns. */
    static SqlRow provenance(Provenance p) {
        return new SqlRow()
                .put("host", p.host())
                .put("java_version", p.javaVersion())
                .put("os_name", p.osName())
                .put("os_arch", p.osArch())
                .put("dl4j_version", p.dl4jVersion())
                .put("spark_version", p.sparkVersion())
                .put("churn_revision", p.churnRevision())
                .put("dataset_sha256", p.datasetSha256());
    }

    /** One epoch's metrics. */
    static SqlRow epoch(EpochMetrics metrics) {
        SqlRow row = new SqlRow();
        EPOCH_METRICS.forEach(m -> row.put(m.column(), m.value().apply(metrics)));
        return row;
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) all.addAll(p);
        return List.copyOf(all);
    }
}
