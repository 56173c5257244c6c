package io.churn.train;

import io.churn.data.Task;

/**
 * The fused engine's output layer by task: its activation and the gradient of DL4J's loss for it
 * by pre-activation, averaged over the minibatch. Activations are feature-major
 * ({@code [unit][row]}), targets row-major.
 */
enum FusedOutput {
    /** Softmax with cross-entropy (DL4J's MCXENT). */
    SOFTMAX_CROSS_ENTROPY {
        @Override
        void activate(float[][] z, float[][] a, int units, int rows) {
            for (int r = 0; r < rows; r++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < units; j++) max = Math.max(max, z[j][r]);
                float sum = 0f;
                for (int j = 0; j < units; j++) {
                    float e = (float) Math.exp(z[j][r] - max);
                    a[j][r] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int j = 0; j < units; j++) a[j][r] *= inv;
            }
        }

        @Override
        void lossGradient(float[][] p, float[] y, float[][] d, int units, int rows) {
            differenceGradient(p, y, d, units, rows);
        }
    },
    /** Sigmoid with binary cross-entropy (DL4J's XENT). */
    SIGMOID_CROSS_ENTROPY {
        @Override
        void activate(float[][] z, float[][] a, int units, int rows) {
            sigmoid(z, a, units, rows);
        }

        @Override
        void lossGradient(float[][] p, float[] y, float[][] d, int units, int rows) {
            differenceGradient(p, y, d, units, rows);
        }
    },
    /** Sigmoid with the squared error averaged over outputs (DL4J's MSE). */
    SIGMOID_SQUARED_ERROR {
        @Override
        void activate(float[][] z, float[][] a, int units, int rows) {
            sigmoid(z, a, units, rows);
        }

        @Override
        void lossGradient(float[][] p, float[] y, float[][] d, int units, int rows) {
            float c = 2f / units / rows;
            for (int j = 0; j < units; j++) {
                for (int r = 0; r < rows; r++) {
                    float pr = p[j][r];
                    d[j][r] = c * (pr - y[r * units + j]) * pr * (1f - pr);
                }
            }
        }
    };

    /** The output layer of a task, as {@link Trainer#build} gives DL4J; a new task does not compile until it has one. */
    static FusedOutput of(Task task) {
        return switch (task) {
            case MULTICLASS -> SOFTMAX_CROSS_ENTROPY;
            case BINARY -> SIGMOID_CROSS_ENTROPY;
            case REGRESSION -> SIGMOID_SQUARED_ERROR;
        };
    }

    /** {@code a = g(z)} for {@code units x rows} pre-activations. */
    abstract void activate(float[][] z, float[][] a, int units, int rows);

    /** {@code d = dLoss/dz} for outputs {@code p} and row-major targets {@code y}. */
    abstract void lossGradient(float[][] p, float[] y, float[][] d, int units, int rows);

    private static void sigmoid(float[][] z, float[][] a, int units, int rows) {
        for (int j = 0; j < units; j++) {
            for (int r = 0; r < rows; r++) a[j][r] = FusedActivation.sigmoid(z[j][r]);
        }
    }

    /** {@code (p - y) / rows}: the gradient softmax + cross-entropy and sigmoid + binary cross-entropy share. */
    private static void differenceGradient(float[][] p, float[] y, float[][] d, int units, int rows) {
        float scale = 1f / rows;
        for (int j = 0; j < units; j++) {
            for (int r = 0; r < rows; r++) {
                d[j][r] = (p[j][r] - y[r * units + j]) * scale;
            }
        }
    }
}
