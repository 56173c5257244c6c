package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code churn} command line as a process of its own, as on a cluster: Spark {@code local[2]},
 * results in the named PostgreSQL and under {@code WORK/results}, its output in a log file under
 * {@code WORK}. For commands that start Spark, which the tests' shared session must outlive.
 */
final class ChurnProcess {

    private ChurnProcess() {
    }

    /** Starts {@code churn ARGS... --jdbc-url … --results WORK/results}, writing its output to {@code WORK/LOG}. */
    static Process start(Path work, DatabaseSettings db, String log, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(command::add);
        command.add("-Xmx2g");
        command.add("-Dspark.master=local[2]");
        command.add("-Dspark.ui.enabled=false");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Churn.class.getName());
        command.addAll(List.of(args));
        command.addAll(TestDatabase.cliOptions(db));
        command.addAll(List.of("--progress-seconds", "1", "--results", work.resolve("results").toUri().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(log).toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** Runs the command to its end, within {@code limit}: its exit code, and its log as its output. */
    static CommandOutput run(Path work, DatabaseSettings db, Duration limit, String log, String... args)
            throws Exception {
        Process p = start(work, db, log, args);
        boolean ended = p.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(work.resolve(log));
        assertTrue(ended, "churn " + String.join(" ", args) + " did not end within " + limit + ":\n" + output);
        return new CommandOutput(p.exitValue(), output, "");
    }
}
