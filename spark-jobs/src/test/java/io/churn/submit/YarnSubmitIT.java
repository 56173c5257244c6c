package io.churn.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit/yarn.sh} against Hadoop's MiniYARNCluster (a ResourceManager and a NodeManager in
 * this JVM, containers as processes): the driver runs in the ApplicationMaster's container
 * (cluster deploy mode) and reads the spec shipped with the application, executors in containers
 * train the runs, and the application ends SUCCEEDED on its first attempt.
 */
class YarnSubmitIT {

    static final String SPEC = StandaloneSubmitIT.SPEC.replace("\"standalone\"", "\"yarn\"");

    @TempDir
    Path dir;

    @Test
    void a_sweep_submitted_with_yarn_sh_runs_its_driver_and_executors_in_yarn_containers() throws Exception {
        Path spec = Files.writeString(Files.createDirectories(dir.resolve("specs")).resolve("yarn.json"), SPEC);
        Path results = dir.resolve("results");
        Path sparkHome = sparkHomeWithYarn(dir.resolve("spark-home"));
        Path hadoopConf = Files.createDirectories(dir.resolve("hadoop-conf"));

        // the mini cluster keeps its folders (container logs among them) under test.build.data
        System.setProperty("test.build.data", dir.resolve("yarn").toString());
        MiniYARNCluster yarn = new MiniYARNCluster("churn", 1, 1, 1);
        DatabaseSettings db = TestDatabase.create(YarnSubmitIT.class);
        try {
            yarn.init(yarnConfiguration());
            yarn.start();
            try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("yarn-site.xml"))) {
                yarn.getConfig().writeXml(out);
            }
            ProcessBuilder pb = new ProcessBuilder("bash", StandaloneSubmitIT.ROOT.resolve("submit/yarn.sh").toString(),
                    "sweep", spec.toString(), "--jdbc-url", db.url(), "--jdbc-user", db.user(),
                "--jdbc-password-file", TestDatabase.cliOptions(db).get(5),
                    "--results", results.toUri().toString(), "--progress-seconds", "2")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("yarn-sh.log").toFile());
            pb.environment().put("HADOOP_CONF_DIR", hadoopConf.toString());
            pb.environment().put("SPARK_HOME", sparkHome.toString());
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            pb.environment().put("CHURN_SPARK_JARS", "local:" + sparkHome.resolve("jars") + "/*");
            pb.environment().put("CHURN_JAR", System.getProperty("churn.cluster.jar"));
            pb.environment().put("CHURN_EXECUTORS", "1");
            pb.environment().put("CHURN_SPARK_OPTS", "--driver-memory 1g --executor-memory 1g --executor-cores 2"
                    + " --conf spark.executor.memoryOverhead=1g --conf spark.yarn.am.memoryOverhead=512m"
                    + " --conf spark.driver.memoryOverhead=512m --conf spark.ui.enabled=false");
            Process submit = pb.start();
            boolean finished = submit.waitFor(4, TimeUnit.MINUTES);
            if (!finished) {
                submit.descendants().forEach(ProcessHandle::destroyForcibly);
                submit.destroyForcibly();
            }
            String log = Files.readString(dir.resolve("yarn-sh.log"));
            String driver = containerOutput("stdout");
            assertTrue(finished, "yarn.sh finished: " + log);
            assertEquals(0, submit.exitValue(), log + driver + containerOutput("stderr"));
            assertTrue(log.contains("final status: SUCCEEDED"), log);

            assertTrue(driver.contains("[yarn] 4 runs: 0 already complete, training 4 in 4 partitions on yarn"),
                    driver);
            assertEquals(4, StandaloneSubmitIT.count(db, "select count(*) from run where status = 'complete'"
                    + " and attempts = 1 and spark_application_id like 'application_%' and executor <> 'driver'"));
            StandaloneSubmitIT.assertParquet(results, "yarn", 4);
        } finally {
            yarn.stop();
        }
    }

    /** One NodeManager with room for the ApplicationMaster and an executor; no resource or disk policing. */
    static YarnConfiguration yarnConfiguration() {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(YarnConfiguration.RM_SCHEDULER,
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 8192);
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f);
        return conf;
    }

    /**
     * The Spark installation of the build plus Spark's YARN module (a Spark distribution built for
     * YARN has it in jars/), linked rather than copied.
     */
    static Path sparkHomeWithYarn(Path home) throws Exception {
        Path jars = Files.createDirectories(home.resolve("jars"));
        try (var spark = Files.list(StandaloneSubmitIT.SPARK_HOME.resolve("jars"))) {
            for (Path jar : spark.toList()) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
            }
        }
        Path yarnModule = Path.of(List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(entry -> Path.of(entry).getFileName().toString().startsWith("spark-yarn_"))
                .findFirst().orElseThrow(() -> new IllegalStateException("spark-yarn is not on the test class path")));
        Files.createSymbolicLink(jars.resolve(yarnModule.getFileName()), yarnModule);
        Files.copy(StandaloneSubmitIT.SPARK_HOME.resolve("RELEASE"), home.resolve("RELEASE"));
        return home;
    }

    /** What the application's containers wrote to {@code stdout} or {@code stderr}. */
    String containerOutput(String name) throws Exception {
        StringBuilder all = new StringBuilder();
        Path data = dir.resolve("yarn");
        if (Files.isDirectory(data)) {
            try (var files = Files.walk(data)) {
                for (Path f : files.filter(p -> p.getFileName().toString().equals(name)).sorted().toList()) {
                    all.append("== ").append(f).append('\n').append(Files.readString(f));
                }
            }
        }
        return all.toString();
    }
}
