package io.churn.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a SQL cell draws, from its {@code -- key: value} directives. Values name columns of the
 * query's result. {@code chart} names the {@link Kind}, each drawn by a class of its own that says
 * what it draws and which directives it needs: {@link LineChart} ({@code line}), {@link ScatterChart}
 * ({@code scatter}), {@link HeatmapChart} ({@code heatmap}) and {@link LineageChart} ({@code lineage}).
 * Every kind takes {@code title}, {@code facet} (one panel per value), {@code x_label},
 * {@code y_label}, {@code x_log} and {@code y_log} (logarithmic axes).
 */
public record ChartSpec(Kind kind, String title, String x, List<String> y, String series, String facet, String low,
                        String high, String value, String parent, String highlight, boolean step, boolean xLog,
                        boolean yLog, String xLabel, String yLabel) {

    /** The kinds of chart. */
    public enum Kind {
        LINE(new LineChart()), SCATTER(new ScatterChart()), HEATMAP(new HeatmapChart()), LINEAGE(new LineageChart());

        private final ChartKind chart;

        Kind(ChartKind chart) {
            this.chart = chart;
        }

        /** What the kind needs and how it draws. */
        ChartKind chart() {
            return chart;
        }

        String specName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every directive a chart cell may have. */
    public static final List<String> KEYS = List.of("chart", "title", "x", "y", "series", "facet", "low", "high",
            "value", "parent", "highlight", "step", "x_log", "y_log", "x_label", "y_label");

    public ChartSpec {
        y = List.copyOf(y);
    }

    /** The spec from a cell's directives; {@code where} names the cell in errors. */
    static ChartSpec of(Map<String, String> directives, String where) {
        Map<String, String> d = new HashMap<>(directives);
        String kindName = d.remove("chart");
        if (kindName == null) {
            throw new IllegalArgumentException(where + ": directives " + directives.keySet()
                    + " need a 'chart' directive: " + kinds());
        }
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.specName().equals(kindName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(where + ": unknown chart '" + kindName + "'; known: "
                        + kinds()));
        for (String key : kind.chart().required()) {
            if (d.get(key) == null || d.get(key).isBlank()) {
                throw new IllegalArgumentException(where + ": a " + kindName + " chart needs '" + key + "'");
            }
        }
        List<String> y = Arrays.stream(d.get("y").split(",")).map(String::strip).toList();
        if (y.size() > 1 && (!kind.chart().takesSeveralY() || d.containsKey("series") || d.containsKey("low"))) {
            throw new IllegalArgumentException(where + ": several y columns are for a line chart without series or band");
        }
        if (d.containsKey("low") != d.containsKey("high")) {
            throw new IllegalArgumentException(where + ": a band needs both 'low' and 'high'");
        }
        return new ChartSpec(kind, d.getOrDefault("title", ""), d.get("x"), y, d.get("series"), d.get("facet"),
                d.get("low"), d.get("high"), d.get("value"), d.get("parent"), d.get("highlight"), flag(d, "step", where),
                flag(d, "x_log", where), flag(d, "y_log", where), d.getOrDefault("x_label", d.get("x")),
                d.getOrDefault("y_label", y.size() == 1 ? d.get("y") : ""));
    }

    /** Every column the chart reads. */
    List<String> columns() {
        List<String> columns = new ArrayList<>();
        columns.add(x);
        columns.addAll(y);
        for (String c : new String[] {series, facet, low, high, value, parent, highlight}) {
            if (c != null) columns.add(c);
        }
        return columns;
    }

    private static boolean flag(Map<String, String> d, String key, String where) {
        String v = d.get(key);
        if (v == null || v.equals("false")) return false;
        if (v.equals("true")) return true;
        throw new IllegalArgumentException(where + ": " + key + " is true or false, not '" + v + "'");
    }

    private static String kinds() {
        return String.join(", ", Arrays.stream(Kind.values()).map(Kind::specName).toList());
    }
}
