package io.churn.cli;

import io.churn.sink.DatabaseUnavailableException;
import io.churn.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code churn}: deep-learning sweeps on Apache Spark. */
@Command(name = "churn", mixinStandardHelpOptions = true, version = "churn 0.1.0",
        description = "Deep-learning hyperparameter sweeps on Apache Spark, results in PostgreSQL and Parquet.",
        subcommands = {SweepCommand.class, StatusCommand.class, ResubmitCommand.class, PbtCommand.class,
                LayoutCommand.class, UiCommand.class,
                DatasetsCommand.class, BenchCommand.class, SummarizeCommand.class, ReportCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class Churn {

    /** Exit code for input the command cannot use (a bad spec, flag or sweep name). */
    public static final int BAD_INPUT = 2;
    /** Exit code when a service the command needs (the database, the work folder) is unavailable. */
    public static final int UNAVAILABLE = 3;
    /** Exit code when Spark gave up on a task: what completed is stored and exported, the rest is left to resubmit. */
    public static final int INCOMPLETE = 4;

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (insideYarnApplicationMaster()) {
            // YARN's ApplicationMaster runs main in a thread of its own: it takes System.exit for a
            // crash (and retries the application), a return for success, a throw for failure
            if (code != 0) {
                throw new IllegalStateException("churn exited with code " + code);
            }
            return;
        }
        System.exit(code);
    }

    /** True in the driver of a YARN application in cluster deploy mode, as the ApplicationMaster marks it. */
    static boolean insideYarnApplicationMaster() {
        return "yarn".equals(System.getProperty("spark.master"))
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Churn());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof SpecException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("churn: " + e.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof DatabaseUnavailableException) {
                cmd.getErr().println("churn: " + e.getMessage());
                return UNAVAILABLE;
            }
            throw e;
        });
        return cli;
    }
}
