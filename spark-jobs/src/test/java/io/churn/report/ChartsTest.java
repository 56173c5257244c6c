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

    /** How many pixels have the colour {@code rgb}, within rows [top, bottom). */
    static int pixels(BufferedImage image, int rgb, int top, int bottom) {
        int n = 0;
        for (int y = top; y < bottom; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) n++;
            }
        }
        return n;
    }

    @Test
    void a_heatmap_of_one_value_paints_its_cell_and_a_chart_of_no_rows_says_so() {
        ChartSpec heat = spec("chart: heatmap\ntitle: t\nx: size\ny: depth\nvalue: loss");
        Table one = new Table(List.of("size", "depth", "loss"), List.of(Arrays.asList(64L, 2, 0.5)), 1);
        BufferedImage single = Charts.draw(heat, one);
        assertEquals(Charts.SINGLE_WIDTH, single.getWidth());
        // one value still gets a scale: its cell fills the plot in the scale's lowest colour
        int lowest = 0x440154;
        int area = single.getWidth() * single.getHeight();
        assertTrue(pixels(single, lowest, 0, single.getHeight()) > area / 4, "the cell is painted");

        Table none = new Table(List.of("size", "depth", "loss"), List.of(), 0);
        BufferedImage empty = Charts.draw(heat, none);
        assertEquals(Charts.SINGLE_WIDTH, empty.getWidth());
        int message = Charts.TITLE_HEIGHT + 40;
        int white = 0xFFFFFF;
        assertTrue(pixels(empty, white, Charts.TITLE_HEIGHT, message) < empty.getWidth() * 40, "the message is written");
        assertEquals(empty.getWidth() * (empty.getHeight() - message), pixels(empty, white, message, empty.getHeight()),
                "no panel is drawn under it");
    }

    @Test
    void a_column_the_result_lacks_is_named() {
        ChartSpec s = spec("chart: line\ntitle: t\nx: epoch\ny: loss");
        Table t = new Table(List.of("epoch", "test_loss"), List.of(Arrays.asList(1, 0.5)), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.draw(s, t));
        assertEquals("no column 'loss' in the result; its columns: epoch, test_loss", e.getMessage());
    }
}
