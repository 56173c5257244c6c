package io.churn.report;

import static io.churn.report.ChartParts.LABEL;
import static io.churn.report.ChartParts.sorted;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleInsets;

/**
 * Draws a {@link ChartSpec} over a query result with JFreeChart: one panel per facet value (in the
 * order the query returns them), each drawn by the spec's {@link ChartKind}, laid out three to a row
 * under the chart's title; a series keeps its colour in every panel.
 */
final class Charts {

    static final int PANEL_WIDTH = 420;
    static final int PANEL_HEIGHT = 320;
    static final int SINGLE_WIDTH = 760;
    static final int SINGLE_HEIGHT = 400;
    static final int TITLE_HEIGHT = 34;
    static final int COLUMNS = 3;

    /** Tableau's ten colours: distinct in print and for the common colour-vision deficiencies. */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
            new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
            new Color(0x9C755F), new Color(0xBAB0AC)};
    private static final Font TITLE = new Font("SansSerif", Font.BOLD, 16);
    private static final Font PANEL_TITLE = new Font("SansSerif", Font.BOLD, 13);

    private Charts() {
    }

    /** The chart as a PNG. */
    static byte[] png(ChartSpec spec, Table table) {
        BufferedImage image = draw(spec, table);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage draw(ChartSpec spec, Table table) {
        spec.columns().forEach(table::column);
        Map<Object, List<List<Object>>> facets = new LinkedHashMap<>();
        for (List<Object> row : table.rows()) {
            Object key = spec.facet() == null ? "" : row.get(table.column(spec.facet()));
            facets.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        Map<Object, Color> colours = colours(spec, table);
        List<JFreeChart> panels = new ArrayList<>();
        for (Map.Entry<Object, List<List<Object>>> f : facets.entrySet()) {
            String title = spec.facet() == null ? "" : Table.format(f.getKey());
            panels.add(panel(title, spec.kind().chart().plot(spec, table, f.getValue(), colours), spec));
        }
        boolean single = panels.size() <= 1;
        int columns = single ? 1 : Math.min(COLUMNS, panels.size());
        int rows = single ? 1 : (panels.size() + COLUMNS - 1) / COLUMNS;
        int width = single ? SINGLE_WIDTH : columns * PANEL_WIDTH;
        int height = TITLE_HEIGHT + (single ? SINGLE_HEIGHT : rows * PANEL_HEIGHT);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.setFont(TITLE);
        g.drawString(spec.title(), 12, 23);
        if (panels.isEmpty()) {
            g.setFont(LABEL);
            g.drawString("The query returned no rows.", 12, TITLE_HEIGHT + 30);
        }
        for (int i = 0; i < panels.size(); i++) {
            double x = single ? 0 : (i % COLUMNS) * PANEL_WIDTH;
            double y = TITLE_HEIGHT + (single ? 0 : (i / COLUMNS) * PANEL_HEIGHT);
            panels.get(i).draw(g, new Rectangle2D.Double(x, y, single ? SINGLE_WIDTH : PANEL_WIDTH,
                    single ? SINGLE_HEIGHT : PANEL_HEIGHT));
        }
        g.dispose();
        return image;
    }

    private static JFreeChart panel(String title, XYPlot plot, ChartSpec spec) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(title.isEmpty() ? null : title, PANEL_TITLE, plot,
                spec.kind().chart().legend(spec));
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 4, 4, 8));
        if (chart.getLegend() != null) {
            chart.getLegend().setFrame(BlockBorder.NONE);
            chart.getLegend().setItemFont(LABEL);
        }
        spec.kind().chart().decorate(chart, plot, spec);
        return chart;
    }

    /** One colour per series value (or y column) of the whole result, so it matches across panels. */
    private static Map<Object, Color> colours(ChartSpec spec, Table table) {
        List<Object> keys = spec.y().size() > 1 ? new ArrayList<>(spec.y())
                : spec.series() == null ? List.of("")
                : sorted(table.rows().stream().map(r -> r.get(table.column(spec.series()))).toList());
        Map<Object, Color> colours = new LinkedHashMap<>();
        for (Object k : keys) colours.put(k, PALETTE[colours.size() % PALETTE.length]);
        return colours;
    }
}
