package io.churn.driver;

import io.churn.hadoop.WeightStore;
import io.churn.pbt.PbtRules;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.Standing;
import io.churn.sink.CandleOutput;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.ParquetExport;
import io.churn.sink.PbtStore;
import io.churn.train.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a PBT job as synchronized Spark stages, one per generation: every member trains as a task,
 * then the driver ranks the population, applies exploit and explore, records the lineage and plans
 * the next generation. State lives in PostgreSQL and the weight store, so a job killed at any point
 * resumes from its last completed generation with the same decisions. A generation whose every
 * member diverged is restarted a bounded number of times, then the job fails naming it.
 */
public final class PbtDriver {

    /** How a job ended: the best member of the last generation and its score. */
    public record Summary(String job, int generations, int resumedFrom, int bestMember, double bestScore) {
    }

    private PbtDriver() {
    }

    /**
     * Runs (or resumes) the job {@code spec}, whose text {@code specJson} is recorded with it; weights
     * go to {@code weightsUri}, the Parquet export to {@code resultsUri}, progress to {@code out}.
     */
    public static Summary run(SparkSession spark, PbtSpec spec, String specJson, DatabaseSettings db,
                              String weightsUri, String resultsUri, PrintStream out) throws Exception {
        return run(spark, spec, specJson, db, weightsUri, resultsUri, out, Engine.AUTO);
    }

    /** The job with its members on {@code engine} ({@code auto}: the engine a sweep's run of that layout gets). */
    public static Summary run(SparkSession spark, PbtSpec spec, String specJson, DatabaseSettings db,
                              String weightsUri, String resultsUri, PrintStream out, Engine engine) throws Exception {
        return run(spark, spec, specJson, db, weightsUri, resultsUri, out,
                new TrainMember(db, new WeightStore(weightsUri), spec.liveView(), engine));
    }

    /**
     * The job, with {@code members} training each member's generation on an executor: a
     * {@link TrainMember} writing to {@code db} and the weight store at {@code weightsUri}, or such a
     * function wrapped (a test's fault injection).
     */
    static Summary run(SparkSession spark, PbtSpec spec, String specJson, DatabaseSettings db, String weightsUri,
                       String resultsUri, PrintStream out, Function<MemberTask, Double> members) throws Exception {
        String job = spec.name();
        WeightStore store = new WeightStore(weightsUri);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // one store for the whole job: a database restart between or during stages is waited out
        try (PbtStore records = PbtStore.open(db)) {
            int completed = records.register(job, specJson, spec.generations(), spec.metric(), spec.mode());
            if (completed == 0 && records.plan(job, 0).isEmpty()) {
                List<PbtStore.MemberPlan> first = new ArrayList<>();
                List<Map<String, Object>> initial = PbtRules.initial(spec);
                for (int m = 0; m < spec.population(); m++) {
                    first.add(new PbtStore.MemberPlan(m, initial.get(m), null, store.path(job, 0, m), 0));
                }
                records.savePlan(job, 0, first);
            }
            printStart(out, spec, completed);
            try {
                train(jsc, spec, records, store, completed, out, members);
            } catch (Exception e) {
                try {
                    records.finish(job, PbtStore.FAILED, e.getMessage());
                } catch (Exception unrecorded) {
                    e.addSuppressed(unrecorded);
                }
                throw e;
            }
            export(db, job, spec, resultsUri);
            records.finish(job, PbtStore.COMPLETE, null);
            Map<Integer, Double> scores = records.scores(job, spec.generations() - 1);
            Standing last = Standing.of(spec.maximize(), scores);
            return new Summary(job, spec.generations(), completed, last.best(), last.bestScore());
        }
    }

    /**
     * The generations after {@code completed}, one stage each. A generation whose every member
     * diverged is trained again from the weights it started from, with re-explored hyperparameters,
     * up to {@link PbtRules#RESTARTS} times; then the job fails naming it.
     */
    private static void train(JavaSparkContext jsc, PbtSpec spec, PbtStore records, WeightStore store, int completed,
                              PrintStream out, Function<MemberTask, Double> members) throws Exception {
        String job = spec.name();
        for (int g = completed; g < spec.generations(); g++) {
            List<PbtStore.MemberPlan> plan = records.plan(job, g);
            int restart = plan.get(0).restart();
            List<MemberTask> tasks = new ArrayList<>();
            for (PbtStore.MemberPlan m : plan) {
                tasks.add(new MemberTask(job, g, m.member(), m.hyperparameters(),
                        spec.runSpec(m.hyperparameters(), m.member(), PbtRules.initSeed(spec, m.member())),
                        spec.hiddenWidths(), m.weightsFrom(), m.weightsTo(), spec.seed(),
                        PbtRules.orderSeed(spec, g, m.member()), spec.metric(), g * spec.epochsPerGeneration(),
                        restart));
            }
            jsc.setJobGroup("churn-pbt-" + job, "PBT " + job + " generation " + g, false);
            jsc.parallelize(tasks, tasks.size()).map(members).collect();
            Map<Integer, Double> scores = records.scores(job, g);
            List<PbtRules.MemberScore> snapshot = new ArrayList<>();
            for (PbtStore.MemberPlan m : plan) {
                snapshot.add(new PbtRules.MemberScore(m.member(), m.hyperparameters(),
                        scores.getOrDefault(m.member(), Double.NaN)));
            }
            if (PbtRules.allDiverged(snapshot)) {
                restartDiverged(spec, records, g, restart, plan, snapshot, out);
                g--; // the same generation again
                continue;
            }
            boolean last = g == spec.generations() - 1;
            List<PbtRules.Decision> decisions = last ? List.of() : PbtRules.decide(spec, g, snapshot);
            List<PbtStore.MemberPlan> next = new ArrayList<>();
            for (PbtRules.Decision d : decisions) {
                next.add(new PbtStore.MemberPlan(d.member(), d.hyperparameters(), store.path(job, g, d.donor()),
                        store.path(job, g + 1, d.member()), 0));
            }
            records.completeGeneration(job, g, decisions, scores, next, plan);
            printGeneration(out, spec, g, snapshot, decisions);
        }
    }

