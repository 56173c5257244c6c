package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.churn.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs stored before datasets had names keep their results, named as their datasets are now. */
class DatasetIdentityMigrationTest {

    @Test
    void a_stored_run_is_named_by_its_dataset_and_keeps_what_its_spec_said_as_its_source() throws Exception {
        DatabaseSettings db = TestDatabase.createAt(DatasetIdentityMigrationTest.class, "9");
        List<String> named = List.of("banana", "file:///data/537_houses.tsv.gz", "/data/201_pol.csv",
                "hdfs://nn:8020/pmlb/529_pollen.tsv", "mnist:/data/mnist", "fashion_mnist:/data/fashion");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < named.size(); i++) {
                s.execute("insert into run (run_id, status, dataset, shape, depth, size, learning_rate, batch_size,"
                        + " label_noise, kernel_regularizer, optimizer, epochs, test_split, repetition, seed,"
                        + " dataset_sha256) values ('r" + i + "', 'complete', '" + named.get(i) + "', 'rectangle', 2,"
                        + " 64, 0.01, 32, 0, 'none', 'adam', 3, 0.2, 0, 1, 'read" + i + "')");
            }
        }
        SchemaMigration.migrate(db);
        List<String> names = List.of("banana", "537_houses", "201_pol", "529_pollen", "mnist", "fashion_mnist");
        for (int i = 0; i < named.size(); i++) {
            assertEquals(List.of(Arrays.asList(names.get(i), named.get(i), "read" + i, "complete")),
                    TestDatabase.rows(db, "select dataset, dataset_source, dataset_sha256, status from run"
                            + " where run_id = 'r" + i + "'"));
        }
    }
}
