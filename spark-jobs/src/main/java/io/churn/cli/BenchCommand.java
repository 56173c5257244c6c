package io.churn.cli;

import io.churn.sink.DatabaseSettings;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.RunStore;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecParser;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code churn bench}: measurements that print figures (never asserted in tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {BenchCommand.Ledger.class})
final class BenchCommand {

    /** How long submitting a large sweep to the ledger takes. */
    @Command(name = "ledger", mixinStandardHelpOptions = true,
            description = "Time recording N planned runs in the ledger (a fresh embedded PostgreSQL in a temporary"
                    + " folder), then recording them again (all already known).")
    static final class Ledger implements Callable<Integer> {

        @Spec
        CommandSpec command;

        @Option(names = "--runs", defaultValue = "100000", description = "Planned runs (default: ${DEFAULT-VALUE}).")
        int runs;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            String spec = "{ \"name\": \"bench-ledger\", \"repetitions\": " + runs + ", \"grid\": {"
                    + " \"dataset\": [\"banana\"], \"shape\": [\"rectangle\"], \"depth\": [3], \"size\": [1024],"
                    + " \"learning_rate\": [0.001], \"batch_size\": [32], \"epochs\": [10] } }";
            long t0 = System.nanoTime();
            List<RunSpec> planned = GridExpander.expand(SpecParser.parse(spec, "bench"));
            double expand = seconds(t0);
            Path dir = Files.createTempDirectory("churn-bench-ledger");
            try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("postgres"))) {
                DatabaseSettings settings = db.settings();
                RunStore.migrate(settings);
                try (RunStore store = RunStore.open(settings)) {
                    long t1 = System.nanoTime();
                    store.registerSweep("bench-ledger", spec, planned);
                    double first = seconds(t1);
                    long t2 = System.nanoTime();
                    store.registerSweep("bench-ledger", spec, planned);
                    double again = seconds(t2);
                    out.printf("runs %d: expand %.2f s, record (new) %.2f s = %.0f runs/s, record again %.2f s%n",
                            planned.size(), expand, first, planned.size() / first, again);
                }
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            out.flush();
            return 0;
        }

        private static double seconds(long since) {
            return (System.nanoTime() - since) / 1e9;
        }
    }
}
