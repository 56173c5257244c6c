package io.churn.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar on a real Spark standalone cluster: {@code submit/standalone.sh} submits
 * it with spark-submit to a Master and Worker started from the Spark installation the build
 * assembles; executors started by the Worker train the runs and write PostgreSQL, the Parquet
 * export lands in the results folder, and {@code resubmit} goes through the same script. The
 * Worker offers a GPU (a stand-in {@code nvidia-smi} answers {@code submit/gpu-discovery.sh}),
 * so the GPU settings of {@code conf/spark-defaults.conf} are exercised up to the task binding.
 */
class StandaloneSubmitIT {

    static final Path ROOT = Path.of(System.getProperty("churn.root")).normalize();
    static final Path SPARK_HOME = Path.of(System.getProperty("churn.spark.home")).normalize();

    static final String SPEC = """
            { "name": "standalone", "seed": 11,
              "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2, 3], "size": [64, 128],
                        "learning_rate": [0.01], "batch_size": [32], "epochs": [2] } }
            """;

    @TempDir
    Path dir;

    @Test
    void a_sweep_submitted_with_standalone_sh_trains_on_executors_and_resubmit_retrains_failed_runs()
            throws Exception {
        Path spec = Files.writeString(dir.resolve("standalone.json"), SPEC);
        Path results = dir.resolve("results");
        Path fakeGpuTools = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(fakeGpuTools.resolve("nvidia-smi"), "#!/bin/sh\necho 0\n");
        fakeGpuTools.resolve("nvidia-smi").toFile().setExecutable(true);
        String discovery = ROOT.resolve("submit/gpu-discovery.sh").toString();
        Map<String, String> env = Map.of(
                "SPARK_LOCAL_IP", "127.0.0.1",
                "PATH", fakeGpuTools + ":" + System.getenv("PATH"));

        DatabaseSettings db = TestDatabase.create(StandaloneSubmitIT.class);
        try (StandaloneCluster cluster = StandaloneCluster.start(SPARK_HOME, dir, 2, "3g",
                     List.of("-Dspark.worker.resource.gpu.amount=1",
                             "-Dspark.worker.resource.gpu.discoveryScript=" + discovery), env)) {
            List<String> jdbc = new ArrayList<>(TestDatabase.cliOptions(db));
            jdbc.addAll(List.of("--results", results.toUri().toString(), "--progress-seconds", "2"));
            String submitOptions = String.join(" ",
                    "--executor-memory 1g --executor-cores 2 --conf spark.executor.memoryOverhead=1g",
                    "--conf spark.ui.enabled=false",
                    "--conf spark.executor.resource.gpu.amount=1",
                    "--conf spark.executor.resource.gpu.discoveryScript=" + discovery,
                    "--conf spark.task.resource.gpu.amount=0.5");

            String sweep = standaloneSh(cluster, env, submitOptions, "sweep", spec.toString(), jdbc);
            assertTrue(sweep.contains("[standalone] 4 runs: 0 already complete, training 4 in 4 partitions on "
                    + cluster.masterUrl()), sweep);
            assertEquals(4, count(db, "select count(*) from run where status = 'complete'"));
            assertEquals(4, count(db, "select count(*) from run where spark_application_id like 'app-%'"
                    + " and executor <> 'driver'"), "trained on the Worker's executors");
            assertTrue(cluster.executorLogs().contains("trains on GPU 0"), cluster.executorLogs());
            assertParquet(results, "standalone", 4);

            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("update run set status = 'failed', error = 'lost' where run_id ="
                        + " (select min(run_id) from run)");
            }
            String resubmit = standaloneSh(cluster, env, submitOptions, "resubmit", "standalone", jdbc);
            assertTrue(resubmit.contains("4 runs: 3 already complete, training 1 in"), resubmit);
            assertEquals(4, count(db, "select count(*) from run where status = 'complete'"));
            assertEquals(1, count(db, "select count(*) from run where attempts = 2"));
            assertParquet(results, "standalone", 4);
        }
    }

    /** Runs {@code submit/standalone.sh COMMAND ARG JDBC...} against the cluster; returns its output, asserting exit 0. */
    static String standaloneSh(StandaloneCluster cluster, Map<String, String> env, String submitOptions,
                               String command, String argument, List<String> jdbc) throws Exception {
        List<String> line = new ArrayList<>(List.of("bash", ROOT.resolve("submit/standalone.sh").toString(),
                command, argument));
        line.addAll(jdbc);
        Path log = Files.createTempFile("standalone-" + command, ".log");
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("SPARK_HOME", SPARK_HOME.toString());
        pb.environment().put("CHURN_MASTER", cluster.masterUrl());
        pb.environment().put("CHURN_JAR", System.getProperty("churn.cluster.jar"));
        pb.environment().put("CHURN_DRIVER_MEMORY", "1g");
        pb.environment().put("CHURN_SPARK_OPTS", submitOptions);
        Process submit = pb.start();
        try {
            boolean finished = submit.waitFor(4, TimeUnit.MINUTES);
            String output = Files.readString(log);
            assertTrue(finished, "standalone.sh " + command + " finished: " + output);
            assertEquals(0, submit.exitValue(), output + cluster.executorLogs());
            return output;
        } finally {
            submit.descendants().forEach(ProcessHandle::destroyForcibly);
            submit.destroyForcibly();
            Files.delete(log);
        }
    }

    static void assertParquet(Path results, String sweep, int runs) {
        List<Row> rows = SparkTestSession.get().read().parquet(results.resolve("runs").toString())
                .where("sweep = '" + sweep + "'").collectAsList();
        Set<String> ids = new HashSet<>();
        for (Row r : rows) {
            ids.add(r.getString(r.fieldIndex("run_id")));
            assertEquals("complete", r.getString(r.fieldIndex("status")));
            assertEquals(2, r.getList(r.fieldIndex("test_loss")).size());
        }
        assertEquals(runs, rows.size());
        assertEquals(runs, ids.size());
    }

    static int count(DatabaseSettings db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
