package io.churn;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A history read back from PostgreSQL (float4 there) as the doubles a result holds; null stays null. */
public final class SqlArrays {

    private SqlArrays() {
    }

    public static List<Double> doubles(Array array) throws SQLException {
        if (array == null) return null;
        List<Double> values = new ArrayList<>();
        for (Object v : (Object[]) array.getArray()) values.add(v == null ? null : ((Number) v).doubleValue());
        return values;
    }

    /** {@code values} as a float4 history stores them: each rounded to the nearest float. */
    public static List<Double> asStored(List<Double> values) {
        return values.stream().map(v -> v == null ? null : (double) v.floatValue()).toList();
    }
}
