package io.churn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrainTestSplitTest {

    @Test
    void the_same_seed_gives_the_same_split() {
        PreparedDataset d = Datasets.load("banana");
        TrainTestSplit a = TrainTestSplit.of(d, 0.2, 0, 11);
        TrainTestSplit b = TrainTestSplit.of(d, 0.2, 0, 11);
        assertEquals(1060, a.testRows());
        assertEquals(4240, a.trainRows());
        assertArrayEquals(a.testX(), b.testX());
        assertArrayEquals(a.trainY(), b.trainY());
    }

    @Test
    void multiclass_noise_moves_the_fraction_of_training_rows_to_another_class_and_leaves_test_alone() {
        PreparedDataset d = Datasets.load("wine_quality_white");
        TrainTestSplit clean = TrainTestSplit.of(d, 0.2, 0, 3);
        TrainTestSplit noisy = TrainTestSplit.of(d, 0.2, 0.25, 3);
        assertArrayEquals(clean.testY(), noisy.testY());
        assertArrayEquals(clean.trainX(), noisy.trainX());
        int changed = 0;
        for (int r = 0; r < clean.trainRows(); r++) {
            int ones = 0;
            boolean differs = false;
            for (int k = 0; k < d.nOut(); k++) {
                float v = noisy.trainY()[r * d.nOut() + k];
                if (v == 1f) ones++;
                differs |= v != clean.trainY()[r * d.nOut() + k];
            }
            assertEquals(1, ones, "row " + r + " is still one-hot");
            if (differs) changed++;
        }
        assertEquals((int) (0.25 * clean.trainRows()), changed);
    }

    @Test
    void binary_noise_flips_the_fraction_of_training_labels() {
        PreparedDataset d = Datasets.load("banana");
        TrainTestSplit clean = TrainTestSplit.of(d, 0.2, 0, 5);
        TrainTestSplit noisy = TrainTestSplit.of(d, 0.2, 0.1, 5);
        int flipped = 0;
        for (int r = 0; r < clean.trainRows(); r++) {
            if (clean.trainY()[r] != noisy.trainY()[r]) {
                assertEquals(1f, clean.trainY()[r] + noisy.trainY()[r]);
                flipped++;
            }
        }
        assertEquals(424, flipped);
        assertArrayEquals(clean.testY(), noisy.testY());
    }

    @Test
    void regression_noise_adds_gaussian_noise_scaled_by_the_targets_std_to_training_rows_only() {
        PreparedDataset d = Datasets.load("529_pollen");
        TrainTestSplit clean = TrainTestSplit.of(d, 0.2, 0, 9);
        TrainTestSplit noisy = TrainTestSplit.of(d, 0.2, 0.5, 9);
        assertArrayEquals(clean.testY(), noisy.testY());
        int n = clean.trainRows();
        double mean = 0;
        for (float v : clean.trainY()) mean += v;
        mean /= n;
        double var = 0;
        for (float v : clean.trainY()) var += (v - mean) * (v - mean);
        double std = Math.sqrt(var / n);
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            double diff = noisy.trainY()[i] - clean.trainY()[i];
            sum += diff;
            sumSquares += diff * diff;
        }
        double noiseMean = sum / n;
        double noiseStd = Math.sqrt(sumSquares / n - noiseMean * noiseMean);
        // 3078 draws: the sample std lies well within 10% of 0.5 * std, the mean near 0
        assertEquals(0.5 * std, noiseStd, 0.05 * std);
        assertEquals(0, noiseMean, 0.1 * std);
    }
}
