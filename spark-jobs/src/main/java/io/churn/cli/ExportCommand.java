package io.churn.cli;

import io.churn.sink.ExportLock;
import io.churn.sink.ResultDataset;
import io.churn.sink.RunStore;
import io.churn.sink.SchemaMigration;
import io.churn.sink.SweepExport;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn export SWEEP}: the sweep's Parquet partition brought up to date with the ledger, or rewritten whole. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a sweep's runs from PostgreSQL to Parquet at RESULTS/runs/sweep=NAME/, as every sweep"
                + " and resubmit does at its end: only the runs that changed since the last export are written, the"
                + " files before are kept. With --full, every run is written again.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "SWEEP", description = "The sweep's name.")
    String sweep;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--results", paramLabel = "URI",
            description = "Parquet results, any Hadoop URI (default: where the sweep was last exported, else"
                    + " WORK-DIR/results).")
    String results;

    @Option(names = "--full", description = "Write every run again, not only those changed since the last export.")
    boolean full;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        try (DatabaseOptions.Open db = database.openShared(out)) {
            SchemaMigration.migrate(db.settings());
            String uri = results;
            try (RunStore store = RunStore.open(db.settings())) {
                if (store.queries().spec(sweep) == null) {
                    throw new IllegalArgumentException("no sweep named '" + sweep + "'; recorded: "
                            + String.join(", ", store.queries().sweeps()));
                }
                if (uri == null) uri = store.queries().exportedTo(sweep);
            }
            if (uri == null) uri = ResultsOptions.uri(null, database.workDir);
            Instant start = Instant.now();
            SweepExport.Exported e;
            try (ExportLock lock = ExportLock.acquire(db.settings(), sweep)) {
                e = SweepExport.export(db.settings(), sweep, uri, full);
            }
            out.printf("[%s] %s export: %d rows written, %d in all, at %s in %.1f s%n", sweep,
                    e.full() ? "full" : "incremental", e.written(), e.rows(),
                    ResultDataset.RUNS.partitionUri(uri, sweep), Duration.between(start, Instant.now()).toMillis() / 1e3);
            out.flush();
            return 0;
        }
    }
}
