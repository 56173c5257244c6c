package io.churn.report;

import static io.churn.report.ChartParts.axis;
import static io.churn.report.ChartParts.bySeries;
import static io.churn.report.ChartParts.integral;
import static io.churn.report.ChartParts.number;
import static io.churn.report.ChartParts.plottable;
import static io.churn.report.ChartParts.seriesName;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.Map;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** {@code scatter}: points of {@code y} against {@code x}, coloured by {@code series}. */
final class ScatterChart implements ChartKind {

    @Override
    public List<String> required() {
        return List.of("x", "y");
    }

    @Override
    public boolean legend(ChartSpec spec) {
        return spec.series() != null;
    }

    @Override
    public XYPlot plot(ChartSpec spec, Table table, List<List<Object>> rows, Map<Object, Color> colours) {
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
}
