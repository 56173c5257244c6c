package io.churn.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An insert of named columns into {@code table} whose {@code onConflict} clause says what happens
 * to a row already there. Keyed writes are idempotent, so the reconnect policy may repeat them.
 */
record Upsert(String table, List<String> columns, String onConflict) {

    Upsert {
        columns = List.copyOf(columns);
    }

    /** An existing row with the same {@code key} gets the other columns' new values. */
    static Upsert replacing(String table, List<String> key, List<String> columns) {
        return replacing(table, key, columns, columns.stream().filter(c -> !key.contains(c)).toList());
    }

    /** An existing row with the same {@code key} gets new values in {@code replaced} and keeps the others. */
    static Upsert replacing(String table, List<String> key, List<String> columns, List<String> replaced) {
        return new Upsert(table, columns, "on conflict (" + String.join(", ", key) + ") do update set "
                + replaced.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", ")));
    }

    /** An existing row with the same key is left as it is. */
    static Upsert keeping(String table, List<String> columns) {
        return new Upsert(table, columns, "on conflict do nothing");
    }

    String sql() {
        return "insert into " + table + " (" + String.join(", ", columns) + ") values ("
                + "?, ".repeat(columns.size() - 1) + "?) " + onConflict;
    }

    /** Writes one row; not as a batch of one, whose loss of connection pgjdbc reports less plainly. */
    void execute(Connection c, SqlRow row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql())) {
            row.bind(s, columns);
            s.executeUpdate();
        }
    }

    /** Writes the rows in one batch. */
    void execute(Connection c, List<SqlRow> rows) throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement s = c.prepareStatement(sql())) {
            for (SqlRow row : rows) {
                row.bind(s, columns);
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
