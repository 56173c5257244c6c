package io.churn.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.churn.pbt.Metric;
import io.churn.pbt.PbtRules;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.Standing;
import io.churn.train.EpochMetrics;
import io.churn.train.Provenance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PBT's records in PostgreSQL: the job and how it stands, each generation's plan per member,
 * per-epoch metrics, scores with their provenance, lineage and restarts. Keys are (job,
 * generation, member[, epoch]) and writes are upserts, so a retried task or a resumed job never
 * duplicates a record; a member's score and epochs are recorded by the first task attempt to
 * finish it, never replaced by a late or duplicate one. Every call follows the reconnect policy
 * the run tables use ({@link RetryingConnection}).
 */
public final class PbtStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Upsert JOB = Upsert.keeping("pbt", List.of("pbt", "spec"));
    /** The words of {@code pbt.status}, as a run's. */
    public static final String RUNNING = "running", COMPLETE = "complete", FAILED = "failed";
    private static final List<String> MEMBER = List.of("pbt", "generation", "member");
    private static final Upsert PLAN = Upsert.replacing("pbt_member", MEMBER, ResultColumns.concat(MEMBER,
            List.of("hyperparameters", "learning_rate", "batch_size", "momentum", "label_noise", "l1", "l2",
                    "dropout", "weights_from", "weights_to", "restart")));
    private static final List<String> EPOCH = ResultColumns.concat(MEMBER, List.of("epoch"));
    private static final Upsert EPOCHS = Upsert.replacing("pbt_epoch", EPOCH, ResultColumns.concat(EPOCH,
            ResultColumns.METRIC_COLUMNS,
            List.of("host", "executor")));
    private static final List<String> SCORE = ResultColumns.concat(MEMBER,
            List.of("score", "error", "initial_weights_sha256", "engine", "restart", "attempt"),
            ResultColumns.PROVENANCE);
    private static final Upsert RESTART = Upsert.keeping("pbt_restart", ResultColumns.concat(MEMBER,
            List.of("restart", "score", "error", "hyperparameters_before", "hyperparameters_after", "changes",
                    "weights_from")));
    private static final Upsert LINEAGE = Upsert.keeping("pbt_lineage", ResultColumns.concat(MEMBER,
            List.of("donor", "score", "donor_score", "hyperparameters_before", "hyperparameters_after", "changes")));

    private final RetryingConnection db;

    private PbtStore(RetryingConnection db) {
        this.db = db;
    }

    /** Connects, failing at once with a message that names the server (never the password). */
    public static PbtStore open(DatabaseSettings settings) {
        return new PbtStore(RetryingConnection.open(settings));
    }

    /**
     * Connects from a member's task: a server that cannot be reached (restarting mid-job) is waited
     * out as a lost connection is ({@link RetryingConnection}), then it fails.
     */
    public static PbtStore openInJob(DatabaseSettings settings) {
        return new PbtStore(RetryingConnection.openWaiting(settings));
    }

    /**
     * A member's plan for one generation: {@code restart} says which training of the generation it
     * is (0 the first; 1.. after every member diverged).
     */
    public record MemberPlan(int member, Map<String, Object> hyperparameters, String weightsFrom, String weightsTo,
                             int restart) {
    }

    /**
     * Records the job, {@code generations} long and ranked by {@code metric} in {@code mode}, as
     * running; returns how many generations it has completed (0 for a new job).
     */
    public int register(String job, String specJson, int generations, Metric metric, String mode)
            throws SQLException {
        return db.call(c -> {
            JOB.execute(c, new SqlRow().put("pbt", job).json("spec", specJson));
            try (PreparedStatement s = c.prepareStatement("update pbt set generations = ?, metric = ?, mode = ?,"
                    + " status = ?, error = null where pbt = ?")) {
                s.setInt(1, generations);
                s.setString(2, metric.specName());
                s.setString(3, mode);
                s.setString(4, RUNNING);
                s.setString(5, job);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "select completed_generations, spec = ?::jsonb from pbt where pbt = ?")) {
                s.setString(1, specJson);
                s.setString(2, job);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(2)) {
                        throw new IllegalArgumentException("a PBT job named '" + job + "' was run with a different"
                                + " spec; give this one another name");
                    }
                    return rs.getInt(1);
                }
            }
        });
    }

    public List<MemberPlan> plan(String job, int generation) throws SQLException {
        return db.call(c -> {
            List<MemberPlan> plan = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select member, hyperparameters::text, weights_from,"
                    + " weights_to, restart from pbt_member where pbt = ? and generation = ? order by member")) {
                s.setString(1, job);
                s.setInt(2, generation);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        plan.add(new MemberPlan(rs.getInt(1), fromJson(rs.getString(2)), rs.getString(3),
                                rs.getString(4), rs.getInt(5)));
                    }
                }
            }
            return plan;
        });
    }

    /** Writes a generation's plan. */
    public void savePlan(String job, int generation, List<MemberPlan> plan) throws SQLException {
        db.call(c -> {
            writePlan(c, job, generation, plan);
            return null;
        });
    }

    private static void writePlan(Connection c, String job, int generation, List<MemberPlan> plan)
            throws SQLException {
        List<SqlRow> rows = new ArrayList<>();
        for (MemberPlan m : plan) {
            // the typed columns hold every hyperparameter, defaults included, for queries and Parquet
            Map<String, Object> h = new LinkedHashMap<>(PbtSpec.DEFAULTS);
            h.putAll(m.hyperparameters());
            rows.add(member(job, generation, m.member())
                    .json("hyperparameters", toJson(m.hyperparameters()))
                    .put("learning_rate", number(h, "learning_rate"))
                    .put("batch_size", (int) Math.round(number(h, "batch_size")))
                    .put("momentum", number(h, "momentum"))
                    .put("label_noise", number(h, "label_noise"))
                    .put("l1", number(h, "l1"))
                    .put("l2", number(h, "l2"))
                    .put("dropout", number(h, "dropout"))
                    .put("weights_from", m.weightsFrom())
                    .put("weights_to", m.weightsTo())
                    .put("restart", m.restart()));
        }
        PLAN.execute(c, rows);
    }

    /** One epoch of a member's generation; {@code epoch} counts from the start of the job. */
    public record Epoch(int epoch, EpochMetrics metrics, String host, String executor) {
    }

    /**
     * Records a member's result for a generation, for task attempt {@code attempt} of its
     * training {@code restart}: its epochs, its score (NaN with {@code error} when training
     * failed), the digest of the weights it started from, the engine that trained it (null when
     * none got to) and where and with what it trained. The first attempt to get here keeps the
     * record; returns the attempt whose record stands, null when the generation has since been
     * restarted (this attempt's plan is gone). Safe to repeat: an attempt that recorded its result
     * sees itself.
     */
    public String saveResult(String job, int generation, int member, int restart, String attempt, double score,
                             String error, String weightsDigest, String engine, Provenance provenance,
                             List<Epoch> epochs) throws SQLException {
        SqlRow row = member(job, generation, member).put("score", score).put("error", error)
                .put("initial_weights_sha256", weightsDigest).put("engine", engine).put("restart", restart)
                .put("attempt", attempt).putAll(ResultColumns.provenance(provenance));
        List<SqlRow> epochRows = new ArrayList<>();
        for (Epoch e : epochs) {
            epochRows.add(member(job, generation, member).put("epoch", e.epoch()).putAll(ResultColumns.epoch(e.metrics()))
                    .put("host", e.host()).put("executor", e.executor()));
        }
        return db.transaction(c -> {
            // the database decides: only a plan of this restart admits the row, only one row per member
            try (PreparedStatement s = c.prepareStatement("insert into pbt_score (" + String.join(", ", SCORE)
                    + ") select " + "?, ".repeat(SCORE.size() - 1) + "? where exists (select 1 from pbt_member"
                    + " where pbt = ? and generation = ? and member = ? and restart = ?) on conflict do nothing")) {
                row.bind(s, SCORE);
                s.setString(SCORE.size() + 1, job);
                s.setInt(SCORE.size() + 2, generation);
                s.setInt(SCORE.size() + 3, member);
                s.setInt(SCORE.size() + 4, restart);
                if (s.executeUpdate() == 1) {
                    EPOCHS.execute(c, epochRows);
                    return attempt;
                }
            }
            try (PreparedStatement s = c.prepareStatement("select attempt from pbt_score where pbt = ?"
                    + " and generation = ? and member = ? and restart = ?")) {
                s.setString(1, job);
                s.setInt(2, generation);
                s.setInt(3, member);
                s.setInt(4, restart);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** A member's record of a generation that diverged as a whole, as it is restarted. */
    public record Restarted(int member, double score, String error, Map<String, Object> before,
                            PbtRules.Decision decision, String weightsFrom) {
    }

    /**
     * Restarts a generation whose every member diverged, in one transaction: records each member's
     * diverged result and how it restarts ({@code pbt_restart}), sets the results of the try aside
     * and writes the generation's new plan ({@code next}, of restart {@code restart}).
     */
    public void restartGeneration(String job, int generation, int restart, List<Restarted> members,
                                  List<MemberPlan> next) throws SQLException {
        List<SqlRow> rows = new ArrayList<>();
        for (Restarted m : members) {
            rows.add(member(job, generation, m.member()).put("restart", restart).put("score", m.score())
                    .put("error", m.error())
                    .json("hyperparameters_before", toJson(m.before()))
                    .json("hyperparameters_after", toJson(m.decision().hyperparameters()))
                    .json("changes", toJson(m.decision().changes()))
                    .put("weights_from", m.weightsFrom()));
        }
        db.transaction(c -> {
            RESTART.execute(c, rows);
            for (String table : List.of("pbt_score", "pbt_epoch")) {
                try (PreparedStatement s = c.prepareStatement("delete from " + table
                        + " where pbt = ? and generation = ?")) {
                    s.setString(1, job);
                    s.setInt(2, generation);
                    s.executeUpdate();
                }
            }
            writePlan(c, job, generation, next);
            return null;
        });
    }

    /** The errors of a generation's members (null where none), by member. */
    public Map<Integer, String> errors(String job, int generation) throws SQLException {
        return db.call(c -> {
            Map<Integer, String> errors = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("select member, error from pbt_score"
                    + " where pbt = ? and generation = ? order by member")) {
                s.setString(1, job);
                s.setInt(2, generation);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) errors.put(rs.getInt(1), rs.getString(2));
                }
            }
            return errors;
        });
    }

    /** Records how the job ended: {@link #COMPLETE}, or {@link #FAILED} with {@code error}. */
    public void finish(String job, String status, String error) throws SQLException {
        db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("update pbt set status = ?, error = ? where pbt = ?")) {
                s.setString(1, status);
                s.setString(2, error);
                s.setString(3, job);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Ends a generation in one transaction: its lineage, the next generation's plan (none after the
     * last) and the job's completed count, so a crash leaves either all of it or none.
     */
    public void completeGeneration(String job, int generation, List<PbtRules.Decision> decisions,
                                   Map<Integer, Double> scores, List<MemberPlan> next, List<MemberPlan> current)
            throws SQLException {
        List<SqlRow> lineage = new ArrayList<>();
        for (PbtRules.Decision d : decisions) {
            if (!d.copies()) continue;
            Map<String, Object> before = current.stream().filter(m -> m.member() == d.member()).findFirst()
                    .orElseThrow().hyperparameters();
            lineage.add(member(job, generation, d.member())
                    .put("donor", d.donor())
                    .put("score", scores.get(d.member()))
                    .put("donor_score", scores.get(d.donor()))
                    .json("hyperparameters_before", toJson(before))
                    .json("hyperparameters_after", toJson(d.hyperparameters()))
                    .json("changes", toJson(d.changes())));
        }
        db.transaction(c -> {
            LINEAGE.execute(c, lineage);
            if (!next.isEmpty()) {
                writePlan(c, job, generation + 1, next);
            }
            try (PreparedStatement s = c.prepareStatement("update pbt set completed_generations = ? where pbt = ?")) {
                s.setInt(1, generation + 1);
                s.setString(2, job);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The hyperparameters the ancestors of {@code member} (at the last generation) trained with,
     * generation by generation: who it copied, whom that one copied, and so on back to generation 0.
     */
    public List<Map<String, Object>> schedule(String job, int generations, int member) throws SQLException {
        List<Map<String, Object>> schedule = new ArrayList<>();
        int current = member;
        for (int g = generations - 1; g >= 0; g--) {
            final int who = current;
            schedule.add(0, plan(job, g).stream().filter(m -> m.member() == who).findFirst().orElseThrow()
                    .hyperparameters());
            if (g > 0) {
                current = donor(job, g - 1, current);
            }
        }
        return schedule;
    }

    /** Whom {@code member} copied after {@code generation}; itself when it kept its weights. */
    private int donor(String job, int generation, int member) throws SQLException {
        return db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("select donor from pbt_lineage"
                    + " where pbt = ? and generation = ? and member = ?")) {
                s.setString(1, job);
                s.setInt(2, generation);
                s.setInt(3, member);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : member;
                }
            }
        });
    }

    /** The recorded PBT jobs, oldest first. */
    public List<String> jobs() throws SQLException {
        return db.call(c -> {
            List<String> jobs = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select pbt from pbt order by submitted_at, pbt");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) jobs.add(rs.getString(1));
            }
            return jobs;
        });
    }

    /** How the job stands ({@link PbtStatus}); null when there is no such job. */
    public PbtStatus status(String job) throws SQLException {
        record Head(java.time.Instant submitted, String status, String error, Integer generations, int completed,
                    String metric, String mode) {
        }
        Head head = db.call(c -> {
            try (PreparedStatement s = c.prepareStatement("select submitted_at, status, error, generations,"
                    + " completed_generations, metric, mode from pbt where pbt = ?")) {
                s.setString(1, job);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) return null;
                    return new Head(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            (Integer) rs.getObject(4), rs.getInt(5), rs.getString(6), rs.getString(7));
                }
            }
        });
        if (head == null) return null;
        int last = head.completed() - 1;
        Map<Integer, Integer> copies = new LinkedHashMap<>();
        int[] copiesAfter = {-1};
        Map<Integer, Integer> restarts = new LinkedHashMap<>();
        int population = db.call(c -> {
            copies.clear();
            try (PreparedStatement s = c.prepareStatement("select generation, member, donor from pbt_lineage"
                    + " where pbt = ? and generation = (select max(generation) from pbt_lineage where pbt = ?)"
                    + " order by member")) {
                s.setString(1, job);
                s.setString(2, job);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        copiesAfter[0] = rs.getInt(1);
                        copies.put(rs.getInt(2), rs.getInt(3));
                    }
                }
            }
            restarts.clear();
            try (PreparedStatement s = c.prepareStatement("select generation, max(restart) from pbt_restart"
                    + " where pbt = ? group by generation order by generation")) {
                s.setString(1, job);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) restarts.put(rs.getInt(1), rs.getInt(2));
                }
            }
            try (PreparedStatement s = c.prepareStatement("select count(*) from pbt_member"
                    + " where pbt = ? and generation = 0")) {
                s.setString(1, job);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        boolean maximize = PbtSpec.MAXIMIZE.equals(head.mode());
        Standing standing = last < 0 ? null : Standing.of(maximize, scores(job, last));
        int scored = head.generations() != null && head.completed() >= head.generations() ? 0
                : scores(job, head.completed()).size();
        return new PbtStatus(job, head.submitted(), head.status(), head.error(), head.generations(), head.completed(),
                population, head.metric(), head.mode(), standing, copiesAfter[0] < 0 ? null : copiesAfter[0] + 1, copies,
                scored, restarts);
    }

    /** The scores of a generation's members; a member whose training failed scores NaN. */
    public Map<Integer, Double> scores(String job, int generation) throws SQLException {
        return db.call(c -> {
            Map<Integer, Double> scores = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("select member, score from pbt_score"
                    + " where pbt = ? and generation = ? order by member")) {
                s.setString(1, job);
                s.setInt(2, generation);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) scores.put(rs.getInt(1), rs.getDouble(2));
                }
            }
            return scores;
        });
    }

    private static SqlRow member(String job, int generation, int member) {
        return new SqlRow().put("pbt", job).put("generation", generation).put("member", member);
    }

    private static double number(Map<String, Object> hyperparameters, String name) {
        return ((Number) hyperparameters.get(name)).doubleValue();
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    /** Hyperparameters from JSON: whole numbers as longs, others as doubles, as the domains hold them. */
    static Map<String, Object> fromJson(String json) {
        try {
            Map<String, Object> raw = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
            Map<String, Object> out = new LinkedHashMap<>();
            raw.forEach((k, v) -> out.put(k, v instanceof Integer i ? (Object) i.longValue() : v));
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored hyperparameters are not JSON: " + json, e);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
