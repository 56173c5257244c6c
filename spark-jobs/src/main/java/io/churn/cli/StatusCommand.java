package io.churn.cli;

import io.churn.driver.ProgressReporter;
import io.churn.sink.Applications;
import io.churn.pbt.Standing;
import io.churn.sink.PbtStatus;
import io.churn.sink.PbtStore;
import io.churn.sink.RunStore;
import io.churn.sink.SchemaMigration;
import io.churn.sink.SweepQueries;
import io.churn.sink.SweepStatus;
import io.churn.train.RunStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code churn status [NAME]}: the ledger, while a sweep runs or after it ended, and PBT jobs:
 * their generation, members, best and median score by the job's metric and mode, and who copied
 * whom after the last generation.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a sweep's runs per status, the applications working it, its failures grouped by error,"
                + " throughput and ETA, or a PBT job's generation, scores and copies; without NAME, every recorded"
                + " sweep and PBT job.")
final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "The sweep's or PBT job's name.")
    String sweep;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        try (DatabaseOptions.Open db = database.openShared(out)) {
            SchemaMigration.migrate(db.settings());
            try (RunStore store = RunStore.open(db.settings()); PbtStore pbt = PbtStore.open(db.settings())) {
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
                    List<String> jobs = pbt.jobs();
                    if (!jobs.isEmpty()) {
                        out.printf("%n%-24s %-10s %10s %-9s %-22s %10s %10s  %s%n", "pbt", "generation", "population",
                                "status", "metric (mode)", "best", "median", "last copies");
                        for (String name : jobs) {
                            PbtStatus p = pbt.status(name);
                            out.printf("%-24s %-10s %10d %-9s %-22s %10s %10s  %s%n", name, generation(p),
                                    p.population(), p.status(), p.metric() + " (" + p.mode() + ")",
                                    p.last() == null ? "-" : score(p.last().bestScore()),
                                    p.last() == null ? "-" : score(p.last().median()), copies(p));
                        }
                    }
                    out.flush();
                    return 0;
                }
                SweepStatus s = queries.status(sweep);
                if (s != null) {
                    print(out, s, queries.skipped(sweep), store.applications().of(sweep));
                    return 0;
                }
                PbtStatus p = pbt.status(sweep);
                if (p == null) {
                    throw new IllegalArgumentException("no sweep or PBT job named '" + sweep + "'; recorded: "
                            + names(queries.sweeps(), pbt.jobs()));
                }
                print(out, p);
                return 0;
            }
        }
    }

    private static String names(List<String> sweeps, List<String> jobs) {
        List<String> all = new ArrayList<>(sweeps);
        all.addAll(jobs);
        return all.isEmpty() ? "none" : String.join(", ", all);
    }

    /** Generations completed of all: {@code 3/6}. */
    private static String generation(PbtStatus p) {
        return p.completed() + "/" + (p.generations() == null ? "?" : p.generations());
    }

    private static String score(double score) {
        return String.format("%.4f", score);
    }

    /** Who copied whom at the job's last exploit: {@code after generation 2: member 3 copies member 1, ...}. */
    private static String copies(PbtStatus p) {
        if (p.copiesAfter() == null) return "none yet";
        return "after generation " + p.copiesAfter() + ": " + String.join(", ", p.copies().entrySet().stream()
                .map(e -> "member " + e.getKey() + " copies member " + e.getValue()).toList());
    }

    private static void print(PrintWriter out, PbtStatus p) {
        out.printf("pbt %s: %s, generation %s, population %d, %s (%s), submitted %s%n", p.pbt(), p.status(),
                generation(p), p.population(), p.metric(), p.mode(), TIME.format(p.submittedAt()));
        if (p.last() != null) {
            Standing s = p.last();
            out.printf("  generation %d: %s best %s (member %d), median %s, worst %s (member %d)%s%n", p.completed(),
                    p.metric(), score(s.bestScore()), s.best(), score(s.median()), score(s.worstScore()), s.worst(),
                    s.diverged() == 0 ? "" : ", " + s.diverged() + " diverged");
        }
        out.printf("  copies: %s%n", copies(p));
        if (PbtStore.RUNNING.equals(p.status()) && (p.generations() == null || p.completed() < p.generations())) {
            out.printf("  generation %d in training: %d of %d members scored%n", p.completed() + 1, p.scored(),
                    p.population());
        }
        p.restarts().forEach((g, n) -> out.printf("  generation %d diverged (every member's %s non-finite):"
                + " restarted %d time%s%n", g + 1, p.metric(), n, n == 1 ? "" : "s"));
        if (p.error() != null) {
            out.printf("  error: %s%n", p.error());
        }
        out.flush();
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
