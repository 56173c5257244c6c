package io.churn.report;

import java.awt.Font;
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
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;

/** What the chart kinds share: axes, series grouping, category order and number handling. */
final class ChartParts {

    static final Font LABEL = new Font("SansSerif", Font.PLAIN, 11);

    private ChartParts() {
    }

    static ValueAxis axis(String label, boolean log, boolean integers) {
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
    static Map<Object, List<List<Object>>> bySeries(ChartSpec spec, Table table, List<List<Object>> rows) {
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

    static String seriesName(ChartSpec spec, Object key) {
        return spec.series() == null ? spec.y().get(0) : spec.series() + " = " + Table.format(key);
    }

    static List<Object> categories(List<List<Object>> rows, int column) {
        return sorted(rows.stream().map(r -> r.get(column)).toList());
    }

    /** Distinct values in natural order (numbers by value), nulls last. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<Object> sorted(List<Object> values) {
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
    static boolean plottable(ChartSpec spec, Object x, Object y) {
        return (!spec.xLog() || number(x, spec.x()) > 0) && (!spec.yLog() || number(y, spec.y().get(0)) > 0);
    }

    static boolean integral(List<List<Object>> rows, int column) {
        return rows.stream().map(r -> r.get(column)).allMatch(v -> v == null || v instanceof Integer
                || v instanceof Long || v instanceof Short);
    }

    static double number(Object v, String column) {
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("column '" + column + "' must be numeric to be plotted, not '" + v + "'");
    }

    /** Three significant digits, in plain notation unless the number is very small or large. */
    static final class SignificantDigits extends NumberFormat {
        static final MathContext DIGITS = new MathContext(3);

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
}
