package io.churn;

import io.churn.sink.PackedHistories;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Histories read back from PostgreSQL (packed float32 there) as the doubles a result holds; null stays null. */
public final class SqlArrays {

    private SqlArrays() {
    }

    /** Every metric's history in column {@code histories} of the current row; null when it has none. */
    public static Map<String, List<Double>> histories(ResultSet rs) throws SQLException {
        byte[] packed = rs.getBytes("histories");
        if (packed == null) return null;
        Map<String, List<Double>> histories = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, float[]> h : PackedHistories.unpack(packed).entrySet()) {
            histories.put(h.getKey(), h.getValue() == null ? null : doubles(h.getValue()));
        }
        return histories;
    }

    /** One metric's history in column {@code histories} of the current row. */
    public static List<Double> history(ResultSet rs, String metric) throws SQLException {
        Map<String, List<Double>> histories = histories(rs);
        return histories == null ? null : histories.get(metric);
    }

    private static List<Double> doubles(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) out.add(PackedHistories.missing(v) ? null : (double) v);
        return out;
    }

    /** {@code values} as a float32 history stores them: each rounded to the nearest float. */
    public static List<Double> asStored(List<Double> values) {
        return values.stream().map(v -> v == null ? null : (double) v.floatValue()).toList();
    }
}
