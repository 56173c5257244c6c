package io.churn.data;

import java.util.SplittableRandom;

/**
 * Corrupts training labels. Classification: {@code floor(noise * rows)} rows, chosen without
 * replacement, get a different label (binary: flipped; multi-class: moved to another class chosen
 * uniformly, so each row stays one-hot). Regression: every target gets Gaussian noise with
 * standard deviation {@code noise} times the target's standard deviation.
 */
public final class LabelNoise {

    private LabelNoise() {
    }

    static void apply(Task task, float[] y, int rows, int nOut, double noise, SplittableRandom random) {
        if (task == Task.REGRESSION) {
            double mean = 0;
            for (float v : y) mean += v;
            mean /= y.length;
            double var = 0;
            for (float v : y) var += (v - mean) * (v - mean);
            double std = Math.sqrt(var / y.length);
            for (int i = 0; i < y.length; i++) {
                y[i] += (float) (gaussian(random) * noise * std);
            }
            return;
        }
        int changed = (int) (noise * rows); // BUTTER's int(n * noise)
        int[] pick = new int[rows];
        for (int i = 0; i < rows; i++) pick[i] = i;
        for (int i = 0; i < changed; i++) {
            int j = i + random.nextInt(rows - i);
            int row = pick[j];
            pick[j] = pick[i];
            pick[i] = row;
            if (task == Task.BINARY) {
                y[row] = 1f - y[row];
            } else {
                int base = row * nOut;
                int current = 0;
                for (int k = 1; k < nOut; k++) {
                    if (y[base + k] > y[base + current]) current = k;
                }
                int next = (current + 1 + random.nextInt(nOut - 1)) % nOut;
                y[base + current] = 0f;
                y[base + next] = 1f;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
