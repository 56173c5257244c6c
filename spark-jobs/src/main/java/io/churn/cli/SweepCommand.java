package io.churn.cli;

import io.churn.driver.SweepPlan;
import io.churn.settings.SpecText;
import io.churn.settings.SweepFile;
import io.churn.sink.SchemaMigration;
import io.churn.spec.SpecParser;
import io.churn.spec.SweepSpec;
import io.churn.train.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Option(names = "--dry-run", description = "Validate and plan the sweep, print its runs, skipped cells, estimated"
            + " core-hours, largest runs and partitions (and the Churn spec a BUTTER config becomes); train nothing.")
    boolean dryRun;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "0",
            description = "With --dry-run: the task slots to plan partitions and hours for (default: this machine's"
                    + " cores on local[*], N on local[N]; none on a cluster).")
    int slots;

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
        PlanReport.skipped(out, plan);
        if (dryRun) {
            if (text.translated()) {
                out.printf("[%s] BUTTER config %s as a Churn spec:%n%s%n", spec.name(), specFile, text.json());
                out.flush();
            }
            Engine engine = job.engine != null ? job.engine : file.settings().engine();
            PlanReport.dryRun(out, plan, engine, slots > 0 ? slots : localSlots(Sparks.master()), job.partitions);
            return 0;
        }
        // a BUTTER config is recorded as its Churn spec, which resubmit reads back
        return job.run(out, db -> new SweepJob.Submission(plan, file.settings(), text.json()));
    }

    /** The task slots of a local master, as Spark counts them; 0 for a cluster's master. */
    static int localSlots(String master) {
        Matcher m = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?").matcher(master);
        if (!m.matches()) {
            return 0;
        }
        return m.group(1) == null ? 1 : m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                : Integer.parseInt(m.group(1));
    }
}
