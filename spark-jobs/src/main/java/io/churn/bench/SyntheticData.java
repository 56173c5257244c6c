package io.churn.bench;

import io.churn.data.PreparedDataset;
import io.churn.data.Task;
import java.util.SplittableRandom;

/** A classification table of uniform inputs and random classes, the same for every engine timed on it. */
record SyntheticData(PreparedDataset table) {

    static SyntheticData of(int inputs, int outputs, int rows) {
        SplittableRandom random = new SplittableRandom(1);
        float[] x = new float[rows * inputs];
        float[] y = new float[rows * outputs];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble();
        for (int r = 0; r < rows; r++) y[r * outputs + random.nextInt(outputs)] = 1f;
        return new SyntheticData(new PreparedDataset("synthetic", Task.MULTICLASS, rows, inputs, outputs, x, y,
                "none"));
    }

    int inputs() {
        return table.nIn();
    }

    int outputs() {
        return table.nOut();
    }

    int rows() {
        return table.rows();
    }
}
