package io.churn.train;

import io.churn.data.TrainTestSplit;
import io.churn.spec.RunSpec;
import java.util.SplittableRandom;

/**
 * Trains a network one epoch at a time on a split: a seeded shuffle of the training rows each
 * epoch, minibatches of the run's batch size, then the epoch's metrics on both splits. Sweeps run
 * it for a run's epochs; PBT runs it for a generation's epochs between weight saves. The same
 * seed gives the same data order whatever engine trains the network, and an epoch's order depends
 * on the seed and the epoch's number alone, so a run resumed from a checkpoint sees the data an
 * uninterrupted one would.
 */
public final class EpochLoop {

    private final TrainableNetwork net;
    private final TrainTestSplit split;
    private final int batch;
    private final long orderSeed;
    private final int[] order;
    private final float[] bx;
    private final float[] by;
    private final double learningRate;
    private int epochs;

    /** {@code orderSeed} fixes the data order of every epoch. */
    public EpochLoop(RunSpec run, TrainableNetwork net, TrainTestSplit split, long orderSeed) {
        this.net = net;
        this.split = split;
        this.batch = Math.min(run.batchSize(), split.trainRows());
        this.orderSeed = orderSeed;
        this.order = new int[split.trainRows()];
        this.bx = new float[batch * split.nIn()];
        this.by = new float[batch * split.nOut()];
        this.learningRate = run.learningRate();
    }

    /** Continues after {@code epochs} epochs trained before (whose network state the caller restored). */
    public void resume(int epochs) {
        this.epochs = epochs;
    }

    /** Trains one epoch and measures it; a non-finite training loss means the run diverged ({@link EpochMetrics#diverged()}). */
    public EpochMetrics next() {
        int nIn = split.nIn();
        int nOut = split.nOut();
        int rows = split.trainRows();
        long t0 = System.nanoTime();
        // a generator of its own for each epoch, seeded from the loop's seed and the epoch's number
        SplittableRandom random = new SplittableRandom(new SplittableRandom(orderSeed + epochs).nextLong());
        for (int i = 0; i < rows; i++) order[i] = i;
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int start = 0; start < rows; start += batch) {
            int n = Math.min(batch, rows - start);
            float[] fx = n == batch ? bx : new float[n * nIn];
            float[] fy = n == batch ? by : new float[n * nOut];
            for (int i = 0; i < n; i++) {
                System.arraycopy(split.trainX(), order[start + i] * nIn, fx, i * nIn, nIn);
                System.arraycopy(split.trainY(), order[start + i] * nOut, fy, i * nOut, nOut);
            }
            net.fit(fx, fy, n);
        }
        net.finishEpoch();
        double seconds = (System.nanoTime() - t0) / 1e9;
        epochs++;
        Metrics.Evaluation train = Metrics.evaluate(split.task(), net.predict(split.trainX(), rows),
                split.trainY(), rows, nOut);
        Metrics.Evaluation test = Metrics.evaluate(split.task(), net.predict(split.testX(), split.testRows()),
                split.testY(), split.testRows(), nOut);
        return new EpochMetrics(train, test, seconds);
    }

    /** What a diverged epoch ({@link EpochMetrics#diverged()}) says of the run. */
    public String divergence(EpochMetrics m) {
        return "training diverged: train loss " + m.trainLoss() + " after epoch " + epochs + " (learning rate "
                + learningRate + ")";
    }
}
