package io.churn.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * A query result on the driver, as plain Java values (arrays as lists): the first rows, and how
 * many rows the query had in all.
 */
public record Table(List<String> columns, List<List<Object>> rows, long totalRows) {

    private static final MathContext SIGNIFICANT = new MathContext(5);

    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> Collections.unmodifiableList(new ArrayList<>(r))).toList();
    }

    /** Every row of {@code result}: for charts, whose queries aggregate to a few hundred rows. */
    public static Table all(Dataset<Row> result) {
        List<List<Object>> rows = convert(result, result.collectAsList());
        return new Table(List.of(result.columns()), rows, rows.size());
    }

    /** The first {@code limit} rows of {@code result}, counting the rest only when there are more. */
    public static Table first(Dataset<Row> result, int limit) {
        List<Row> taken = result.takeAsList(limit + 1);
        long total = taken.size() > limit ? result.count() : taken.size();
        return new Table(List.of(result.columns()), convert(result, taken.subList(0, Math.min(limit, taken.size()))),
                total);
    }

    /** The index of a column; an error naming the columns there are when it is missing. */
    public int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in the result; its columns: "
                    + String.join(", ", columns));
        }
        return i;
    }

    /** An HTML table, as pandas and Jupyter show data frames. */
    public String html() {
        StringBuilder h = new StringBuilder("<table class=\"dataframe\">\n<thead><tr>");
        for (String c : columns) h.append("<th>").append(escape(c)).append("</th>");
        h.append("</tr></thead>\n<tbody>\n");
        for (List<Object> row : rows) {
            h.append("<tr>");
            for (Object v : row) {
                h.append(v instanceof Number ? "<td class=\"number\">" : "<td>").append(escape(format(v)))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>");
        if (totalRows > rows.size()) {
            h.append("\n<p class=\"more\">").append(rows.size()).append(" of ").append(totalRows).append(" rows</p>");
        }
        return h.toString();
    }

    /** Aligned plain text. */
    public String text() {
        int[] width = new int[columns.size()];
        List<List<String>> cells = rows.stream().map(r -> r.stream().map(Table::format).toList()).toList();
        for (int c = 0; c < width.length; c++) {
            width[c] = columns.get(c).length();
            for (List<String> r : cells) width[c] = Math.max(width[c], r.get(c).length());
        }
        StringBuilder t = new StringBuilder();
        t.append(line(columns, width, null)).append('\n');
        for (int r = 0; r < cells.size(); r++) {
            t.append(line(cells.get(r), width, rows.get(r))).append('\n');
        }
        if (totalRows > rows.size()) t.append(rows.size()).append(" of ").append(totalRows).append(" rows\n");
        return t.toString();
    }

    /** A value as a reader wants it: numbers to five significant digits, lists in brackets, null as null. */
    public static String format(Object v) {
        if (v == null) return "null";
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) return Double.toString(d);
            if (d == Math.rint(d) && Math.abs(d) < 1e6) return Long.toString((long) d);
            return new BigDecimal(d).round(SIGNIFICANT).stripTrailingZeros().toString();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(Table::format).collect(Collectors.joining(", ", "[", "]"));
        }
        return v.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String line(List<String> values, int[] width, List<Object> raw) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            if (c > 0) l.append("  ");
            boolean right = raw != null && raw.get(c) instanceof Number;
            String v = values.get(c);
            String pad = " ".repeat(width[c] - v.length());
            l.append(right ? pad + v : v + (c == width.length - 1 ? "" : pad));
        }
        return l.toString();
    }

    private static List<List<Object>> convert(Dataset<Row> result, List<Row> rows) {
        StructField[] fields = result.schema().fields();
        List<List<Object>> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<Object> values = new ArrayList<>(fields.length);
            for (int i = 0; i < fields.length; i++) {
                if (row.isNullAt(i)) {
                    values.add(null);
                } else if (fields[i].dataType() instanceof ArrayType) {
                    values.add(new ArrayList<>(row.getList(i)));
                } else {
                    values.add(row.get(i));
                }
            }
            out.add(values);
        }
        return out;
    }
}
