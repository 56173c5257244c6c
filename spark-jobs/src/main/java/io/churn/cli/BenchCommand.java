package io.churn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.churn.driver.PbtDriver;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.PbtSpecParser;
import io.churn.sink.EmbeddedDatabase;
import io.churn.sink.PbtStore;
import io.churn.sink.RunStore;
import io.churn.sink.SchemaMigration;
import io.churn.spec.GridExpander;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecParser;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn bench}: measurements that print figures (never asserted in tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {BenchCommand.Engines.class, BenchCommand.Sweep.class, BenchCommand.Ledger.class,
                BenchCommand.Pbt.class, BenchCommand.DataParallelTraining.class})
final class BenchCommand {

    /** A temporary folder with a fresh embedded PostgreSQL, removed on close. */
    static final class Scratch implements AutoCloseable {
        final Path dir;
        final EmbeddedDatabase db;

        Scratch(String name) throws java.io.IOException {
            dir = Files.createTempDirectory(name);
            db = EmbeddedDatabase.start(dir.resolve("postgres"));
            SchemaMigration.migrate(db.settings());
        }

        @Override
        public void close() throws java.io.IOException {
            db.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

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
            try (Scratch scratch = new Scratch("churn-bench-ledger")) {
                try (RunStore store = RunStore.open(scratch.db.settings())) {
                    long t1 = System.nanoTime();
                    store.ledger().registerSweep("bench-ledger", spec, planned);
                    double first = seconds(t1);
                    long t2 = System.nanoTime();
                    store.ledger().registerSweep("bench-ledger", spec, planned);
                    double again = seconds(t2);
                    out.printf("runs %d: expand %.2f s, record (new) %.2f s = %.0f runs/s, record again %.2f s%n",
                            planned.size(), expand, first, planned.size() / first, again);
                }
            }
            out.flush();
            return 0;
        }
    }

    /** PBT against a random search of the same total epochs, on local Spark. */
    @Command(name = "pbt", mixinStandardHelpOptions = true,
            description = "Run a PBT spec, then a random search with the same members' initial hyperparameters and the"
                    + " same total epochs (each member trains all epochs with fixed hyperparameters), and compare"
                    + " their best and median scores. Uses a fresh embedded PostgreSQL in a temporary folder.")
    static final class Pbt implements Callable<Integer> {

        @Spec
        CommandSpec command;

        @Parameters(paramLabel = "SPEC", description = "A PBT spec, e.g. conf/pbt/wine.json.")
        Path specFile;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            ObjectMapper json = new ObjectMapper();
            String pbtJson = Files.readString(specFile);
            PbtSpec pbt = PbtSpecParser.read(specFile);
            var random = (ObjectNode) json.readTree(pbtJson);
            random.put("name", pbt.name() + ".random");
            random.put("generations", 1);
            random.put("epochs_per_generation", pbt.generations() * pbt.epochsPerGeneration());
            String randomJson = json.writeValueAsString(random);
            PbtSpec search = PbtSpecParser.parse(randomJson, "random search",
                    specFile.toAbsolutePath().getParent());
            SparkSession spark = Sparks.start(Sparks.master(), "churn bench pbt");
            try (Scratch scratch = new Scratch("churn-bench-pbt")) {
                EmbeddedDatabase db = scratch.db;
                String weights = scratch.dir.resolve("weights").toUri().toString();
                String results = scratch.dir.resolve("results").toUri().toString();
                PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
                long t0 = System.nanoTime();
                PbtDriver.run(spark, pbt, pbtJson, db.settings(), weights, results, quiet);
                double pbtSeconds = seconds(t0);
                long t1 = System.nanoTime();
                PbtDriver.run(spark, search, randomJson, db.settings(), weights, results, quiet);
                double searchSeconds = seconds(t1);
                try (PbtStore records = PbtStore.open(db.settings())) {
                    double[] p = sorted(records.scores(pbt.name(), pbt.generations() - 1));
                    double[] r = sorted(records.scores(search.name(), 0));
                    int epochs = pbt.population() * pbt.generations() * pbt.epochsPerGeneration();
                    out.printf("%s on %s: population %d, %d epochs in all, %s (%s is better)%n", pbt.name(),
                            pbt.dataset(), pbt.population(), epochs, pbt.metric(), pbt.maximize() ? "higher" : "lower");
                    out.printf("%-14s %10s %10s %10s %8s%n", "method", "best", "median", "worst", "wall s");
                    out.printf("%-14s %10.4f %10.4f %10.4f %8.1f%n", "pbt", best(p, pbt), p[p.length / 2],
                            worst(p, pbt), pbtSeconds);
                    out.printf("%-14s %10.4f %10.4f %10.4f %8.1f%n", "random search", best(r, pbt), r[r.length / 2],
                            worst(r, pbt), searchSeconds);
                }
            } finally {
                spark.stop();
            }
            out.flush();
            return 0;
        }

