package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.RunStore;
import io.churn.sink.SchemaMigration;
import io.churn.spec.GridExpander;
import io.churn.spec.SpecParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @Test
    void status_joins_the_embedded_database_of_a_running_sweep(@TempDir Path work) throws Exception {
        String spec = "{ \"name\": \"live\", \"repetitions\": 3, \"grid\": { " + BadInputTest.GOOD_GRID + " } }";
        try (EmbeddedDatabase running = EmbeddedDatabase.start(work.resolve("postgres"))) {
            SchemaMigration.migrate(running.settings());
            try (RunStore store = RunStore.open(running.settings())) {
                store.ledger().registerSweep("live", spec, GridExpander.expand(SpecParser.parse(spec, "t")));
            }
            CommandOutput r = CommandOutput.churn("status", "live", "--work-dir", work.toString());
            assertEquals(0, r.code(), r.err());
            assertFalse(r.out().contains("starting embedded PostgreSQL"), "joined the running server");
            assertTrue(r.out().contains("sweep live: 3 runs"), r.out());
            assertTrue(r.out().contains("queued          3"), r.out());
            assertTrue(r.out().contains("throughput: no run finished in the last 10 minutes"), r.out());
            assertTrue(r.out().contains("train the rest: churn resubmit live"), r.out());

            CommandOutput all = CommandOutput.churn("status", "--work-dir", work.toString());
            assertTrue(all.out().contains("live                            3        0        0        0        0        3"),
                    all.out());
        }
    }
}
