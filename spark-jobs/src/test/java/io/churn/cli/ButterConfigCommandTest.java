package io.churn.cli;

import static io.churn.cli.CommandOutput.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.settings.SweepFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code churn sweep} given a BUTTER aspect_test config. */
class ButterConfigCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_dry_run_prints_the_equivalent_churn_spec() throws Exception {
        Path config = Files.writeString(dir.resolve("nursery.py"), "{'datasets': ['nursery'], 'budgets': [500, 1000],"
                + " 'topologies': ['wide_first'], 'depths': [4], 'run_config': {'epochs': 10}, 'test_split': 0.1,"
                + " 'reps': 2, 'mode': 'direct'}");
        CommandOutput r = churn("sweep", config.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[nursery] spec " + config + ": 4 runs over 1 grid(s) x 2 repetition(s)"), r.out());
        String header = "[nursery] BUTTER config " + config + " as a Churn spec:\n";
        int at = r.out().indexOf(header);
        assertTrue(at >= 0, r.out());
        String printed = r.out().substring(at + header.length());
        Path churnSpec = Files.writeString(dir.resolve("nursery.json"), printed);
        assertEquals(SweepFile.read(config), SweepFile.read(churnSpec), "the printed spec is the same sweep");
        assertEquals(0, churn("sweep", churnSpec.toString(), "--dry-run").code());
    }

    @Test
    void a_key_that_cannot_be_mapped_exits_2_naming_it_before_anything_starts() throws Exception {
        Path config = Files.writeString(dir.resolve("tb.py"),
                "{'datasets': ['nursery'], 'budgets': [500], 'tensorboard': './log/tensorboard'}");
        CommandOutput r = churn("sweep", config.toString(), "--work-dir", dir.resolve("work").toString());
        assertEquals(Churn.BAD_INPUT, r.code());
        assertTrue(r.err().contains("tensorboard: Churn writes no TensorBoard logs"), r.err());
        assertFalse(Files.exists(dir.resolve("work")), "no database was started");
    }
}
