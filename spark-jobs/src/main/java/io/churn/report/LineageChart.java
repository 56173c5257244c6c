package io.churn.report;

import static io.churn.report.ChartParts.LABEL;
import static io.churn.report.ChartParts.axis;
import static io.churn.report.ChartParts.number;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code lineage}: a tree of nodes ({@code x}, {@code y}), each joined to ({@code x} − 1, {@code parent}):
 * grey where a member kept its weights, orange where it copied another; rows where {@code highlight}
 * is true are drawn bold.
 */
final class LineageChart implements ChartKind {

    private static final Color KEEP = new Color(0xBAB0AC);
    private static final Color COPY = new Color(0xF28E2B);
    private static final Color HIGHLIGHT = new Color(0x4E79A7);

    @Override
    public List<String> required() {
        return List.of("x", "y", "parent");
    }

    @Override
    public boolean legend(ChartSpec spec) {
        return true;
    }

    @Override
    public XYPlot plot(ChartSpec spec, Table table, List<List<Object>> rows, Map<Object, Color> colours) {
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
}
