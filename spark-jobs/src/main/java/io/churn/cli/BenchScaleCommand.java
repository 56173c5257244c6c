package io.churn.cli;

import io.churn.bench.LedgerBench;
import io.churn.driver.SweepPlan;
import io.churn.settings.SpecText;
import io.churn.settings.SweepFile;
import io.churn.sink.DatabaseSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code churn bench scale}: the figures of a sweep at BUTTER's scale, each step on its own: the
 * dry run of a large grid (time and heap), recording millions of runs in the ledger, result
 * ingest by a cluster's executors, and a full then an incremental Parquet export.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Time a sweep at BUTTER's scale, step by step (0 skips a step): the dry run of --spec (its"
                + " plan, skipped cells and estimate; time and heap); recording --runs planned runs in the ledger (a"
                + " fresh embedded PostgreSQL in a temporary folder, or with --jdbc-url a database made for the step"
                + " on that server and dropped after it), then recording them again; --results results"
                + " written by simulated executors whose task threads share a few connections, each claiming runs and"
                + " writing E-epoch histories of every metric; and a full Parquet export of --export complete runs,"
                + " then an incremental one after --export-added more completed.")
final class BenchScaleCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Mixin
    ServerOptions server;

    @Option(names = "--spec", paramLabel = "FILE", defaultValue = "conf/sweeps/butter-grid.json",
            description = "Sweep spec to dry-run (default: ${DEFAULT-VALUE}, 3.63 M runs; 'none': skip).")
    String spec;
    @Option(names = "--slots", defaultValue = "1000",
            description = "Task slots the dry run plans partitions and wall time for (default: ${DEFAULT-VALUE}).")
    int slots;
    @Option(names = "--runs", defaultValue = "3550000",
            description = "Planned runs to record in the ledger (default: ${DEFAULT-VALUE}).")
    int runs;
    @Option(names = "--results", defaultValue = "10000",
            description = "Results to write (default: ${DEFAULT-VALUE}).")
    int results;
    @Option(names = "--executors", defaultValue = "125",
            description = "Simulated executors writing results (default: ${DEFAULT-VALUE}: with --cores 8, a"
                    + " 1,000-core cluster).")
    int executors;
    @Option(names = "--cores", defaultValue = "8",
            description = "Task threads per executor, each claiming runs and writing results (default: ${DEFAULT-VALUE}).")
    int cores;
    @Option(names = "--executor-connections", defaultValue = "2", paramLabel = "K",
            description = "Connections each executor's threads share, as spark.churn.executor.connections bounds"
                    + " a sweep's (default: ${DEFAULT-VALUE}).")
    int connections;
    @Option(names = "--epochs", defaultValue = "3000",
            description = "Epochs in each result's histories (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--packing-writers", description = "Writers pack each result's histories as they write it,"
            + " as executors do, rather than writing histories packed before the clock starts (on a small machine"
            + " the packing then takes CPU from the server under test).")
    boolean packingWriters;
    @Option(names = "--export", defaultValue = "100000", paramLabel = "R",
            description = "Complete runs of E-epoch histories to export in full (default: ${DEFAULT-VALUE}).")
    int export;
    @Option(names = "--export-added", defaultValue = "1000", paramLabel = "N",
            description = "Runs completed between the full and the incremental export (default: ${DEFAULT-VALUE}).")
    int exportAdded;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        server.validate(out);
        // each step on a database of its own, on the named server or a fresh embedded one
        DatabaseSettings db = server.url == null ? null : server.settings();
        if (!spec.equals("none")) {
            plan(out, Path.of(spec));
        }
        if (runs > 0) {
            LedgerBench.Result r = LedgerBench.run(runs, db);
            out.printf("ledger: %,d runs: expand %.2f s, record (new) %.2f s = %,.0f runs/s, record again %.2f s%n",
                    r.runs(), r.expandSeconds(), r.recordSeconds(), r.runsPerSecond(), r.recordAgainSeconds());
            out.flush();
        }
        if (results > 0) {
            LedgerBench.Ingest i = LedgerBench.ingest(results, executors, cores, connections, epochs, packingWriters, db);
            out.printf("ingest: %,d results of %d epochs (histories packed %s, %.0f KB each) by %d executors x %d"
                    + " writers on %d connections: %.2f s = %,.0f results/s, %.0f MB/s of histories; the server's"
                    + " ceiling, plain inserts of the same histories into a bare table: %,.0f/s (%.0f%% of it)%n",
                    i.results(), i.epochs(), i.packing() ? "by the writers" : "beforehand", i.packedBytes() / 1e3,
                    i.executors(), i.cores(), i.executors() * i.connections(), i.seconds(), i.resultsPerSecond(),
                    i.resultsPerSecond() * i.packedBytes() / 1e6, i.ceilingPerSecond(),
                    100 * i.resultsPerSecond() / i.ceilingPerSecond());
            out.flush();
        }
        if (export > 0) {
            LedgerBench.Export x = LedgerBench.export(export, exportAdded, epochs, db);
            out.printf("export: %,d results of %d epochs: full %.2f s (%,.0f MB), then %,d more: incremental %.3f s"
                    + " (%,d rows written, %.1f MB) = %.0fx faster%n", x.results(), x.epochs(), x.fullSeconds(),
                    x.fullBytes() / 1e6, x.added(), x.incrementalSeconds(), x.rowsWritten(), x.incrementalBytes() / 1e6,
                    x.ratio());
            out.flush();
        }
        return 0;
    }

    /**
     * The dry run of {@code file} as {@code sweep --dry-run} makes it, timed, with the most heap in
     * use while it ran and the heap the plan keeps; prints its summary lines.
     */
    private void plan(PrintWriter out, Path file) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long before = usedHeap();
        long start = System.nanoTime();
        SpecText text = SpecText.read(file);
        SweepFile sweep = SweepFile.parse(text.json(), file.toString());
        SweepPlan plan = SweepPlan.of(sweep.spec(), file.toString());
        StringWriter report = new StringWriter();
        PrintWriter lines = new PrintWriter(report);
        PlanReport.skipped(lines, plan);
        PlanReport.dryRun(lines, plan, sweep.settings().engine(), slots, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long kept = usedHeap() - before;
        out.printf("plan: %s: %,d runs planned in %.2f s, at most %,.0f MB of heap in use (%,.0f MB kept by the"
                + " plan; max heap %,.0f MB)%n", file, plan.runs().size(), seconds, peak / 1e6, kept / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
        report.toString().lines()
                .filter(l -> l.contains("] skipped ") || l.contains("] dry run: ") || l.contains("] estimated training: "))
                .forEach(l -> out.println("  " + l));
        out.flush();
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
