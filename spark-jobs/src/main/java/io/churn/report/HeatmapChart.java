package io.churn.report;

import static io.churn.report.ChartParts.LABEL;
import static io.churn.report.ChartParts.categories;
import static io.churn.report.ChartParts.number;

import java.awt.Color;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * {@code heatmap}: {@code value} in cells of {@code x} by {@code y}, both taken as categories, with its
 * colour scale beside.
 */
final class HeatmapChart implements ChartKind {

    @Override
    public List<String> required() {
        return List.of("x", "y", "value");
    }

    @Override
    public boolean legend(ChartSpec spec) {
        return false;
    }

    @Override
    public void decorate(JFreeChart panel, XYPlot plot, ChartSpec spec) {
        NumberAxis values = new NumberAxis(spec.value());
        values.setLabelFont(LABEL);
        values.setTickLabelFont(LABEL);
        PaintScaleLegend scale = new PaintScaleLegend(((XYBlockRenderer) plot.getRenderer()).getPaintScale(), values);
        scale.setPosition(RectangleEdge.RIGHT);
        scale.setStripWidth(10);
        scale.setAxisOffset(4);
        scale.setMargin(4, 8, 4, 4);
        panel.addSubtitle(scale);
    }

    @Override
    public XYPlot plot(ChartSpec spec, Table table, List<List<Object>> rows, Map<Object, Color> colours) {
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
