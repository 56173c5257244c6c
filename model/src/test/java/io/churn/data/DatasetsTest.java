package io.churn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsTest {

    @Test
    void each_column_is_dropped_coded_one_hot_or_scaled_by_its_distinct_values() {
        List<String> header = List.of("constant", "two", "colour", "many", "target");
        List<String[]> rows = new ArrayList<>();
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 30; i++) {
            rows.add(new String[] {"5", i % 2 == 0 ? "a" : "b", colours[i % 3], Integer.toString(i * 2), Integer.toString(i % 2)});
        }
        PreparedDataset d = Preprocessor.prepare("tiny", header, rows);
        assertEquals(Task.BINARY, d.task());
        assertEquals(1 + 3 + 1, d.nIn());
        assertEquals(1, d.nOut());
        // row 1: two=b -> 1; colour=green -> one-hot over [blue, green, red]; many = 2 of 0..58
        float[] row1 = java.util.Arrays.copyOfRange(d.x(), 5, 10);
        assertArrayEquals(new float[] {1f, 0f, 1f, 0f, 2f / 58f}, row1, 1e-6f);
        assertEquals(1f, d.y()[1]);
    }

    @Test
    void numeric_one_hot_orders_by_value() {
        List<String[]> rows = new ArrayList<>();
        for (String t : new String[] {"10", "9", "2", "9.0"}) {
            rows.add(new String[] {t, t});
        }
        PreparedDataset d = Preprocessor.prepare("order", List.of("x", "target"), rows);
        assertEquals(Task.MULTICLASS, d.task());
        assertEquals(3, d.nOut());
        // "10" is the largest of 2, 9, 10; "9" and "9.0" are one class
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0}, d.y());
    }

    @Test
    void bundled_datasets_load_with_their_task() {
        PreparedDataset banana = Datasets.load("banana");
        assertEquals(5300, banana.rows());
        assertEquals(Task.BINARY, banana.task());
        assertEquals(2, banana.nIn());
        assertEquals(1, banana.nOut());
        PreparedDataset wine = Datasets.load("wine_quality_white");
        assertEquals(Task.MULTICLASS, wine.task());
        assertEquals(7, wine.nOut());
        assertEquals(Task.REGRESSION, Datasets.load("529_pollen").task());
        assertSame(banana, Datasets.load("banana"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("iris"));
    }
}
