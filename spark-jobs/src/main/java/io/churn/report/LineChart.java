package io.churn.report;

import static io.churn.report.ChartParts.axis;
import static io.churn.report.ChartParts.bySeries;
import static io.churn.report.ChartParts.integral;
import static io.churn.report.ChartParts.number;
import static io.churn.report.ChartParts.plottable;
import static io.churn.report.ChartParts.seriesName;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.Map;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * {@code line}: {@code y} against {@code x}, one line per value of {@code series} (or per column, when
 * {@code y} lists several); {@code low} and {@code high} shade a band around each line; {@code step: true}
 * draws steps.
 */
final class LineChart implements ChartKind {

    @Override
    public List<String> required() {
        return List.of("x", "y");
    }

    @Override
    public boolean takesSeveralY() {
        return true;
    }

    @Override
    public boolean legend(ChartSpec spec) {
        return spec.series() != null || spec.y().size() > 1;
    }

    @Override
    public XYPlot plot(ChartSpec spec, Table table, List<List<Object>> rows, Map<Object, Color> colours) {
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
}
