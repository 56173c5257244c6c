package io.churn.cli;

import static io.churn.cli.CommandOutput.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.churn.network.LayoutSolver;
import io.churn.plan.StepTimes;
import io.churn.settings.CheckpointSettings;
import io.churn.train.Engine;
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
    void a_budget_no_network_can_meet_is_a_spec_error_in_a_strict_spec() throws Exception {
        Path spec = spec("""
                { "name": "tiny", "strict": true,
                  "grid": { "dataset": ["splice"], "shape": ["rectangle"], "depth": [3], "size": [20],
                  "learning_rate": [0.01], "batch_size": [32], "epochs": [1] } }
                """);
        CommandOutput r = churn("sweep", spec.toString(), "--dry-run");
        assertEquals(Churn.BAD_INPUT, r.code());
        assertTrue(r.err().contains("size 20 on dataset splice"), r.err());
    }

    @Test
    void a_strict_spec_refuses_every_non_conformant_cell_listing_each() throws Exception {
        Path spec = spec("""
                { "name": "strict", "strict": true,
                  "grid": { "dataset": ["splice", "banana"], "shape": ["rectangle"], "depth": [2, 3],
                            "size": [32, 4096], "learning_rate": [0.01], "batch_size": [32], "epochs": [1] } }
                """);
        CommandOutput r = churn("sweep", spec.toString(), "--dry-run");
        assertEquals(Churn.BAD_INPUT, r.code());
        for (int depth : List.of(2, 3)) {
            assertTrue(r.err().contains("size 32 on dataset splice (287 inputs, 3 outputs): no rectangle network of"
                    + " depth " + depth + " has about 32 parameters"), r.err());
        }
        assertFalse(r.err().contains("size 4096"), "conformant cells are not problems: " + r.err());
        assertFalse(r.err().contains("on dataset banana"), r.err());
    }

    @Test
    void a_budget_no_network_can_meet_is_skipped_and_counted() throws Exception {
        Path spec = spec("""
                { "name": "tiny", "repetitions": 2,
                  "grid": { "dataset": ["splice", "banana"], "shape": ["rectangle"], "depth": [2, 3],
                            "size": [32, 4096], "learning_rate": [0.01, 0.1], "batch_size": [32], "epochs": [1] } }
                """);
        CommandOutput r = churn("sweep", spec.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        // splice's two depths at size 32; banana's 2 inputs meet it (depth 2: 33 parameters, depth 3: 37)
        assertTrue(r.out().contains("[tiny] spec " + spec + ": 24 runs over 1 grid(s) x 2 repetition(s)"), r.out());
        assertTrue(r.out().contains("[tiny] skipped 2 of 8 (dataset, shape, depth, size) cells: no layout comes"
                + " within 20% of their size; their 8 runs (4 experiments) are not part of the sweep"), r.out());
        assertTrue(r.out().contains("    splice rectangle: 2: 1, 3: 1\n"), r.out());
        assertTrue(r.out().contains("  e.g. size 32 on dataset splice (287 inputs, 3 outputs): no rectangle network of"
                + " depth 2 has about 32 parameters"), r.out());
    }

    @Test
    void a_dry_run_prints_experiments_hours_largest_runs_and_partitions() throws Exception {
        Path spec = spec("""
                { "name": "plan", "repetitions": 3,
                  "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [3], "size": [1024, 1048576],
                            "learning_rate": [0.01, 0.1], "batch_size": [256], "epochs": [10] } }
                """);
        CommandOutput r = churn("sweep", spec.toString(), "--dry-run", "--slots", "4");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("[plan] dry run: 12 runs = 4 experiments (a run without its repetition) x 3"
                + " repetition(s), over 2 (dataset, shape, depth, size) cells; 0 skipped runs"), out);
        // 4,240 training rows at batch 256: 17 steps per epoch; auto trains both sizes on the fused engine on a CPU
        long small = LayoutSolver.solve("rectangle", 3, 1024, 2, 1).numFreeParameters();
        long large = LayoutSolver.solve("rectangle", 3, 1048576, 2, 1).numFreeParameters();
        double fused = 10 * 17 * StepTimes.stepSeconds(Engine.FUSED, small, 256);
        double largeFused = 10 * 17 * StepTimes.stepSeconds(Engine.FUSED, large, 256);
        assertTrue(out.contains(String.format("[plan] estimated training: %,.1f core-hours on engine auto (fused: 12"
                + " runs, %,.1f core-hours), at least %s on 4 slots",
                6 * (fused + largeFused) / 3600, 6 * (fused + largeFused) / 3600,
                PlanReport.duration(6 * (fused + largeFused) / 4))), out);
        assertTrue(out.contains("[plan] largest runs (estimated time of each):\n"
                + "  banana rectangle depth 3 size 1048576, batch 256, 10 epochs:"), out);
        assertTrue(out.contains(String.format("%,d parameters on fused, %s each, 6 runs", large,
                PlanReport.duration(largeFused))), out);
        assertTrue(out.contains("[plan] partitions: "), out);
        assertTrue(out.contains(" for 4 slots, shrinking from the costliest runs; the first holds 1 run(s)"), out);

        CommandOutput equal = churn("sweep", spec.toString(), "--dry-run", "--partitions", "3");
        assertTrue(equal.out().contains("[plan] partitions: 3 of equal estimated work; the first holds 4 run(s)"),
                equal.out());
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
