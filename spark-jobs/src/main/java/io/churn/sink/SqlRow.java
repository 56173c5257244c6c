package io.churn.sink;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.util.PGobject;

/**
 * One row's values by column name, bound to a statement that names its columns. Arrays and JSON
 * are kept as what they are until a live connection binds them (a retried call may bind them on
 * a new one).
 */
final class SqlRow {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** A value JDBC binds as it is (text, numbers, timestamps), or null. */
    SqlRow put(String column, Object value) {
        values.put(column, value);
        return this;
    }

    SqlRow putAll(SqlRow other) {
        values.putAll(other.values);
        return this;
    }

    /** An {@code integer[]}; null stays null. */
    SqlRow ints(String column, List<Integer> array) {
        return put(column, array == null ? null : new SqlArray("int4", array.toArray()));
    }

    /** A {@code jsonb} value from its JSON text. */
    SqlRow json(String column, String json) {
        return put(column, new Json(json));
    }

    Set<String> columns() {
        return values.keySet();
    }

    Object get(String column) {
        return values.get(column);
    }

    /** Binds the values of {@code columns}, in order, as parameters 1, 2, ...; every column needs a value. */
    void bind(PreparedStatement s, List<String> columns) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            if (!values.containsKey(column)) {
                throw new IllegalStateException("no value for column " + column);
            }
            Object value = values.get(column);
            if (value instanceof SqlArray a) {
                s.setArray(i + 1, s.getConnection().unwrap(PgConnection.class).createArrayOf(a.type(), a.elements()));
            } else if (value instanceof Json j) {
                PGobject json = new PGobject();
                json.setType("jsonb");
                json.setValue(j.text());
                s.setObject(i + 1, json);
            } else {
                s.setObject(i + 1, value);
            }
        }
    }

    /** An array's element type and its elements. */
    private record SqlArray(String type, Object[] elements) {
    }

    private record Json(String text) {
    }
}
