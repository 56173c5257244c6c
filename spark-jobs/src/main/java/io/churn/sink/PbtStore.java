package io.churn.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.churn.pbt.PbtRules;
import io.churn.pbt.PbtSpec;
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
 * PBT's records in PostgreSQL: the job, each generation's plan per member, per-epoch metrics,
 * scores with their provenance, and lineage. Keys are (job, generation, member[, epoch]) and
 * writes are upserts, so a retried task or a resumed job never duplicates a record; every call
 * follows the reconnect policy the run tables use ({@link RetryingConnection}).
 */
public final class PbtStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Upsert JOB = Upsert.keeping("pbt", List.of("pbt", "spec"));
    private static final List<String> MEMBER = List.of("pbt", "generation", "member");
    private static final Upsert PLAN = Upsert.replacing("pbt_member", MEMBER, ResultColumns.concat(MEMBER,
            List.of("hyperparameters", "learning_rate", "batch_size", "momentum", "label_noise", "l1", "l2",
                    "weights_from", "weights_to")));
    private static final List<String> EPOCH = ResultColumns.concat(MEMBER, List.of("epoch"));
    private static final Upsert EPOCHS = Upsert.replacing("pbt_epoch", EPOCH, ResultColumns.concat(EPOCH,
            ResultColumns.METRIC_COLUMNS,
            List.of("host", "executor")));
    private static final Upsert SCORE = Upsert.replacing("pbt_score", MEMBER, ResultColumns.concat(MEMBER,
            List.of("score", "error", "initial_weights_sha256", "engine"), ResultColumns.PROVENANCE));
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

    /** A member's plan for one generation. */
    public record MemberPlan(int member, Map<String, Object> hyperparameters, String weightsFrom, String weightsTo) {
    }

    /** Records the job; returns how many generations it has completed (0 for a new job). */
    public int register(String job, String specJson) throws SQLException {
        return db.call(c -> {
            JOB.execute(c, new SqlRow().put("pbt", job).json("spec", specJson));
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
                    + " weights_to from pbt_member where pbt = ? and generation = ? order by member")) {
                s.setString(1, job);
                s.setInt(2, generation);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        plan.add(new MemberPlan(rs.getInt(1), fromJson(rs.getString(2)), rs.getString(3),
                                rs.getString(4)));
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
                    .put("weights_from", m.weightsFrom())
                    .put("weights_to", m.weightsTo()));
        }
        PLAN.execute(c, rows);
    }

    /** Records one epoch of a member; {@code epoch} counts from the start of the job. */
    public void saveEpoch(String job, int generation, int member, int epoch, EpochMetrics m, String host,
                          String executor) throws SQLException {
        SqlRow row = member(job, generation, member).put("epoch", epoch).putAll(ResultColumns.epoch(m))
                .put("host", host).put("executor", executor);
        db.call(c -> {
            EPOCHS.execute(c, row);
            return null;
        });
    }

    /**
     * Records a member's result for a generation: its score (NaN with {@code error} when training
     * failed), the digest of the weights it started from, the engine that trained it (null when none
     * got to) and where and with what it trained.
     */
    public void saveScore(String job, int generation, int member, double score, String error, String weightsDigest,
                          String engine, Provenance provenance) throws SQLException {
        SqlRow row = member(job, generation, member).put("score", score).put("error", error)
                .put("initial_weights_sha256", weightsDigest).put("engine", engine)
                .putAll(ResultColumns.provenance(provenance));
        db.call(c -> {
            SCORE.execute(c, row);
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
