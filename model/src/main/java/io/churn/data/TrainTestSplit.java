package io.churn.data;

import java.util.SplittableRandom;

/**
 * A seeded shuffle of a dataset into training and test rows, with label noise applied to the
 * training rows only. Arrays are row-major, as in {@link PreparedDataset}.
 */
public record TrainTestSplit(Task task, int nIn, int nOut, int trainRows, float[] trainX, float[] trainY,
                             int testRows, float[] testX, float[] testY) {

    public static TrainTestSplit of(PreparedDataset data, double testSplit, double labelNoise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int testRows = (int) Math.round(data.rows() * testSplit);
        if (testRows < 1 || testRows >= data.rows()) {
            throw new IllegalArgumentException(data.name() + " has " + data.rows() + " rows: test_split " + testSplit
                    + " leaves no training or no test rows");
        }
        int trainRows = data.rows() - testRows;
        int nIn = data.nIn();
        int nOut = data.nOut();
        float[] trainX = new float[trainRows * nIn];
        float[] trainY = new float[trainRows * nOut];
        float[] testX = new float[testRows * nIn];
        float[] testY = new float[testRows * nOut];
        for (int i = 0; i < data.rows(); i++) {
            int src = order[i];
            if (i < trainRows) {
                System.arraycopy(data.x(), src * nIn, trainX, i * nIn, nIn);
                System.arraycopy(data.y(), src * nOut, trainY, i * nOut, nOut);
            } else {
                System.arraycopy(data.x(), src * nIn, testX, (i - trainRows) * nIn, nIn);
                System.arraycopy(data.y(), src * nOut, testY, (i - trainRows) * nOut, nOut);
            }
        }
        if (labelNoise > 0) {
            LabelNoise.apply(data.task(), trainY, trainRows, nOut, labelNoise, random);
        }
        return new TrainTestSplit(data.task(), nIn, nOut, trainRows, trainX, trainY, testRows, testX, testY);
    }
}
