package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Results stored as float4 arrays keep every value once their histories are packed. */
class PackedHistoriesMigrationTest {

    @Test
    void stored_arrays_are_packed_value_for_value_and_the_array_columns_go() throws Exception {
        DatabaseSettings db = TestDatabase.createAt(PackedHistoriesMigrationTest.class, "13");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                s.execute("insert into run (run_id, status, dataset, dataset_source, shape, depth, size, learning_rate, batch_size,"
                        + " label_noise, kernel_regularizer, optimizer, epochs, test_split, repetition, seed,"
                        + " dataset_sha256) values ('r" + i + "', 'queued', 'banana', 'banana', 'rectangle', 2,"
                        + " 64, 0.01, 32, 0, 'none', 'adam', 3, 0.2, 0, 1, 'sha')");
            }
            // r0: classification; r1: regression (no accuracy), one missing value; r2: never trained
            s.execute("update run set status = 'complete', train_loss = '{0.5,0.25,0.125}', test_loss = '{0.6,0.3,0.2}',"
                    + " train_accuracy = '{0.7,0.8,0.9}', epoch_seconds = '{1.5,1.25,1}' where run_id = 'r0'");
            s.execute("update run set status = 'diverged', train_loss = '{0.5,NaN}', test_loss = '{0.5,NULL}'"
                    + " where run_id = 'r1'");
        }

        SchemaMigration.migrate(db);

        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select run_id, histories from run order by run_id")) {
            assertTrue(rs.next());
            Map<String, float[]> r0 = PackedHistories.unpack(rs.getBytes(2));
            assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, r0.get("train_loss"));
            assertArrayEquals(new float[] {0.6f, 0.3f, 0.2f}, r0.get("test_loss"));
            assertArrayEquals(new float[] {0.7f, 0.8f, 0.9f}, r0.get("train_accuracy"));
            assertArrayEquals(new float[] {1.5f, 1.25f, 1f}, r0.get("epoch_seconds"));
            assertNull(r0.get("test_accuracy"));
            assertEquals(21, r0.size(), "every history column");
            assertTrue(rs.next());
            Map<String, float[]> r1 = PackedHistories.unpack(rs.getBytes(2));
            assertTrue(Float.isNaN(r1.get("train_loss")[1]) && !PackedHistories.missing(r1.get("train_loss")[1]));
            assertTrue(PackedHistories.missing(r1.get("test_loss")[1]), "a null element stays missing");
            assertNull(r1.get("train_accuracy"));
            assertTrue(rs.next());
            assertNull(rs.getBytes(2), "a run with no result has no histories");
        }
        assertEquals(List.of(), TestDatabase.rows(db, "select column_name from information_schema.columns"
                + " where table_name = 'run' and column_name in ('train_loss', 'epoch_seconds')"));
    }
}
