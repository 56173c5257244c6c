package io.churn.cli;

import io.churn.driver.SweepPlan;
import io.churn.settings.SpecText;
import io.churn.settings.SweepFile;
import io.churn.sink.SchemaMigration;
import io.churn.spec.SpecParser;
import io.churn.spec.SweepSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn sweep SPEC}: validate, plan, train every run not yet complete, store and export the results. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a sweep: its runs are recorded in the ledger and those not complete are trained;"
                + " results go to PostgreSQL and are exported to Parquet.")
final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "SPEC", description = "The sweep spec (JSON), e.g. conf/sweeps/quickstart.json,"
            + " or a BUTTER aspect_test config (JSON or Python literal).")
    Path specFile;

    @Option(names = "--dry-run", description = "Validate and plan the sweep, print its size (and the Churn spec"
            + " a BUTTER config becomes), train nothing.")
    boolean dryRun;

    @Mixin
    SweepJob job;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        SpecText text = SpecText.read(specFile);
        SweepFile file = SweepFile.parse(text.json(), specFile.toString());
        SweepSpec spec = file.spec();
        SweepPlan plan = SweepPlan.of(spec, specFile.toString());
        out.printf("[%s] spec %s: %d runs over %d grid(s) x %d repetition(s)%n",
                spec.name(), specFile, plan.runs().size(), spec.grids().size(), spec.repetitions());
        out.flush();
        if (dryRun) {
            if (text.translated()) {
                out.printf("[%s] BUTTER config %s as a Churn spec:%n%s%n", spec.name(), specFile, text.json());
                out.flush();
            }
            return 0;
        }
        // a BUTTER config is recorded as its Churn spec, which resubmit reads back
        return job.run(out, db -> new SweepJob.Submission(plan, file.settings(), text.json()));
    }
}
