package io.churn.driver;

import io.churn.data.PreparedDataset;
import io.churn.network.Layout;
import io.churn.spec.RunSpec;
import io.churn.train.Dl4jNetwork;
import io.churn.train.NetworkFactory;
import io.churn.train.TrainableNetwork;
import io.churn.train.Trainer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One run's DL4J network trained across the cluster with DL4J's parameter averaging: each epoch's
 * minibatches (in the epoch loop's order) become an RDD; every worker trains
 * {@link #AVERAGING_FREQUENCY} of them, one optimizer step each, from the same parameters and
 * optimizer state, then the driver averages parameters and state, and so on through the epoch.
 * Predictions (the epoch's metrics) run on the driver.
 */
public final class DataParallelNetwork implements TrainableNetwork {

    /** The {@code engine} recorded for a data-parallel run. */
    public static final String ENGINE = "dl4j_data_parallel";
    /** Minibatches each worker trains between two averagings (DL4J's default). */
    static final int AVERAGING_FREQUENCY = 5;

    private final JavaSparkContext spark;
    private final SparkComputationGraph graph;
    private final int workers;
    private final int nIn;
    private final int nOut;
    private final List<DataSet> epoch = new ArrayList<>();

    private DataParallelNetwork(JavaSparkContext spark, RunSpec run, Layout layout, PreparedDataset data,
                                int workers) {
        this.spark = spark;
        this.workers = workers;
        this.nIn = data.nIn();
        this.nOut = data.nOut();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, run.batchSize())
                .batchSizePerWorker(run.batchSize())
                .averagingFrequency(AVERAGING_FREQUENCY)
                .workerPrefetchNumBatches(0)
                // parallelize already gives each worker an equal share of the epoch's minibatches
                .repartionData(Repartition.Never)
                // straight from the RDD: the default export to files needs a file system all executors share
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(run.seed())
                .build();
        this.graph = new SparkComputationGraph(spark, Trainer.build(run, layout, data.task()), master);
    }

    /** Data-parallel networks over {@code workers} workers (Spark's default parallelism, say). */
    public static NetworkFactory factory(JavaSparkContext spark, int workers) {
        return new NetworkFactory() {
            @Override
            public String engineName(Layout layout) {
                return ENGINE;
            }

            @Override
            public TrainableNetwork create(RunSpec run, Layout layout, PreparedDataset data) {
                return new DataParallelNetwork(spark, run, layout, data, workers);
            }
        };
    }

    @Override
    public void fit(float[] x, float[] y, int rows) {
        // Nd4j.create copies: the loop reuses its arrays
        epoch.add(new DataSet(Nd4j.create(x, new long[] {rows, nIn}, DataType.FLOAT),
                Nd4j.create(y, new long[] {rows, nOut}, DataType.FLOAT)));
    }

    @Override
    public void finishEpoch() {
        graph.fit(spark.parallelize(epoch, workers));
        epoch.clear();
    }

    @Override
    public float[] predict(float[] x, int rows) {
        return new Dl4jNetwork(graph.getNetwork(), nIn, nOut).predict(x, rows);
    }

    @Override
    public long numParams() {
        return graph.getNetwork().numParams();
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        new Dl4jNetwork(graph.getNetwork(), nIn, nOut).writeState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        new Dl4jNetwork(graph.getNetwork(), nIn, nOut).readState(in);
    }

    @Override
    public void close() {
        graph.getNetwork().close();
    }
}
