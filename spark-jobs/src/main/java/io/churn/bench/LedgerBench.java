package io.churn.bench;

import io.churn.sink.RunStore;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/** How long submitting a large sweep to the ledger takes: N planned runs recorded, then recorded again. */
public final class LedgerBench {

    /** Seconds to expand the grid, to record its runs in an empty ledger, and to record them again. */
    public record Result(int runs, double expandSeconds, double recordSeconds, double recordAgainSeconds) {
        public double runsPerSecond() {
            return runs / recordSeconds;
        }
    }

    private LedgerBench() {
    }

    /** Records {@code repetitions} runs of one configuration in a fresh embedded PostgreSQL. */
    public static Result run(int repetitions) throws IOException, SQLException {
        BenchSpecs.Sweep sweep = BenchSpecs.sweep("bench-ledger", repetitions, new BenchSpecs.GridValues(
                "banana", List.of("rectangle"), List.of(3), List.of(1024L), 0.001, 32, 10));
        Stopwatch expanding = new Stopwatch();
        List<RunSpec> planned = GridExpander.expand(sweep.spec());
        double expand = expanding.seconds();
        try (Scratch scratch = new Scratch("churn-bench-ledger");
             RunStore store = RunStore.open(scratch.db.settings())) {
            Stopwatch first = new Stopwatch();
            store.ledger().registerSweep(sweep.spec().name(), sweep.json(), planned);
            double record = first.seconds();
            Stopwatch again = new Stopwatch();
            store.ledger().registerSweep(sweep.spec().name(), sweep.json(), planned);
            return new Result(planned.size(), expand, record, again.seconds());
        }
    }
}
