package io.churn.bench;

import io.churn.train.TrainableNetwork;

/**
 * Mean time of one training step, measured after the JIT has compiled the training loop: epochs
 * of warm-up for half the least time, then timed epochs until both least counts are reached. An
 * epoch is every whole minibatch of the table, in order, copied into the step's arrays as the
 * epoch loop does.
 */
record StepTimer(SyntheticData data, int batch, int leastEpochs, double leastSeconds) {

    /** Microseconds per step of {@code net}, which is closed afterwards. */
    double microsPerStep(TrainableNetwork net) {
        try (net) {
            float[] bx = new float[batch * data.inputs()];
            float[] by = new float[batch * data.outputs()];
            long warmUntil = System.nanoTime() + (long) (leastSeconds / 2 * 1e9);
            do {
                epoch(net, bx, by);
            } while (System.nanoTime() < warmUntil);
            long leastNanos = (long) (leastSeconds * 1e9);
            int steps = 0;
            int epochs = 0;
            long start = System.nanoTime();
            while (epochs < leastEpochs || System.nanoTime() - start < leastNanos) {
                steps += epoch(net, bx, by);
                epochs++;
            }
            return (System.nanoTime() - start) / 1e3 / steps;
        }
    }

    /** Steps in one epoch. */
    int stepsPerEpoch() {
        return data.rows() / batch;
    }

    private int epoch(TrainableNetwork net, float[] bx, float[] by) {
        float[] x = data.table().x();
        float[] y = data.table().y();
        int steps = 0;
        for (int r = 0; r + batch <= data.rows(); r += batch) {
            System.arraycopy(x, r * data.inputs(), bx, 0, bx.length);
            System.arraycopy(y, r * data.outputs(), by, 0, by.length);
            net.fit(bx, by, batch);
            steps++;
        }
        return steps;
    }
}
