package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.RunStore;
import io.churn.sink.SchemaMigration;
import io.churn.spec.GridExpander;
import io.churn.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {

    @Test
    void export_brings_the_partition_up_to_date_and_full_rewrites_it(@TempDir Path work) throws Exception {
        String spec = "{ \"name\": \"exported\", \"repetitions\": 3, \"grid\": { " + BadInputTest.GOOD_GRID + " } }";
        try (EmbeddedDatabase running = EmbeddedDatabase.start(work.resolve("postgres"))) {
            SchemaMigration.migrate(running.settings());
            try (RunStore store = RunStore.open(running.settings())) {
                store.ledger().registerSweep("exported", spec, GridExpander.expand(SpecParser.parse(spec, "t")));
            }
            String[] export = {"export", "exported", "--work-dir", work.toString()};
            CommandOutput first = CommandOutput.churn(export);
            assertEquals(0, first.code(), first.err());
            assertTrue(first.out().contains("[exported] full export: 3 rows written, 3 in all, at "), first.out());
            assertTrue(Files.isDirectory(work.resolve("results/runs/sweep=exported")));

            CommandOutput again = CommandOutput.churn(export);
            // the queued runs may still change: their file is written each time
            assertTrue(again.out().contains("[exported] incremental export: 3 rows written, 3 in all"), again.out());

            CommandOutput full = CommandOutput.churn("export", "exported", "--full", "--work-dir", work.toString());
            assertTrue(full.out().contains("[exported] full export: 3 rows written, 3 in all"), full.out());

            CommandOutput unknown = CommandOutput.churn("export", "no_such", "--work-dir", work.toString());
            assertNotEquals(0, unknown.code());
            assertTrue(unknown.err().contains("no sweep named 'no_such'; recorded: exported"), unknown.err());
        }
    }
}
