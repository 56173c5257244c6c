package io.churn.cli;

import static io.churn.cli.CommandOutput.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.churn.settings.CheckpointSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {

    @TempDir
    Path dir;
    Path spec(String json) throws Exception {
        return Files.writeString(dir.resolve("spec.json"), json);
    }

    @Test
    void a_bad_spec_exits_2_naming_the_key_before_anything_starts() throws Exception {
        Path spec = spec("""
                { "name": "bad", "grid": { "dataset": ["banana"], "shape": ["circle"], "depth": [2], "size": [64],
                  "learning_rate": [0.01], "batch_size": [32], "epochs": [1] } }
                """);
        CommandOutput r = churn("sweep", spec.toString(), "--work-dir", dir.resolve("work").toString());
        assertEquals(Churn.BAD_INPUT, r.code());
        assertTrue(r.err().contains("grid.shape[0]: 'circle' is not a shape; allowed: rectangle"), r.err());
        assertFalse(Files.exists(dir.resolve("work")), "no database was started");
    }

    @Test
    void a_budget_no_network_can_meet_is_a_spec_error() throws Exception {
        Path spec = spec("""
                { "name": "tiny", "grid": { "dataset": ["splice"], "shape": ["rectangle"], "depth": [3], "size": [20],
                  "learning_rate": [0.01], "batch_size": [32], "epochs": [1] } }
                """);
        CommandOutput r = churn("sweep", spec.toString(), "--dry-run");
        assertEquals(Churn.BAD_INPUT, r.code());
        assertTrue(r.err().contains("size 20 on dataset splice"), r.err());
    }

    @Test
    void a_dry_run_counts_the_runs_and_trains_nothing() throws Exception {
        Path spec = spec("""
                { "name": "dry", "repetitions": 3,
                  "grid": { "dataset": ["banana", "splice"], "shape": ["rectangle"], "depth": [2, 3], "size": [512],
                            "learning_rate": [0.01], "batch_size": [32], "epochs": [1] } }
                """);
        CommandOutput r = churn("sweep", spec.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[dry] spec " + spec + ": 12 runs over 1 grid(s) x 3 repetition(s)"), r.out());
    }

    @Test
    void engine_flag_takes_the_spec_names_and_refuses_others_naming_them() throws Exception {
        Path spec = spec("""
                { "name": "engines", "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2],
                  "size": [64], "learning_rate": [0.01], "batch_size": [32], "epochs": [1] } }
                """);
        for (String engine : List.of("auto", "fused", "dl4j")) {
            CommandOutput r = churn("sweep", spec.toString(), "--dry-run", "--engine", engine);
            assertEquals(0, r.code(), r.err());
        }
        CommandOutput gpu = churn("sweep", spec.toString(), "--dry-run", "--engine", "gpu");
        assertEquals(Churn.BAD_INPUT, gpu.code());
        assertTrue(gpu.err().contains("'gpu' is not an engine; allowed: auto, fused, dl4j"), gpu.err());
    }

    @Test
    void a_checkpoint_folder_that_cannot_be_created_exits_2_before_spark_starts() throws Exception {
        Path spec = spec("""
                { "name": "ckpt", "checkpoint_epochs": 1,
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2], "size": [64],
                            "learning_rate": [0.01], "batch_size": [32], "epochs": [2] } }
                """);
        CommandOutput r = churn("sweep", spec.toString(), "--work-dir", dir.resolve("work").toString(),
                "--checkpoint-dir", "nosuchfs://nowhere/checkpoints");
        assertEquals(Churn.BAD_INPUT, r.code(), r.out() + "\n" + r.err());
        assertTrue(r.err().contains("checkpoint folder nosuchfs://nowhere/checkpoints: "), r.err());
        assertFalse(r.out().contains("partitions on"), "nothing was trained: " + r.out());
    }

    @Test
    void the_checkpoint_folder_is_the_option_else_the_specs_else_one_in_the_work_folder() {
        assumeTrue(System.getenv(SweepJob.CHECKPOINT_DIR_VARIABLE) == null);
        SweepJob job = new SweepJob();
        job.database = new DatabaseOptions();
        job.database.workDir = dir.resolve("work");
        assertEquals(new CheckpointSettings(3, dir.resolve("work/checkpoints").toUri().toString(), false),
                job.checkpoints(new CheckpointSettings(3, null, false)));
        assertTrue(Files.isDirectory(dir.resolve("work/checkpoints")), "created before anything trains");
        String specs = dir.resolve("spec-folder").toUri().toString();
        assertEquals(new CheckpointSettings(3, specs, true), job.checkpoints(new CheckpointSettings(3, specs, true)));
        job.checkpointDir = dir.resolve("option-folder").toUri().toString();
        job.keepCheckpoints = true;
        assertEquals(new CheckpointSettings(3, job.checkpointDir, true),
                job.checkpoints(new CheckpointSettings(3, specs, false)));
        job.checkpointDir = dir.resolve("unused").toUri().toString();
        assertFalse(job.checkpoints(CheckpointSettings.NONE).enabled());
        assertFalse(Files.exists(dir.resolve("unused")), "no checkpoint_epochs, no folder");
    }

    @Test
    void a_missing_spec_file_is_reported() {
        CommandOutput r = churn("sweep", dir.resolve("nope.json").toString(), "--dry-run");
        assertEquals(Churn.BAD_INPUT, r.code());
        assertTrue(r.err().contains("cannot read the file"), r.err());
    }
}
