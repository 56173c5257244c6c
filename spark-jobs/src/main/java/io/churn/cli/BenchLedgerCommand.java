package io.churn.cli;

import io.churn.bench.LedgerBench;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code churn bench ledger}: how long recording a large sweep in the ledger takes. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Time recording N planned runs in the ledger (a fresh embedded PostgreSQL in a temporary"
                + " folder), then recording them again (all already known); with --results, then time simulated"
                + " executors, each with task threads sharing a few connections, claiming runs and writing their"
                + " results with E-epoch histories of every metric; with --export, then time a full and an incremental Parquet export.")
final class BenchLedgerCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = "--runs", defaultValue = "100000",
            description = "Planned runs to record (0: none; default: ${DEFAULT-VALUE}).")
    int runs;
    @Option(names = "--results", defaultValue = "0",
            description = "Results to write after recording (0: none; default: ${DEFAULT-VALUE}).")
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
    @Option(names = "--export", defaultValue = "0", paramLabel = "R",
            description = "Then time a full export of R complete runs of E-epoch histories, and an incremental one"
                    + " after --export-added more completed (0: none; default: ${DEFAULT-VALUE}).")
    int export;
    @Option(names = "--export-added", defaultValue = "1000", paramLabel = "N",
            description = "Runs completed between the full and the incremental export (default: ${DEFAULT-VALUE}).")
    int exportAdded;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        if (runs > 0) {
            LedgerBench.Result r = LedgerBench.run(runs);
            out.printf("runs %d: expand %.2f s, record (new) %.2f s = %.0f runs/s, record again %.2f s%n",
                    r.runs(), r.expandSeconds(), r.recordSeconds(), r.runsPerSecond(), r.recordAgainSeconds());
            out.flush();
        }
        if (results > 0) {
            LedgerBench.Ingest i = LedgerBench.ingest(results, executors, cores, connections, epochs, packingWriters);
            out.printf("results %d of %d epochs (histories packed %s, %.0f KB each) by %d executors x %d writers"
                    + " on %d connections: %.2f s = %.0f results/s, %.0f MB/s of histories%n", i.results(), i.epochs(),
                    i.packing() ? "by the writers" : "beforehand", i.packedBytes() / 1e3, i.executors(), i.cores(),
                    i.executors() * i.connections(), i.seconds(), i.resultsPerSecond(),
                    i.resultsPerSecond() * i.packedBytes() / 1e6);
            out.flush();
        }
        if (export > 0) {
            LedgerBench.Export x = LedgerBench.export(export, exportAdded, epochs);
            out.printf("export of %d results of %d epochs: full %.2f s (%.0f MB), then %d more: incremental %.3f s"
                    + " (%d rows written, %.1f MB) = %.0fx faster%n", x.results(), x.epochs(), x.fullSeconds(),
                    x.fullBytes() / 1e6, x.added(), x.incrementalSeconds(), x.rowsWritten(), x.incrementalBytes() / 1e6,
                    x.ratio());
            out.flush();
        }
        return 0;
    }
}
