package io.churn.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit/slurm.sbatch} as a Slurm batch job: it starts a Spark master and workers inside
 * its allocation, runs the sweep through them and tears everything down. Needs a Slurm controller
 * ({@code .ci/slurm start} sets up a single-node one); skipped where none answers, unless
 * {@code CHURN_SLURM=required} (as in CI).
 */
class SlurmSubmitIT {

    static final String SPEC = StandaloneSubmitIT.SPEC.replace("\"standalone\"", "\"slurm\"");

    @TempDir
    Path dir;

    @Test
    void a_sweep_sbatched_with_slurm_sbatch_runs_on_a_spark_cluster_inside_the_job() throws Exception {
        boolean slurm = succeeds(List.of("sinfo", "--noheader"));
        assumeTrue(slurm || "required".equals(System.getenv("CHURN_SLURM")),
                "no Slurm controller answers (.ci/slurm start sets up one)");
        assertTrue(slurm, "CHURN_SLURM=required but no Slurm controller answers");

        Path spec = Files.writeString(dir.resolve("slurm.json"), SPEC);
        Path results = dir.resolve("results");
        Path scratch = dir.resolve("scratch");
        DatabaseSettings db = TestDatabase.create(SlurmSubmitIT.class);
        Process job = submit(dir, scratch, db, List.of("--nodes=1", "--output=" + dir.resolve("job.out"),
                "submit/slurm.sbatch", "sweep", spec.toString(), "--results", results.toUri().toString(),
                "--progress-seconds", "2"));
        boolean finished = job.waitFor(5, TimeUnit.MINUTES);
        String output = Files.readString(dir.resolve("sbatch.out")) + read(dir.resolve("job.out"));
        if (!finished) {
            succeeds(List.of("scancel", "--name=churn"));
            job.destroyForcibly();
        }
        assertTrue(finished, "the job finished: " + output);
        assertEquals(0, job.exitValue(), output + read(dir.resolve("logs")));

        assertTrue(output.contains("[slurm] 4 runs: 0 already complete, training 4 in 4 partitions on spark://"),
                output);
        assertEquals(4, StandaloneSubmitIT.count(db, "select count(*) from run where status = 'complete'"
                + " and spark_application_id like 'app-%' and executor <> 'driver'"));
        StandaloneSubmitIT.assertParquet(results, "slurm", 4);
        assertTrue(Files.readString(dir.resolve("logs/master.log")).contains("Registering worker"));
        try (var left = Files.list(scratch)) {
            assertFalse(left.findAny().isPresent(), "node-local scratch removed");
        }
    }

    @Test
    void a_two_element_job_array_runs_two_spark_clusters_that_work_one_sweep_together() throws Exception {
        boolean slurm = succeeds(List.of("sinfo", "--noheader"));
        assumeTrue(slurm || "required".equals(System.getenv("CHURN_SLURM")),
                "no Slurm controller answers (.ci/slurm start sets up one)");
        assertTrue(slurm, "CHURN_SLURM=required but no Slurm controller answers");

        // eight runs, so that both clusters find work
        Path spec = Files.writeString(dir.resolve("array.json"), SPEC.replace("\"slurm\"", "\"slurm-array\"")
                .replace("\"seed\": 11,", "\"seed\": 12, \"repetitions\": 2,"));
        Path results = dir.resolve("results");
        DatabaseSettings db = TestDatabase.create(SlurmSubmitIT.class);
        // one core each, sharing the single node (the script asks for whole nodes)
        Process job = submit(dir, dir.resolve("scratch"), db, List.of("--array=1-2", "--nodes=1", "--cpus-per-task=1",
                "--oversubscribe", "--output=" + dir.resolve("job-%a.out"), "submit/slurm.sbatch", "sweep",
                spec.toString(), "--results", results.toUri().toString(), "--progress-seconds", "2"));
        boolean finished = job.waitFor(8, TimeUnit.MINUTES);
        String output = Files.readString(dir.resolve("sbatch.out")) + read(dir.resolve("job-1.out"))
                + read(dir.resolve("job-2.out"));
        if (!finished) {
            succeeds(List.of("scancel", "--name=churn"));
            job.destroyForcibly();
        }
        assertTrue(finished, "the array finished: " + output);
        assertEquals(0, job.exitValue(), output);

        assertEquals(8, StandaloneSubmitIT.count(db, "select count(*) from run where status = 'complete'"
                + " and attempts = 1 and spark_application_id like 'app-%'"), output);
        assertEquals(2, StandaloneSubmitIT.count(db, "select count(*) from sweep_application"
                + " where sweep = 'slurm-array' and ended_at is not null"), "both elements worked the sweep: " + output);
        StandaloneSubmitIT.assertParquet(results, "slurm-array", 8);
    }

    /**
     * Starts {@code sbatch --wait} with {@code arguments} (sbatch's, then the script and churn's) and
     * the test database's options, from the project root, with Spark and the cluster jar from the
     * build, small memory, a free master port, and node scratch and logs in {@code dir}.
     */
    static Process submit(Path dir, Path scratch, DatabaseSettings db, List<String> arguments) throws Exception {
        List<String> sbatch = new ArrayList<>(List.of("sbatch", "--wait", "--chdir=" + StandaloneSubmitIT.ROOT));
        sbatch.addAll(arguments);
        sbatch.addAll(TestDatabase.cliOptions(db));
        ProcessBuilder pb = new ProcessBuilder(sbatch).directory(StandaloneSubmitIT.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sbatch.out").toFile());
        pb.environment().put("SPARK_HOME", StandaloneSubmitIT.SPARK_HOME.toString());
        pb.environment().put("CHURN_JAR", System.getProperty("churn.cluster.jar"));
        pb.environment().put("CHURN_DRIVER_MEMORY", "1g");
        pb.environment().put("CHURN_SPARK_OPTS", "--executor-memory 1g --conf spark.executor.memoryOverhead=1g"
                + " --conf spark.ui.enabled=false");
        pb.environment().put("CHURN_MASTER_PORT", Integer.toString(freePort()));
        pb.environment().put("CHURN_SCRATCH", scratch.toString());
        pb.environment().put("CHURN_LOG_DIR", dir.resolve("logs").toString());
        return pb.start();
    }

    static boolean succeeds(List<String> command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static String read(Path path) throws Exception {
        if (Files.isDirectory(path)) {
            StringBuilder all = new StringBuilder();
            try (var files = Files.list(path)) {
                for (Path f : files.sorted().toList()) {
                    all.append("== ").append(f).append('\n').append(Files.readString(f));
                }
            }
            return all.toString();
        }
        return Files.exists(path) ? Files.readString(path) : "";
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
