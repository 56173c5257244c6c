package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.train.EpochMetrics;
import io.churn.train.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedHistoriesTest {

    @Test
    void every_value_comes_back_bit_for_bit_with_absent_metrics_and_missing_values() {
        Random random = new Random(3);
        float[] loss = new float[500];
        for (int i = 0; i < loss.length; i++) loss[i] = (float) (Math.exp(-i / 50.0) + 0.01 * random.nextGaussian());
        float[] odd = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                Float.MAX_VALUE, PackedHistories.of(null), 1.5f};
        Map<String, float[]> histories = new LinkedHashMap<>();
        histories.put("train_loss", loss);
        histories.put("train_accuracy", null);
        histories.put("odd", odd);
        histories.put("empty", new float[0]);

        Map<String, float[]> back = PackedHistories.unpack(PackedHistories.pack(histories));

        assertEquals(List.copyOf(histories.keySet()), List.copyOf(back.keySet()), "every metric, in order");
        assertArrayEquals(bits(loss), bits(back.get("train_loss")));
        assertNull(back.get("train_accuracy"), "a metric that does not apply stays none");
        assertArrayEquals(bits(odd), bits(back.get("odd")), "zeros' signs, NaN, infinities kept");
        assertTrue(PackedHistories.missing(back.get("odd")[7]) && !PackedHistories.missing(back.get("odd")[2]),
                "a missing value is not a NaN one");
        assertEquals(0, back.get("empty").length);
    }

    @Test
    void a_runs_histories_pack_every_metric_and_regression_has_no_accuracy() {
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 0; e < 40; e++) {
            double loss = 1.0 / (e + 1);
            Metrics.Evaluation m = new Metrics.Evaluation(loss, null, loss * loss, loss, loss, loss / 2, 0, 0, 1, 0);
            history.add(new EpochMetrics(m, m, 0.01 * e));
        }

        Map<String, float[]> back = PackedHistories.unpack(PackedHistories.pack(history));

        assertEquals(ResultColumns.METRIC_COLUMNS, List.copyOf(back.keySet()));
        assertNull(back.get("train_accuracy"));
        assertNull(back.get("test_accuracy"));
        for (int e = 0; e < 40; e++) {
            assertEquals((float) history.get(e).trainLoss(), back.get("train_loss")[e]);
            assertEquals((float) history.get(e).seconds(), back.get("epoch_seconds")[e]);
        }
    }

    @Test
    void a_training_like_history_packs_smaller_than_its_floats() {
        Random random = new Random(5);
        float[] loss = new float[3000];
        for (int i = 0; i < loss.length; i++) loss[i] = (float) (0.05 + Math.exp(-i / 300.0) + 0.01 * random.nextGaussian());
        float[] accuracy = new float[3000];
        for (int i = 0; i < accuracy.length; i++) accuracy[i] = Math.min(1000, 500 + i / 3) / 1000f;
        byte[] packed = PackedHistories.pack(Map.of("train_loss", loss, "train_accuracy", accuracy));
        assertTrue(packed.length < 4 * 6000 * 0.75, packed.length + " bytes for 24,000 of floats");
    }

    @Test
    void a_value_of_another_version_or_damaged_is_refused() {
        byte[] packed = PackedHistories.pack(Map.of("train_loss", new float[] {1, 2, 3}));
        byte[] newer = packed.clone();
        newer[0] = 2;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackedHistories.unpack(newer));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        byte[] damaged = packed.clone();
        for (int i = 5; i < damaged.length; i++) damaged[i] ^= 0x5a;
        assertThrows(IllegalArgumentException.class, () -> PackedHistories.unpack(damaged));
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) bits[i] = Float.floatToRawIntBits(values[i]);
        return bits;
    }
}
