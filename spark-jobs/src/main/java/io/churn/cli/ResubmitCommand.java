package io.churn.cli;

import io.churn.driver.SweepPlan;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.RunStore;
import io.churn.settings.SweepFile;
import io.churn.sink.SchemaMigration;
import io.churn.sink.SweepQueries;
import io.churn.spec.SpecParser;
import io.churn.train.RunStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn resubmit SWEEP}: a new Spark job over the sweep's runs that are not complete. */
@Command(name = "resubmit", mixinStandardHelpOptions = true,
        description = "Train again the runs of a recorded sweep that are not complete (queued and failed; with"
                + " --include-running also those a dead application left running). Results merge into the same"
                + " tables and Parquet dataset.")
final class ResubmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "SWEEP", description = "The sweep's name.")
    String sweep;

    @Mixin
    SweepJob job;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        if (job.database.embedded() && !Files.isDirectory(job.database.embeddedDataDirectory())) {
            throw new IllegalArgumentException("no churn database in " + job.database.workDir
                    + ": nothing to resubmit (give --work-dir or --jdbc-url)");
        }
        return job.run(out, db -> {
            String specJson = storedSpec(db);
            SweepFile file = SweepFile.parse(specJson, "sweep " + sweep);
            SweepPlan plan = SweepPlan.of(file.spec(), "sweep " + sweep);
            PlanReport.skipped(out, plan);
            out.printf("[%s] resubmitting runs that are %s%n", sweep,
                    job.statuses().stream().map(RunStatus::specName).toList());
            out.flush();
            return new SweepJob.Submission(plan, file.settings(), specJson);
        });
    }

    /** The spec the sweep was submitted with; unknown sweeps are refused, naming the known ones. */
    private String storedSpec(DatabaseSettings settings) throws Exception {
        try (RunStore store = RunStore.open(settings)) {
            SweepQueries queries = store.queries();
            String spec = queries.spec(sweep);
            if (spec == null) {
                throw new IllegalArgumentException("no sweep named '" + sweep + "'; recorded sweeps: "
                        + (queries.sweeps().isEmpty() ? "none" : String.join(", ", queries.sweeps())));
            }
            return spec;
        }
    }
}
