package io.churn.submit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1: a Master and one Worker, separate JVMs started from a
 * Spark installation's jars, as {@code sbin/start-master.sh} and {@code start-worker.sh} would.
 * The Worker starts executor JVMs for submitted applications; closing stops them all.
 */
final class StandaloneCluster implements AutoCloseable {

    private final List<Process> daemons = new ArrayList<>();
    private final Path sparkHome;
    private final Path dir;
    private final Map<String, String> environment;
    private final int port;

    /**
     * Starts a Master and a Worker offering {@code cores} cores and {@code memory} (e.g. "3g"), with
     * logs and the Worker's executor folders under {@code dir}. {@code workerOptions} are Spark
     * properties of the Worker (e.g. the GPUs it offers); {@code environment} is added to every JVM's.
     */
    static StandaloneCluster start(Path sparkHome, Path dir, int cores, String memory, List<String> workerOptions,
                                   Map<String, String> environment) throws Exception {
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, dir, environment, freePort());
        try {
            cluster.daemon("master", List.of(), "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(cluster.port), "--webui-port", "0");
            cluster.awaitLog("master", "I have been elected leader");
            cluster.daemon("worker", workerOptions, "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", Integer.toString(cores),
                    "--memory", memory, "--work-dir", dir.resolve("work").toString(), cluster.masterUrl());
            cluster.awaitLog("worker", "Successfully registered with master");
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private StandaloneCluster(Path sparkHome, Path dir, Map<String, String> environment, int port) {
        this.sparkHome = sparkHome;
        this.dir = dir;
        this.environment = environment;
        this.port = port;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** Every executor's stderr so far, for what executors logged. */
    String executorLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        Path work = dir.resolve("work");
        if (Files.isDirectory(work)) {
            try (var files = Files.walk(work)) {
                for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).sorted().toList()) {
                    logs.append("== ").append(f).append('\n').append(Files.readString(f));
                }
            }
        }
        return logs.toString();
    }

    String log(String daemon) throws IOException {
        return Files.readString(dir.resolve(daemon + ".log"));
    }

    private void daemon(String name, List<String> options, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(command::add);
        command.add("-Xmx512m");
        command.addAll(options);
        command.add("-cp");
        command.add(sparkHome.resolve("jars") + "/*");
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(environment);
        // a distribution's launcher finds jars/ through SPARK_HOME; the Worker uses it for executors
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        daemons.add(pb.start());
    }

    private void awaitLog(String daemon, String line) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Process process = daemons.get(daemons.size() - 1);
        while (!Files.exists(dir.resolve(daemon + ".log")) || !log(daemon).contains(line)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the " + daemon + " did not start: " + log(daemon));
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the Worker (and the executors it started), then the Master. */
    @Override
    public void close() throws InterruptedException {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process daemon = daemons.get(i);
            List<ProcessHandle> children = daemon.descendants().toList();
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
