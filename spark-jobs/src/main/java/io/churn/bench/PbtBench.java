package io.churn.bench;

import io.churn.driver.PbtDriver;
import io.churn.pbt.PbtSpec;
import io.churn.sink.PbtStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * PBT against a random search of the same total epochs: the same members' initial
 * hyperparameters, each kept for every epoch.
 */
public final class PbtBench {

    /** The final scores of one method's members (failed members left out) and its wall time. */
    public record Method(String name, double best, double median, double worst, double wallSeconds) {
    }

    /** Both methods on one PBT spec; {@code epochs} is the total over the population, the same for both. */
    public record Result(PbtSpec spec, int epochs, Method pbt, Method randomSearch) {
    }

    private final BenchSpecs.Pbt pbt;
    private final BenchSpecs.Pbt search;

    private PbtBench(BenchSpecs.Pbt pbt, BenchSpecs.Pbt search) {
        this.pbt = pbt;
        this.search = search;
    }

    /** Reads and validates the PBT spec in {@code specFile} and derives its random search (before Spark starts). */
    public static PbtBench of(Path specFile) throws IOException {
        BenchSpecs.Pbt pbt = BenchSpecs.pbt(specFile);
        return new PbtBench(pbt, BenchSpecs.randomSearch(pbt, specFile.toAbsolutePath().getParent()));
    }

    /** Runs the PBT job, then its random search, on {@code spark} with a fresh embedded PostgreSQL. */
    public Result run(SparkSession spark) throws Exception {
        try (Scratch scratch = new Scratch("churn-bench-pbt")) {
            double pbtSeconds = train(spark, pbt, scratch);
            double searchSeconds = train(spark, search, scratch);
            PbtSpec spec = pbt.spec();
            try (PbtStore records = PbtStore.open(scratch.settings())) {
                Method p = method("pbt", records.scores(spec.name(), spec.generations() - 1), spec, pbtSeconds);
                Method r = method("random search", records.scores(search.spec().name(), 0), spec, searchSeconds);
                return new Result(spec, spec.population() * spec.generations() * spec.epochsPerGeneration(), p, r);
            }
        }
    }

    private static double train(SparkSession spark, BenchSpecs.Pbt job, Scratch scratch) throws Exception {
        Stopwatch wall = new Stopwatch();
        PbtDriver.run(spark, job.spec(), job.json(), scratch.settings(), scratch.uri("weights"),
                scratch.uri("results"), new PrintStream(OutputStream.nullOutputStream()));
        return wall.seconds();
    }

    private static Method method(String name, Map<Integer, Double> scores, PbtSpec spec, double wallSeconds) {
        double[] s = scores.values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted()
                .toArray();
        double best = spec.maximize() ? s[s.length - 1] : s[0];
        double worst = spec.maximize() ? s[0] : s[s.length - 1];
        return new Method(name, best, s[s.length / 2], worst, wallSeconds);
    }
}