        private static double[] sorted(Map<Integer, Double> scores) {
            return scores.values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
        }

        private static double best(double[] sorted, PbtSpec spec) {
            return spec.maximize() ? sorted[sorted.length - 1] : sorted[0];
        }

        private static double worst(double[] sorted, PbtSpec spec) {
            return spec.maximize() ? sorted[0] : sorted[sorted.length - 1];
        }
    }

    /** Time per training step of each engine, and of the PyTorch peer when it is installed. */
    @Command(name = "engines", mixinStandardHelpOptions = true,
            description = "Time per training step and samples/s of the fused and DL4J engines for BUTTER-sized"
                    + " rectangle networks (depth 3) on synthetic data, one thread, Adam; with --torch, the PyTorch"
                    + " peer (torch_mlp.py) on the same networks in the same invocation.")
    static final class Engines implements Callable<Integer> {

        @Spec
        CommandSpec command;

        @Option(names = "--sizes", split = ",", defaultValue = "32,256,2048,16384,65536,131072,1048576",
                description = "Parameter budgets (default: ${DEFAULT-VALUE}).")
        List<Long> sizes;

        @Option(names = "--inputs", defaultValue = "26") int inputs;
        @Option(names = "--outputs", defaultValue = "4") int outputs;
        @Option(names = "--rows", defaultValue = "12958") int rows;
        @Option(names = "--batch", defaultValue = "256") int batch;
        @Option(names = "--epochs", defaultValue = "2", description = "Least timed epochs, after a second of warm-up"
                + " (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--torch", paramLabel = "SCRIPT",
                description = "The PyTorch peer script, run with /usr/bin/python3 (e.g. ../shared/peers/torch_mlp.py).")
        Path torch;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            java.util.SplittableRandom random = new java.util.SplittableRandom(1);
            float[] x = new float[rows * inputs];
            float[] y = new float[rows * outputs];
            for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble();
            for (int r = 0; r < rows; r++) y[r * outputs + random.nextInt(outputs)] = 1f;
            out.printf("%9s %-22s %10s %10s %10s %12s %9s %9s%n", "params", "widths", "fused_us", "dl4j_us",
                    "torch_us", "fused_sps", "fused/dl4j", "torch/fused");
            for (long size : sizes) {
                io.churn.network.Layout layout = io.churn.network.LayoutSolver.solve(
                        io.churn.network.Shape.RECTANGLE, 3, size, inputs, outputs);
                io.churn.spec.RunSpec run = new io.churn.spec.RunSpec("synthetic", "rectangle", 3, size, 1e-3, batch,
                        0, io.churn.spec.KernelRegularizer.NONE, io.churn.spec.KernelRegularizer.NONE,
                        io.churn.spec.Optimizer.ADAM, 0, io.churn.spec.ActivationFunction.RELU, epochs, 0, 0.2, 0, 1);
                double fused = microsPerStep(io.churn.train.FusedMlp.create(run, layout,
                        io.churn.data.Task.MULTICLASS), x, y);
                double dl4j = microsPerStep(new io.churn.train.Dl4jNetwork(io.churn.train.Trainer.build(run, layout,
                        io.churn.data.Task.MULTICLASS), inputs, outputs), x, y);
                double torchMicros = torch == null ? Double.NaN : torch(layout);
                out.printf("%9d %-22s %10.1f %10.1f %10.1f %12.0f %9.1fx %9.1fx%n", layout.numFreeParameters(),
                        layout.widths().subList(0, layout.widths().size() - 1), fused, dl4j, torchMicros,
                        batch / (fused / 1e6), dl4j / fused, torchMicros / fused);
                out.flush();
            }
            return 0;
        }

        /**
         * Mean microseconds per step, measured after the JIT has compiled the training loop: warm-up
         * epochs for at least a second, then timed epochs for at least {@code epochs} epochs and two seconds.
         */
        private double microsPerStep(io.churn.train.TrainableNetwork net, float[] x, float[] y) {
            float[] bx = new float[batch * inputs];
            float[] by = new float[batch * outputs];
            long warm = System.nanoTime();
            while (System.nanoTime() - warm < 1_000_000_000L) {
                epoch(net, x, y, bx, by);
            }
            int steps = 0;
            int timed = 0;
            long start = System.nanoTime();
            while (timed < epochs || System.nanoTime() - start < 2_000_000_000L) {
                steps += epoch(net, x, y, bx, by);
                timed++;
            }
            double micros = (System.nanoTime() - start) / 1e3 / steps;
            net.close();
            return micros;
        }

        private int epoch(io.churn.train.TrainableNetwork net, float[] x, float[] y, float[] bx, float[] by) {
            int steps = 0;
            for (int r = 0; r + batch <= rows; r += batch) {
                System.arraycopy(x, r * inputs, bx, 0, bx.length);
                System.arraycopy(y, r * outputs, by, 0, by.length);
                net.fit(bx, by, batch);
                steps++;
            }
            return steps;
        }

        private double torch(io.churn.network.Layout layout) throws Exception {
            List<Integer> hidden = layout.widths().subList(0, layout.widths().size() - 1);
            Process p = new ProcessBuilder("/usr/bin/python3", torch.toString(), "--inputs", Integer.toString(inputs),
                    "--outputs", Integer.toString(outputs), "--widths",
                    String.join(",", hidden.stream().map(String::valueOf).toList()), "--rows", Integer.toString(rows),
                    "--batch", Integer.toString(batch), "--epochs", Integer.toString(epochs))
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("us_per_step=([0-9.]+)").matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("the PyTorch peer printed no timing: " + text.strip());
            }
            return Double.parseDouble(m.group(1));
        }
    }

    /** When training one run across the cluster pays: the same run as one task and data-parallel. */
    @Command(name = "data-parallel", mixinStandardHelpOptions = true,
            description = "Train the same large run (DL4J, rectangle) on the master given by spark.master (local[*] by"
                    + " default) twice: as one Spark task, and data-parallel over every task slot (parameter"
                    + " averaging); print both wall times, their ratio and the final test losses. A one-epoch run"
                    + " as one task warms the JVM and ND4J up first.")
    static final class DataParallelTraining implements Callable<Integer> {

        @Spec
        CommandSpec command;

        @Option(names = "--dataset", defaultValue = "201_pol", description = "(default: ${DEFAULT-VALUE}).")
        String dataset;
        @Option(names = "--depth", defaultValue = "3") int depth;
        @Option(names = "--size", defaultValue = "1048576", description = "Parameters (default: ${DEFAULT-VALUE}).")
        long size;
        @Option(names = "--batch-size", defaultValue = "256") int batchSize;
        @Option(names = "--learning-rate", defaultValue = "0.001") double learningRate;
        @Option(names = "--epochs", defaultValue = "3") int epochs;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            String spec = "{ \"name\": \"bench-data-parallel\", \"grid\": { \"dataset\": [\"" + dataset + "\"],"
                    + " \"shape\": [\"rectangle\"], \"depth\": [" + depth + "], \"size\": [" + size + "],"
                    + " \"learning_rate\": [" + learningRate + "], \"batch_size\": [" + batchSize + "],"
                    + " \"epochs\": [" + epochs + "] } }";
            io.churn.driver.SweepPlan plan = io.churn.driver.SweepPlan.of(SpecParser.parse(spec, "bench"), "bench");
            RunSpec run = plan.runs().get(0);
            RunSpec warmUp = GridExpander.expand(SpecParser.parse(spec.replace("\"epochs\": [" + epochs + "]",
                    "\"epochs\": [1]"), "bench")).get(0);
            SparkSession spark = Sparks.start(Sparks.master(), "churn bench data-parallel");
            try {
                org.apache.spark.api.java.JavaSparkContext jsc =
                        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
                int slots = jsc.defaultParallelism();
                oneTask(jsc, warmUp);
                long t0 = System.nanoTime();
                io.churn.train.RunResult single = oneTask(jsc, run);
                double singleSeconds = seconds(t0);
                long t1 = System.nanoTime();
                io.churn.train.RunResult parallel = io.churn.train.Trainer.run(run,
                        new io.churn.hadoop.HadoopDataSource(),
                        io.churn.driver.DataParallelNetwork.factory(jsc, slots));
                double parallelSeconds = seconds(t1);
                out.printf("%s, rectangle depth %d, %d parameters, batch %d, %d epochs (estimated cost %.3g) on %s"
                        + " (%d task slots)%n", dataset, depth, single.numFreeParameters(), batchSize, epochs,
                        plan.cost(run), jsc.master(), slots);
                out.printf("%-22s %8s %16s%n", "training", "wall s", "final test_loss");
                out.printf("%-22s %8.1f %16s%n", "one task", singleSeconds, finalTestLoss(single));
                out.printf("%-22s %8.1f %16s%n", "data-parallel (" + slots + ")", parallelSeconds,
                        finalTestLoss(parallel));
                out.printf("one task / data-parallel: %.2fx%n", singleSeconds / parallelSeconds);
            } finally {
                spark.stop();
            }
            out.flush();
            return 0;
        }

        private static io.churn.train.RunResult oneTask(org.apache.spark.api.java.JavaSparkContext jsc, RunSpec run) {
            return jsc.parallelize(List.of(run), 1)
                    .map(r -> io.churn.train.Trainer.run(r, new io.churn.hadoop.HadoopDataSource(),
                            io.churn.train.Engine.DL4J))
                    .collect().get(0);
        }

        private static String finalTestLoss(io.churn.train.RunResult r) {
            if (r.error() != null) {
                return "failed: " + r.error().lines().findFirst().orElse("");
            }
            return String.format("%.4f", r.history().get(r.history().size() - 1).testLoss());
        }
    }

    /** Spark's share of a sweep: wall time against the training time the runs report. */
    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Run a sweep of small runs (banana, rectangle and trapezoid, fused engine) on the master given by"
                    + " spark.master (local[*] by default) with a fresh embedded PostgreSQL, and compare its wall time"
                    + " with the sum of the runs' own times divided by the task slots.")
    static final class Sweep implements Callable<Integer> {

        @Spec
        CommandSpec command;

        @Option(names = "--runs", defaultValue = "200", description = "Runs (repetitions of 8 configurations) (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--epochs", defaultValue = "300",
                description = "Epochs per run (default: ${DEFAULT-VALUE}, short for BUTTER's runs, about a second here).")
        int epochs;

        @Option(names = "--partitions", defaultValue = "0",
                description = "Spark partitions of equal estimated cost (default: as churn sweep, shrinking"
                        + " partitions).")
        int partitions;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            String spec = "{ \"name\": \"bench-sweep\", \"repetitions\": " + Math.max(1, runs / 8) + ", \"grid\": {"
                    + " \"dataset\": [\"banana\"], \"shape\": [\"rectangle\", \"trapezoid\"], \"depth\": [3, 4],"
                    + " \"size\": [256, 1024], \"learning_rate\": [0.001], \"batch_size\": [32], \"epochs\": [" + epochs
                    + "] } }";
            io.churn.driver.SweepPlan plan = io.churn.driver.SweepPlan.of(io.churn.spec.SpecParser.parse(spec, "bench"),
                    "bench");
            SparkSession spark = Sparks.start(Sparks.master(), "churn bench sweep");
            try (Scratch scratch = new Scratch("churn-bench-sweep")) {
                EmbeddedDatabase db = scratch.db;
                Path dir = scratch.dir;
                long t0 = System.nanoTime();
                io.churn.driver.SweepDriver.Summary s = io.churn.driver.SweepDriver.run(spark, plan, spec,
                        db.settings(), dir.resolve("results").toUri().toString(), partitions,
                        java.util.Set.of(io.churn.train.RunStatus.QUEUED, io.churn.train.RunStatus.FAILED,
                                io.churn.train.RunStatus.RUNNING), java.time.Duration.ofHours(1),
                        new PrintStream(OutputStream.nullOutputStream()));
                double wall = seconds(t0);
                double training;
                try (java.sql.Connection c = db.settings().connect(); java.sql.Statement st = c.createStatement();
                     java.sql.ResultSet rs = st.executeQuery("select sum(wall_seconds) from run")) {
                    rs.next();
                    training = rs.getDouble(1);
                }
                int slots = spark.sparkContext().defaultParallelism();
                double ideal = training / slots;
                double trainingJob = s.training().toNanos() / 1e9;
                out.printf("%d runs on %s (%d task slots), %d epochs each: wall %.1f s = record %.1f s + train %.1f s"
                                + " + export %.1f s%n", s.trained(), spark.sparkContext().master(), slots, epochs, wall,
                        wall - trainingJob - s.export().toNanos() / 1e9, trainingJob, s.export().toNanos() / 1e9);
                out.printf("runs' own time %.1f s, / %d slots = %.1f s; Spark and bookkeeping add %.1f%% to it in the"
                        + " training job, %.1f%% in all%n", training, slots, ideal, 100 * (trainingJob - ideal) / ideal,
                        100 * (wall - ideal) / ideal);
            } finally {
                spark.stop();
            }
            out.flush();
            return 0;
        }
    }
}
