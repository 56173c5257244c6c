package io.churn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChartsTest {

    static ChartSpec spec(String directives) {
        Map<String, String> d = new LinkedHashMap<>();
        for (String line : directives.split("\n")) {
            String[] kv = line.split(":", 2);
            d.put(kv[0].strip(), kv[1].strip());
        }
        return ChartSpec.of(d, "test");
    }

    static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) seen.add(image.getRGB(x, y));
        }
        return seen.size();
    }

    @Test
    void one_panel_per_facet_three_to_a_row() {
        ChartSpec s = spec("chart: scatter\ntitle: t\nx: p\ny: loss\nfacet: dataset");
        List<List<Object>> rows = List.of(
                Arrays.asList("a", 10L, 0.5), Arrays.asList("b", 20L, 0.4), Arrays.asList("c", 30L, 0.3),
                Arrays.asList("d", 40L, 0.2));
        BufferedImage image = Charts.draw(s, new Table(List.of("dataset", "p", "loss"), rows, rows.size()));
        assertEquals(3 * Charts.PANEL_WIDTH, image.getWidth());
        assertEquals(Charts.TITLE_HEIGHT + 2 * Charts.PANEL_HEIGHT, image.getHeight());
        assertTrue(colours(image) > 20);
    }

    @Test
    void a_heatmap_of_one_value_and_a_chart_of_no_rows_still_draw() {
        ChartSpec heat = spec("chart: heatmap\ntitle: t\nx: size\ny: depth\nvalue: loss");
        Table one = new Table(List.of("size", "depth", "loss"), List.of(Arrays.asList(64L, 2, 0.5)), 1);
        assertEquals(Charts.SINGLE_WIDTH, Charts.draw(heat, one).getWidth());
        Table none = new Table(List.of("size", "depth", "loss"), List.of(), 0);
        assertEquals(Charts.SINGLE_WIDTH, Charts.draw(heat, none).getWidth());
    }

    @Test
    void a_column_the_result_lacks_is_named() {
        ChartSpec s = spec("chart: line\ntitle: t\nx: epoch\ny: loss");
        Table t = new Table(List.of("epoch", "test_loss"), List.of(Arrays.asList(1, 0.5)), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.draw(s, t));
        assertEquals("no column 'loss' in the result; its columns: epoch, test_loss", e.getMessage());
    }
}
