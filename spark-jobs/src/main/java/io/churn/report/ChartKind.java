package io.churn.report;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/**
 * One kind of chart, all in one place: the directives a cell of this kind must give, and how it
 * draws one panel. {@link ChartSpec.Kind} names each kind with its implementation; {@link Charts}
 * lays the panels out.
 */
interface ChartKind {

    /** The directives a cell of this kind must give. */
    List<String> required();

    /** Whether {@code y} may list several columns (one line each, without series or band). */
    default boolean takesSeveralY() {
        return false;
    }

    /** One panel's plot of {@code rows}; {@code colours} keeps a series' colour the same in every panel. */
    XYPlot plot(ChartSpec spec, Table table, List<List<Object>> rows, Map<Object, Color> colours);

    /** Whether the panel shows a legend. */
    boolean legend(ChartSpec spec);

    /** Adds what the panel shows beside its plot (a colour scale, say); nothing by default. */
    default void decorate(JFreeChart panel, XYPlot plot, ChartSpec spec) {
    }
}