    /**
     * Every member of generation {@code g} diverged in training {@code restart}: restart it, each
     * member from the weights it started the generation from with its hyperparameters re-explored,
     * or, when the restarts are spent, fail the job.
     */
    private static void restartDiverged(PbtSpec spec, PbtStore records, int g, int restart,
                                        List<PbtStore.MemberPlan> plan, List<PbtRules.MemberScore> snapshot,
                                        PrintStream out) throws Exception {
        String job = spec.name();
        Map<Integer, String> errors = records.errors(job, g);
        String firstError = errors.values().stream().filter(e -> e != null).map(e -> e.lines().findFirst().orElse(e))
                .findFirst().orElse("no error recorded");
        if (restart >= PbtRules.RESTARTS) {
            throw new PbtDivergedException(String.format("PBT job %s: generation %d/%d diverged: every member's %s"
                    + " was non-finite in each of its %d trainings (restarted %d times from the weights it started"
                    + " from, with re-explored hyperparameters); first error: %s", job, g + 1, spec.generations(),
                    spec.metric(), restart + 1, restart, firstError));
        }
        List<PbtRules.Decision> decisions = PbtRules.restart(spec, g, restart + 1, snapshot);
        List<PbtStore.Restarted> restarted = new ArrayList<>();
        List<PbtStore.MemberPlan> next = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            PbtStore.MemberPlan m = plan.get(i);
            PbtRules.Decision d = decisions.get(i);
            restarted.add(new PbtStore.Restarted(m.member(), snapshot.get(i).score(), errors.get(m.member()),
                    m.hyperparameters(), d, m.weightsFrom()));
            next.add(new PbtStore.MemberPlan(m.member(), d.hyperparameters(), m.weightsFrom(), m.weightsTo(),
                    restart + 1));
        }
        records.restartGeneration(job, g, restart + 1, restarted, next);
        out.printf("[%s] generation %d/%d: every member diverged (%s non-finite; %s); restart %d of %d from the"
                + " weights the generation started from, hyperparameters re-explored%n", job, g + 1,
                spec.generations(), spec.metric(), firstError, restart + 1, PbtRules.RESTARTS);
        for (PbtRules.Decision d : decisions) {
            out.printf("  member %3d  %s%n", d.member(), changes(d));
        }
        out.flush();
    }

    /** A job ended because one generation diverged as a whole however often it was restarted. */
    public static final class PbtDivergedException extends IllegalStateException {
        PbtDivergedException(String message) {
            super(message);
        }
    }

    private static void printStart(PrintStream out, PbtSpec spec, int completed) {
        String job = spec.name();
        out.printf("[%s] %s: population %d, %d generations of %d epochs, %s %s%n", job,
                completed == 0 ? "starting" : "resuming after generation " + completed, spec.population(),
                spec.generations(), spec.epochsPerGeneration(), spec.maximize() ? "maximizing" : "minimizing",
                spec.metric());
        if (!spec.mapped().isEmpty()) {
            out.printf("[%s] space file: %s%n", job, String.join(", ", spec.mapped().entrySet().stream()
                    .map(e -> e.getKey().equals(e.getValue()) ? e.getKey() : e.getKey() + " -> " + e.getValue())
                    .toList()));
        }
        if (!spec.ignored().isEmpty()) {
            out.printf("[%s] space file entries that cannot apply to a dense network, ignored: %s%n", job,
                    String.join(", ", spec.ignored()));
        }
    }

    /** A replay: the best member's schedule trained again from fresh weights, beside the PBT result. */
    public record Replay(String job, int member, List<Map<String, Object>> schedule, double score, double pbtScore) {
    }

    /**
     * Ray's PBT replay: the hyperparameter schedule that produced the best member, applied to one
     * network trained from scratch on {@code engine} (as job {@code NAME.replay}, stage by stage,
     * resumable like any job).
     */
    public static Replay replay(SparkSession spark, PbtSpec spec, String specJson, DatabaseSettings db,
                                String weightsUri, String resultsUri, Summary pbt, PrintStream out, Engine engine)
            throws Exception {
        String job = spec.name() + ".replay";
        WeightStore store = new WeightStore(weightsUri);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Map<String, Object>> schedule;
        int completed;
        try (PbtStore records = PbtStore.open(db)) {
            schedule = records.schedule(spec.name(), spec.generations(), pbt.bestMember());
            completed = records.register(job, specJson, spec.generations(), spec.metric(), spec.mode());
        }
        for (int g = completed; g < spec.generations(); g++) {
            PbtStore.MemberPlan plan = new PbtStore.MemberPlan(0, schedule.get(g),
                    g == 0 ? null : store.path(job, g - 1, 0), store.path(job, g, 0), 0);
            MemberTask task = new MemberTask(job, g, 0, plan.hyperparameters(),
                    spec.runSpec(plan.hyperparameters(), 0, PbtRules.initSeed(spec, 0)), spec.hiddenWidths(),
                    plan.weightsFrom(), plan.weightsTo(), spec.seed(), PbtRules.orderSeed(spec, g, 0), spec.metric(),
                    g * spec.epochsPerGeneration(), 0);
            try (PbtStore records = PbtStore.open(db)) {
                records.savePlan(job, g, List.of(plan));
            }
            jsc.setJobGroup("churn-pbt-" + job, "PBT replay " + spec.name() + " generation " + g, false);
            jsc.parallelize(List.of(task), 1).map(new TrainMember(db, store, spec.liveView(), engine)).collect();
            try (PbtStore records = PbtStore.open(db)) {
                records.completeGeneration(job, g, List.of(), records.scores(job, g), List.of(), List.of(plan));
            }
        }
        export(db, job, spec, resultsUri);
        double score;
        try (PbtStore records = PbtStore.open(db)) {
            records.finish(job, PbtStore.COMPLETE, null);
            score = records.scores(job, spec.generations() - 1).getOrDefault(0, Double.NaN);
        }
        out.printf("[%s] replay of member %d's schedule from fresh weights: %s %.4f (PBT: %.4f)%n", spec.name(),
                pbt.bestMember(), spec.metric(), score, pbt.bestScore());
        for (int g = 0; g < schedule.size(); g++) {
            out.printf("  generation %d: %s%n", g + 1, schedule.get(g));
        }
        return new Replay(spec.name(), pbt.bestMember(), schedule, score, pbt.bestScore());
    }

    /**
     * The job's records from PostgreSQL to Parquet ({@link ParquetExport#exportPbt}), then CANDLE's
     * {@code output.csv} ({@link CandleOutput}).
     */
    private static void export(DatabaseSettings db, String job, PbtSpec spec, String resultsUri) throws IOException {
        ParquetExport.exportPbt(db, job, spec, resultsUri);
        CandleOutput.write(db, job, spec.metric(), resultsUri);
    }

    /** A number to 4 significant digits, without trailing zeros ({@code 0}, {@code 0.2}, {@code 0.0005229}). */
    private static String format(Object value) {
        if (!(value instanceof Double d) || !Double.isFinite(d)) return String.valueOf(value);
        return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String changes(PbtRules.Decision d) {
        return String.join(", ", d.changes().stream().map(c -> c.name() + " " + format(c.before()) + " -> "
                + format(c.after()) + " (" + c.how() + ")").toList());
    }

    private static void printGeneration(PrintStream out, PbtSpec spec, int g, List<PbtRules.MemberScore> snapshot,
                                        List<PbtRules.Decision> decisions) {
        Map<Integer, Double> scores = new LinkedHashMap<>();
        snapshot.forEach(m -> scores.put(m.member(), m.score()));
        Standing s = Standing.of(spec.maximize(), scores);
        out.printf("[%s] generation %d/%d: %s best %.4f (member %d), median %.4f, worst %.4f (member %d)%n",
                spec.name(), g + 1, spec.generations(), spec.metric(), s.bestScore(), s.best(), s.median(),
                s.worstScore(), s.worst());
        Map<Integer, PbtRules.Decision> byMember = new LinkedHashMap<>();
        decisions.forEach(d -> byMember.put(d.member(), d));
        for (PbtRules.MemberScore m : snapshot) {
            PbtRules.Decision d = byMember.get(m.member());
            String next = d == null ? "" : !d.copies() ? "keeps its weights"
                    : "copies member " + d.donor() + ": " + changes(d);
            StringBuilder h = new StringBuilder();
            m.hyperparameters().forEach((k, v) -> h.append(h.length() == 0 ? "" : " ").append(k).append('=')
                    .append(format(v)));
            out.printf("  member %3d  %10.4f  %-40s %s%n", m.member(), m.score(), h, next);
        }
        out.flush();
    }
}
