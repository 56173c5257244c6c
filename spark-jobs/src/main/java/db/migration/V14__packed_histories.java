package db.migration;

import io.churn.sink.PackedHistories;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A run's 21 float4 history arrays become one packed value, {@code run.histories}
 * ({@link PackedHistories}): the server stored each array element by element, which held result
 * ingest to a few hundred 3,000-epoch results a second. Every stored history is packed, then the
 * array columns are dropped.
 */
public class V14__packed_histories extends BaseJavaMigration {

    /** The history columns as V13 left them, in the order the results wrote them. */
    private static final List<String> COLUMNS = List.of("train_loss", "test_loss", "train_accuracy",
            "test_accuracy", "train_mean_squared_error", "test_mean_squared_error", "train_mean_absolute_error",
            "test_mean_absolute_error", "train_root_mean_squared_error", "test_root_mean_squared_error",
            "train_mean_squared_logarithmic_error", "test_mean_squared_logarithmic_error", "train_hinge", "test_hinge",
            "train_squared_hinge", "test_squared_hinge", "train_cosine_similarity", "test_cosine_similarity",
            "train_kullback_leibler_divergence", "test_kullback_leibler_divergence", "epoch_seconds");

    private static final int BATCH = 500;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            // packed values are compressed already: stored as they are, out of line
            s.execute("alter table run add column histories bytea");
            s.execute("alter table run alter column histories set storage external");
        }
        String any = String.join(" is not null or ", COLUMNS) + " is not null";
        try (Statement read = c.createStatement();
             PreparedStatement write = c.prepareStatement("update run set histories = ? where run_id = ?")) {
            read.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rs = read.executeQuery("select run_id, " + String.join(", ", COLUMNS)
                    + " from run where " + any)) {
                while (rs.next()) {
                    Map<String, float[]> histories = new LinkedHashMap<>();
                    for (String column : COLUMNS) histories.put(column, floats(rs.getArray(column)));
                    write.setBytes(1, PackedHistories.pack(histories));
                    write.setString(2, rs.getString("run_id"));
                    write.addBatch();
                    if (++pending == BATCH) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) write.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("alter table run drop column " + String.join(", drop column ", COLUMNS));
        }
    }

    private static float[] floats(Array array) throws SQLException {
        if (array == null) return null;
        Object[] elements = (Object[]) array.getArray();
        float[] values = new float[elements.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = PackedHistories.of(elements[i] == null ? null : ((Number) elements[i]).doubleValue());
        }
        return values;
    }
}
