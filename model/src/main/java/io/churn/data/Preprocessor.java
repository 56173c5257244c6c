package io.churn.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * BUTTER's per-column preprocessing, for inputs and target alike: a column with one distinct
 * value is dropped; two values become 0/1 (the first row's value is 1, as in BUTTER); at most
 * {@value #MAX_ONE_HOT} distinct values, or any non-numeric value, become one-hot columns in sorted
 * order; anything else is min-max scaled to [0, 1].
 */
public final class Preprocessor {

    public static final int MAX_ONE_HOT = 20;

    private Preprocessor() {
    }

    /** How one raw column becomes zero or more numeric columns. */
    enum Encoding { DROP, BINARY, ONE_HOT, MIN_MAX }

    /** A raw column's encoding, with what it needs to encode a value. */
    record ColumnCode(Encoding encoding, Map<String, Integer> index, int distinct, double min, double max) {
        int width() {
            switch (encoding) {
                case DROP: return 0;
                case ONE_HOT: return distinct;
                default: return 1;
            }
        }

        void encode(String value, float[] out, int offset) {
            switch (encoding) {
                case DROP:
                    return;
                case BINARY:
                    out[offset] = index.get(value);
                    return;
                case ONE_HOT:
                    out[offset + index.get(value)] = 1f;
                    return;
                default:
                    out[offset] = (float) ((Double.parseDouble(value) - min) / (max - min));
            }
        }
    }

    static ColumnCode code(List<String> values) {
        boolean numeric = values.stream().allMatch(Preprocessor::isNumber);
        // numeric columns sort by value, so "10" follows "9" and "1.0" equals "1"
        Comparator<String> order = numeric
                ? Comparator.comparingDouble(Double::parseDouble)
                : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        distinct.addAll(values);
        Map<String, Integer> index = new HashMap<>();
        int i = 0;
        for (String d : distinct) {
            index.put(d, i++);
        }
        // values equal as numbers but spelled differently ("1" and "1.0") share an index
        for (String v : values) {
            index.computeIfAbsent(v, k -> index.get(distinct.floor(k)));
        }
        if (distinct.size() <= 1) {
            return new ColumnCode(Encoding.DROP, index, distinct.size(), 0, 0);
        } else if (distinct.size() == 2) {
            int firstRow = index.get(values.get(0));
            Map<String, Integer> oneIfFirst = new HashMap<>();
            index.forEach((value, k) -> oneIfFirst.put(value, k == firstRow ? 1 : 0));
            return new ColumnCode(Encoding.BINARY, oneIfFirst, distinct.size(), 0, 0);
        } else if (distinct.size() <= MAX_ONE_HOT || !numeric) {
            return new ColumnCode(Encoding.ONE_HOT, index, distinct.size(), 0, 0);
        }
        return new ColumnCode(Encoding.MIN_MAX, index, distinct.size(),
                Double.parseDouble(distinct.first()), Double.parseDouble(distinct.last()));
    }

    private static boolean isNumber(String s) {
        try {
            double d = Double.parseDouble(s);
            return !Double.isNaN(d) && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Preprocesses a table whose last column is the target. */
    public static PreparedDataset prepare(String name, List<String> header, List<String[]> rows) {
        int columns = header.size();
        if (columns < 2 || rows.isEmpty()) {
            throw new IllegalArgumentException(name + ": needs at least one input column, the target and one row");
        }
        List<ColumnCode> codes = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) {
            List<String> values = new ArrayList<>(rows.size());
            for (String[] r : rows) {
                values.add(r[c]);
            }
            codes.add(code(values));
        }
        ColumnCode target = codes.get(columns - 1);
        Task task;
        switch (target.encoding()) {
            case DROP:
                throw new IllegalArgumentException(name + ": the target column '" + header.get(columns - 1)
                        + "' has a single value; there is nothing to learn");
            case BINARY:
                task = Task.BINARY;
                break;
            case ONE_HOT:
                task = Task.MULTICLASS;
                break;
            default:
                task = Task.REGRESSION;
        }
        int nIn = 0;
        for (int c = 0; c < columns - 1; c++) {
            nIn += codes.get(c).width();
        }
        if (nIn == 0) {
            throw new IllegalArgumentException(name + ": every input column is constant");
        }
        int nOut = target.width();
        float[] x = new float[rows.size() * nIn];
        float[] y = new float[rows.size() * nOut];
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            int offset = r * nIn;
            for (int c = 0; c < columns - 1; c++) {
                ColumnCode code = codes.get(c);
                code.encode(row[c], x, offset);
                offset += code.width();
            }
            target.encode(row[columns - 1], y, r * nOut);
        }
        return new PreparedDataset(name, task, rows.size(), nIn, nOut, x, y, null);
    }
}
