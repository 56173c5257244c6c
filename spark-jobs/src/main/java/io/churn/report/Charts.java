package io.churn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws a {@link ChartSpec} over a query result with JFreeChart: one panel per facet value (in the
 * order the query returns them), laid out three to a row under the chart's title; a series keeps
 * its colour in every panel.
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
    private static final Color KEEP = new Color(0xBAB0AC);
    private static final Color COPY = new Color(0xF28E2B);
    private static final Color HIGHLIGHT = new Color(0x4E79A7);
    private static final Font TITLE = new Font("SansSerif", Font.BOLD, 16);
    private static final Font PANEL_TITLE = new Font("SansSerif", Font.BOLD, 13);
    private static final Font LABEL = new Font("SansSerif", Font.PLAIN, 11);

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
            XYPlot plot = switch (spec.kind()) {
                case LINE -> line(spec, table, f.getValue(), colours);
                case SCATTER -> scatter(spec, table, f.getValue(), colours);
                case HEATMAP -> heatmap(spec, table, f.getValue());
                case LINEAGE -> lineage(spec, table, f.getValue());
            };
            panels.add(panel(title, plot, spec));
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
                spec.kind() != ChartSpec.Kind.HEATMAP && (spec.series() != null || spec.y().size() > 1
                        || spec.kind() == ChartSpec.Kind.LINEAGE));
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 4, 4, 8));
        if (chart.getLegend() != null) {
            chart.getLegend().setFrame(BlockBorder.NONE);
            chart.getLegend().setItemFont(LABEL);
        }
        if (plot.getRenderer() instanceof XYBlockRenderer blocks) {
            NumberAxis values = new NumberAxis(spec.value());
            values.setLabelFont(LABEL);
            values.setTickLabelFont(LABEL);
            PaintScaleLegend scale = new PaintScaleLegend(blocks.getPaintScale(), values);
            scale.setPosition(RectangleEdge.RIGHT);
            scale.setStripWidth(10);
            scale.setAxisOffset(4);
            scale.setMargin(4, 8, 4, 4);
            chart.addSubtitle(scale);
        }
        return chart;
    }

    private static XYPlot line(ChartSpec spec, Table table, List<List<Object>> rows, Map<Object, Color> colours) {
        int x = table.column(spec.x());
        Map<Object, List<List<Object>>> bySeries = bySeries(spec, table, rows);
        XYItemRenderer renderer;
        XYPlot plot = new XYPlot();
        if (spec.low() != null) {
            int y = table.column(spec.y().get(0));
            int low = table.column(spec.low());
            int high = table.column(spec.high());
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            DeviationRenderer band = new DeviationRenderer(true, false);
            band.setAlpha(0.18f);
            for (Map.Entry<Object, List<List<Object>>> s : bySeries.entrySet()) {
                YIntervalSeries series = new YIntervalSeries(seriesName(spec, s.getKey()));
                for (List<Object> r : s.getValue()) {
                    if (r.get(y) == null || !plottable(spec, r.get(x), r.get(y))) continue;
                    double v = number(r.get(y), spec.y().get(0));
                    series.add(number(r.get(x), spec.x()), v, r.get(low) == null ? v : number(r.get(low), spec.low()),
                            r.get(high) == null ? v : number(r.get(high), spec.high()));
                }
                int i = data.getSeriesCount();
                data.addSeries(series);
                band.setSeriesPaint(i, colours.get(s.getKey()));
                band.setSeriesFillPaint(i, colours.get(s.getKey()));
                band.setSeriesStroke(i, new BasicStroke(2f));
            }
            plot.setDataset(data);
            renderer = band;
        } else {
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer lines = spec.step() ? new XYStepRenderer() : new XYLineAndShapeRenderer(true, true);
            for (Map.Entry<Object, List<List<Object>>> s : bySeries.entrySet()) {
                for (String column : spec.y()) {
                    int y = table.column(column);
                    Object key = spec.y().size() > 1 ? column : s.getKey();
                    XYSeries series = new XYSeries(spec.y().size() > 1 ? column : seriesName(spec, s.getKey()), true, true);
                    for (List<Object> r : s.getValue()) {
                        if (r.get(y) != null && plottable(spec, r.get(x), r.get(y))) {
                            series.add(number(r.get(x), spec.x()), number(r.get(y), column));
                        }
                    }
                    int i = data.getSeriesCount();
                    data.addSeries(series);
                    lines.setSeriesPaint(i, colours.get(key));
                    lines.setSeriesStroke(i, new BasicStroke(2f));
                    lines.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
                }
            }
            plot.setDataset(data);
            renderer = lines;
        }
        plot.setRenderer(renderer);
        plot.setDomainAxis(axis(spec.xLabel(), spec.xLog(), integral(rows, x)));
        plot.setRangeAxis(axis(spec.yLabel(), spec.yLog(), false));
        return plot;
    }

    private static XYPlot scatter(ChartSpec spec, Table table, List<List<Object>> rows, Map<Object, Color> colours) {
        int x = table.column(spec.x());
        int y = table.column(spec.y().get(0));
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
        for (Map.Entry<Object, List<List<Object>>> s : bySeries(spec, table, rows).entrySet()) {
            XYSeries series = new XYSeries(seriesName(spec, s.getKey()), true, true);
            for (List<Object> r : s.getValue()) {
                if (r.get(x) != null && r.get(y) != null && plottable(spec, r.get(x), r.get(y))) {
                    series.add(number(r.get(x), spec.x()), number(r.get(y), spec.y().get(0)));
                }
            }
            int i = data.getSeriesCount();
            data.addSeries(series);
            points.setSeriesPaint(i, colours.get(s.getKey()));
            points.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        XYPlot plot = new XYPlot(data, axis(spec.xLabel(), spec.xLog(), integral(rows, x)),
                axis(spec.yLabel(), spec.yLog(), false), points);
        return plot;
    }

    private static XYPlot heatmap(ChartSpec spec, Table table, List<List<Object>> rows) {
        int x = table.column(spec.x());
        int y = table.column(spec.y().get(0));
        int value = table.column(spec.value());
        List<Object> xs = categories(rows, x);
        List<Object> ys = categories(rows, y);
        List<double[]> cells = new ArrayList<>();
        double lower = Double.POSITIVE_INFINITY;
        double upper = Double.NEGATIVE_INFINITY;
        for (List<Object> r : rows) {
            if (r.get(value) == null) continue;
            double v = number(r.get(value), spec.value());
            if (!Double.isFinite(v)) continue;
            cells.add(new double[] {xs.indexOf(r.get(x)), ys.indexOf(r.get(y)), v});
            lower = Math.min(lower, v);
            upper = Math.max(upper, v);
        }
        if (cells.isEmpty()) {
            lower = 0;
            upper = 1;
        }
        // a scale needs a range: one value (or equal ones) gets an arbitrary width around it
        if (upper <= lower) upper = lower + Math.max(1e-9, Math.abs(lower) * 1e-3);
        DefaultXYZDataset data = new DefaultXYZDataset();
        double[][] series = new double[3][cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            for (int k = 0; k < 3; k++) series[k][i] = cells.get(i)[k];
        }
        data.addSeries(spec.value(), series);
        XYBlockRenderer blocks = new XYBlockRenderer();
        Viridis scale = new Viridis(lower, upper);
        blocks.setPaintScale(scale);
        SymbolAxis xAxis = new SymbolAxis(spec.xLabel(), xs.stream().map(Table::format).toArray(String[]::new));
        SymbolAxis yAxis = new SymbolAxis(spec.yLabel(), ys.stream().map(Table::format).toArray(String[]::new));
        for (SymbolAxis a : List.of(xAxis, yAxis)) {
            a.setGridBandsVisible(false);
            a.setLabelFont(LABEL);
        }
        XYPlot plot = new XYPlot(data, xAxis, yAxis, blocks);
        for (double[] c : cells) {
            XYTextAnnotation label = new XYTextAnnotation(Table.format(c[2]), c[0], c[1]);
            label.setFont(LABEL);
            label.setTextAnchor(TextAnchor.CENTER);
            label.setPaint(scale.dark(c[2]) ? Color.WHITE : Color.BLACK);
            plot.addAnnotation(label);
        }
        return plot;
    }

    private static XYPlot lineage(ChartSpec spec, Table table, List<List<Object>> rows) {
        int x = table.column(spec.x());
        int y = table.column(spec.y().get(0));
        int parent = table.column(spec.parent());
        int highlight = spec.highlight() == null ? -1 : table.column(spec.highlight());
        XYSeries nodes = new XYSeries("member", true, true);
        XYSeries marked = new XYSeries(spec.highlight() == null ? "" : spec.highlight(), true, true);
        List<XYLineAnnotation> edges = new ArrayList<>();
        List<XYLineAnnotation> markedEdges = new ArrayList<>();
        for (List<Object> r : rows) {
            double gx = number(r.get(x), spec.x());
            double my = number(r.get(y), spec.y().get(0));
            boolean bold = highlight >= 0 && Boolean.TRUE.equals(r.get(highlight));
            (bold ? marked : nodes).add(gx, my);
            if (r.get(parent) != null) {
                double p = number(r.get(parent), spec.parent());
                Color colour = bold ? HIGHLIGHT : p == my ? KEEP : COPY;
                XYLineAnnotation edge = new XYLineAnnotation(gx - 1, p, gx, my,
                        new BasicStroke(bold ? 3.5f : p == my ? 1.5f : 2f), colour);
                (bold ? markedEdges : edges).add(edge);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(nodes);
        data.addSeries(marked);
        XYLineAndShapeRenderer points = new XYLineAndShapeRenderer(false, true);
        points.setSeriesPaint(0, Color.GRAY);
        points.setSeriesPaint(1, HIGHLIGHT);
        points.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        points.setSeriesShape(1, new Ellipse2D.Double(-5, -5, 10, 10));
        NumberAxis generations = (NumberAxis) axis(spec.xLabel(), false, true);
        NumberAxis members = (NumberAxis) axis(spec.yLabel(), false, true);
        members.setInverted(true);
        XYPlot plot = new XYPlot(data, generations, members, points);
        // annotations draw in the order added: plain edges first, the highlighted path on top
        edges.forEach(plot::addAnnotation);
        markedEdges.forEach(plot::addAnnotation);
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(edgeLegend("keeps its weights", KEEP));
        legend.add(edgeLegend("copies another member", COPY));
        if (spec.highlight() != null) legend.add(edgeLegend(spec.highlight(), HIGHLIGHT));
        plot.setFixedLegendItems(legend);
        return plot;
    }

    private static LegendItem edgeLegend(String label, Color colour) {
        LegendItem item = new LegendItem(label, null, null, null, new Line2D.Double(-8, 0, 8, 0),
                new BasicStroke(2.5f), colour);
        item.setLabelFont(LABEL);
        return item;
    }

    private static ValueAxis axis(String label, boolean log, boolean integers) {
        if (log) {
            LogAxis axis = new LogAxis(label);
            // ticks labelled as plain numbers (126, 0.0032), not as powers (10^2.1)
            axis.setNumberFormatOverride(new SignificantDigits());
            axis.setLabelFont(LABEL);
            return axis;
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        axis.setAutoRangeStickyZero(false);
        axis.setLabelFont(LABEL);
        if (integers) axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return axis;
    }

    /** Rows per series value, in the colour order; one group when the chart has no series. */
    private static Map<Object, List<List<Object>>> bySeries(ChartSpec spec, Table table, List<List<Object>> rows) {
        Map<Object, List<List<Object>>> groups = new LinkedHashMap<>();
        if (spec.series() == null) {
            groups.put("", rows);
            return groups;
        }
        int s = table.column(spec.series());
        for (Object key : sorted(rows.stream().map(r -> r.get(s)).toList())) {
            groups.put(key, rows.stream().filter(r -> Objects.equals(r.get(s), key)).toList());
        }
        return groups;
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

    private static String seriesName(ChartSpec spec, Object key) {
        return spec.series() == null ? spec.y().get(0) : spec.series() + " = " + Table.format(key);
    }

    private static List<Object> categories(List<List<Object>> rows, int column) {
        return sorted(rows.stream().map(r -> r.get(column)).toList());
    }

    /** Distinct values in natural order (numbers by value), nulls last. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object> sorted(List<Object> values) {
        Set<Object> distinct = new LinkedHashSet<>(values);
        List<Object> out = new ArrayList<>(distinct);
        Comparator<Object> order = (a, b) -> a instanceof Number na && b instanceof Number nb
                ? Double.compare(na.doubleValue(), nb.doubleValue())
                : a instanceof Comparable ca && a.getClass() == b.getClass() ? ca.compareTo(b)
                : Table.format(a).compareTo(Table.format(b));
        out.sort(Comparator.nullsLast(order));
        return out;
    }

    /** A log axis cannot show zero or negative values: those points are left out. */
    private static boolean plottable(ChartSpec spec, Object x, Object y) {
        return (!spec.xLog() || number(x, spec.x()) > 0) && (!spec.yLog() || number(y, spec.y().get(0)) > 0);
    }

    private static boolean integral(List<List<Object>> rows, int column) {
        return rows.stream().map(r -> r.get(column)).allMatch(v -> v == null || v instanceof Integer
                || v instanceof Long || v instanceof Short);
    }

    private static double number(Object v, String column) {
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("column '" + column + "' must be numeric to be plotted, not '" + v + "'");
    }

    /** Three significant digits, in plain notation unless the number is very small or large. */
    static final class SignificantDigits extends NumberFormat {
        private static final MathContext DIGITS = new MathContext(3);

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            if (number == 0 || !Double.isFinite(number)) return to.append(Table.format(number));
            BigDecimal rounded = new BigDecimal(number).round(DIGITS).stripTrailingZeros();
            return to.append(Math.abs(number) >= 1e-4 && Math.abs(number) < 1e7 ? rounded.toPlainString()
                    : rounded.toString());
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return format((double) number, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("only formats axis ticks");
        }
    }

    /** Viridis, perceptually uniform: equal steps in value look like equal steps in colour. */
    static final class Viridis implements PaintScale {
        private static final int[] STOPS = {0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725};
        private final double lower;
        private final double upper;

        Viridis(double lower, double upper) {
            this.lower = lower;
            this.upper = upper;
        }

        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Math.max(0, Math.min(1, (value - lower) / (upper - lower))) * (STOPS.length - 1);
            int i = Math.min((int) t, STOPS.length - 2);
            double f = t - i;
            Color a = new Color(STOPS[i]);
            Color b = new Color(STOPS[i + 1]);
            return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                    (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                    (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
        }

        /** Whether text on this value's colour reads better in white. */
        boolean dark(double value) {
            return (value - lower) / (upper - lower) < 0.55;
        }
    }
}
