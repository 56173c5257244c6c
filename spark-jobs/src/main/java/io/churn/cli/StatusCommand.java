package io.churn.cli;

import io.churn.driver.ProgressReporter;
import io.churn.sink.Applications;
import io.churn.sink.RunStore;
import io.churn.sink.SchemaMigration;
import io.churn.sink.SweepQueries;
import io.churn.sink.SweepStatus;
import io.churn.train.RunStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn status [SWEEP]}: the ledger, while a sweep runs or after it ended. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a sweep's runs per status, the applications working it, its failures grouped by error,"
                + " throughput and ETA; without SWEEP, every recorded sweep.")
final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "SWEEP", arity = "0..1", description = "The sweep's name.")
    String sweep;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        try (DatabaseOptions.Open db = database.openShared(out)) {
            SchemaMigration.migrate(db.settings());
            try (RunStore store = RunStore.open(db.settings())) {
                SweepQueries queries = store.queries();
                if (sweep == null) {
                    out.printf("%-24s %8s %8s %8s %8s %8s %8s%n", "sweep", "runs", "complete", "diverged", "failed",
                            "running", "queued");
                    for (String name : queries.sweeps()) {
                        SweepStatus s = queries.status(name);
                        Map<RunStatus, Integer> c = s.counts();
                        out.printf("%-24s %8d %8d %8d %8d %8d %8d%n", name, s.total(), c.get(RunStatus.COMPLETE),
                                c.get(RunStatus.DIVERGED), c.get(RunStatus.FAILED), c.get(RunStatus.RUNNING), c.get(RunStatus.QUEUED));
                    }
                    out.flush();
                    return 0;
                }
                SweepStatus s = queries.status(sweep);
                if (s == null) {
                    throw new IllegalArgumentException("no sweep named '" + sweep + "'; recorded sweeps: "
                            + (queries.sweeps().isEmpty() ? "none" : String.join(", ", queries.sweeps())));
                }
                print(out, s, queries.skipped(sweep), store.applications().of(sweep));
                return 0;
            }
        }
    }

    private static void print(PrintWriter out, SweepStatus s, SweepQueries.Skipped skipped,
            List<Applications.Member> applications) {
        out.printf("sweep %s: %d runs, submitted %s%n", s.sweep(), s.total(), TIME.format(s.submittedAt()));
        if (skipped.runs() > 0) {
            out.printf("  skipped %d runs: %d (dataset, shape, depth, size) cells have no conformant layout%n",
                    skipped.runs(), skipped.cells());
        }
        s.counts().forEach((status, n) -> out.printf("  %-9s %7d%n", status.specName(), n));
        if (!applications.isEmpty()) {
            out.printf("applications: %d working%n", applications.stream().filter(a -> a.endedAt() == null).count());
            out.printf("  %-28s %-24s %-16s %7s %7s  %s%n", "application", "master", "host", "claimed", "done",
                    "last heartbeat");
            for (Applications.Member a : applications) {
                long ago = Math.max(0, Duration.between(a.heartbeatAt(), s.at()).toSeconds());
                out.printf("  %-28s %-24s %-16s %7d %7d  %s (%s)%n", a.applicationId(), a.master(), a.host(),
                        a.claimed(), a.done(), TIME.format(a.heartbeatAt()),
                        a.endedAt() != null ? "ended" : ago + " s ago");
            }
        }
        if (!s.failuresByError().isEmpty()) {
            out.println("failures by error:");
            s.failuresByError().forEach((error, n) -> out.printf("  %5d  %s%n", n, error));
        }
        if (s.remaining() > 0) {
            Duration eta = s.eta();
            out.println(eta == null ? "throughput: no run finished in the last 10 minutes (is the sweep running?)"
                    : String.format("throughput: %.1f runs/min lately; ETA %s for %d runs", s.recentRunsPerMinute(),
                    ProgressReporter.format(eta), s.remaining()));
        } else if (s.finished() > 0) {
            out.printf("all %d runs finished, the last %s%n", s.finished(), TIME.format(s.lastFinished()));
        }
        if (s.counts().get(RunStatus.FAILED) > 0 || s.remaining() > 0) {
            out.printf("train the rest: churn resubmit %s [--only-failed] [--include-running]%n", s.sweep());
        }
        if (s.counts().get(RunStatus.DIVERGED) > 0) {
            out.printf("train the diverged runs again: churn resubmit %s --retry-diverged%n", s.sweep());
        }
        out.flush();
    }
}
