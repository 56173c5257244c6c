package io.churn.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.churn.pbt.PbtRules;
import io.churn.train.EpochMetrics;
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
 * scores and lineage. Keys are (job, generation, member[, epoch]) and writes are upserts, so a
 * retried task or a resumed job never duplicates a record.
 */
public final class PbtStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connection connection;

    private PbtStore(Connection connection) {
        this.connection = connection;
    }

    public static PbtStore open(DatabaseSettings settings) {
        try {
            return new PbtStore(settings.connect());
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot connect to the results database " + settings + ": "
                    + e.getMessage(), e);
        }
    }

    /** A member's plan for one generation. */
    public record MemberPlan(int member, Map<String, Object> hyperparameters, String weightsFrom, String weightsTo) {
    }

    /** Records the job; returns how many generations it has completed (0 for a new job). */
    public int register(String job, String specJson) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "insert into pbt (pbt, spec) values (?, ?::jsonb) on conflict (pbt) do nothing")) {
            s.setString(1, job);
            s.setString(2, specJson);
            s.executeUpdate();
        }
        try (PreparedStatement s = connection.prepareStatement(
                "select completed_generations, spec = ?::jsonb from pbt where pbt = ?")) {
            s.setString(1, specJson);
            s.setString(2, job);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(2)) {
                    throw new IllegalArgumentException("a PBT job named '" + job + "' was run with a different spec;"
                            + " give this one another name");
                }
                return rs.getInt(1);
            }
        }
    }

    public List<MemberPlan> plan(String job, int generation) throws SQLException {
        List<MemberPlan> plan = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("select member, hyperparameters::text, weights_from,"
                + " weights_to from pbt_member where pbt = ? and generation = ? order by member")) {
            s.setString(1, job);
            s.setInt(2, generation);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    plan.add(new MemberPlan(rs.getInt(1), fromJson(rs.getString(2)), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return plan;
    }

    /** Writes a generation's plan. */
    public void savePlan(String job, int generation, List<MemberPlan> plan) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("insert into pbt_member (pbt, generation, member,"
                + " hyperparameters, learning_rate, batch_size, momentum, label_noise, l1, l2, weights_from, weights_to)"
                + " values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (pbt, generation, member) do update"
                + " set hyperparameters = excluded.hyperparameters, learning_rate = excluded.learning_rate,"
                + " batch_size = excluded.batch_size, momentum = excluded.momentum, label_noise = excluded.label_noise,"
                + " l1 = excluded.l1, l2 = excluded.l2, weights_from = excluded.weights_from,"
                + " weights_to = excluded.weights_to")) {
            for (MemberPlan m : plan) {
                Map<String, Object> h = new LinkedHashMap<>(io.churn.pbt.PbtSpec.DEFAULTS);
                h.putAll(m.hyperparameters());
                s.setString(1, job);
                s.setInt(2, generation);
                s.setInt(3, m.member());
                s.setString(4, toJson(m.hyperparameters()));
                s.setDouble(5, ((Number) h.get("learning_rate")).doubleValue());
                s.setInt(6, (int) Math.round(((Number) h.get("batch_size")).doubleValue()));
                s.setDouble(7, ((Number) h.get("momentum")).doubleValue());
                s.setDouble(8, ((Number) h.get("label_noise")).doubleValue());
                s.setDouble(9, ((Number) h.get("l1")).doubleValue());
                s.setDouble(10, ((Number) h.get("l2")).doubleValue());
                s.setString(11, m.weightsFrom());
                s.setString(12, m.weightsTo());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    public void saveEpoch(String job, int generation, int member, int epoch, EpochMetrics m, String host,
                          String executor) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("insert into pbt_epoch (pbt, generation, member, epoch,"
                + " train_loss, test_loss, train_accuracy, test_accuracy, train_mean_squared_error,"
                + " test_mean_squared_error, train_mean_absolute_error, test_mean_absolute_error, epoch_seconds, host,"
                + " executor) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict"
                + " (pbt, generation, member, epoch) do update set train_loss = excluded.train_loss,"
                + " test_loss = excluded.test_loss, train_accuracy = excluded.train_accuracy,"
                + " test_accuracy = excluded.test_accuracy,"
                + " train_mean_squared_error = excluded.train_mean_squared_error,"
                + " test_mean_squared_error = excluded.test_mean_squared_error,"
                + " train_mean_absolute_error = excluded.train_mean_absolute_error,"
                + " test_mean_absolute_error = excluded.test_mean_absolute_error,"
                + " epoch_seconds = excluded.epoch_seconds, host = excluded.host, executor = excluded.executor")) {
            s.setString(1, job);
            s.setInt(2, generation);
            s.setInt(3, member);
            s.setInt(4, epoch);
            s.setDouble(5, m.trainLoss());
            s.setDouble(6, m.testLoss());
            s.setObject(7, m.trainAccuracy());
            s.setObject(8, m.testAccuracy());
            s.setDouble(9, m.trainMeanSquaredError());
            s.setDouble(10, m.testMeanSquaredError());
            s.setDouble(11, m.trainMeanAbsoluteError());
            s.setDouble(12, m.testMeanAbsoluteError());
            s.setDouble(13, m.seconds());
            s.setString(14, host);
            s.setString(15, executor);
            s.executeUpdate();
        }
    }

    /** A member's result for a generation, with the engine that trained it (null when none got to). */
    public void saveScore(String job, int generation, int member, double score, String error, String weightsDigest,
                          String engine) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("insert into pbt_score (pbt, generation, member, score,"
                + " error, initial_weights_sha256, engine) values (?, ?, ?, ?, ?, ?, ?) on conflict"
                + " (pbt, generation, member) do update set score = excluded.score, error = excluded.error,"
                + " initial_weights_sha256 = excluded.initial_weights_sha256, engine = excluded.engine")) {
            s.setString(1, job);
            s.setInt(2, generation);
            s.setInt(3, member);
            s.setDouble(4, score);
            s.setString(5, error);
            s.setString(6, weightsDigest);
            s.setString(7, engine);
            s.executeUpdate();
        }
    }

    /**
     * Ends a generation in one transaction: its lineage, the next generation's plan (none after the
     * last) and the job's completed count, so a crash leaves either all of it or none.
     */
    public void completeGeneration(String job, int generation, List<PbtRules.Decision> decisions,
                                   Map<Integer, Double> scores, List<MemberPlan> next, List<MemberPlan> current)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement s = connection.prepareStatement("insert into pbt_lineage (pbt, generation, member,"
                    + " donor, score, donor_score, hyperparameters_before, hyperparameters_after, changes)"
                    + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb) on conflict do nothing")) {
                for (PbtRules.Decision d : decisions) {
                    if (!d.copies()) continue;
                    Map<String, Object> before = current.stream().filter(m -> m.member() == d.member()).findFirst()
                            .orElseThrow().hyperparameters();
                    s.setString(1, job);
                    s.setInt(2, generation);
                    s.setInt(3, d.member());
                    s.setInt(4, d.donor());
                    s.setDouble(5, scores.get(d.member()));
                    s.setDouble(6, scores.get(d.donor()));
                    s.setString(7, toJson(before));
                    s.setString(8, toJson(d.hyperparameters()));
                    s.setString(9, toJson(d.changes()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            if (!next.isEmpty()) {
                savePlan(job, generation + 1, next);
            }
            try (PreparedStatement s = connection.prepareStatement(
                    "update pbt set completed_generations = ? where pbt = ?")) {
                s.setInt(1, generation + 1);
                s.setString(2, job);
                s.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
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
                try (PreparedStatement s = connection.prepareStatement("select donor from pbt_lineage"
                        + " where pbt = ? and generation = ? and member = ?")) {
                    s.setString(1, job);
                    s.setInt(2, g - 1);
                    s.setInt(3, current);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) current = rs.getInt(1);
                    }
                }
            }
        }
        return schedule;
    }

    /** The scores of a generation's members; a member whose training failed scores NaN. */
    public Map<Integer, Double> scores(String job, int generation) throws SQLException {
        Map<Integer, Double> scores = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("select member, score from pbt_score"
                + " where pbt = ? and generation = ? order by member")) {
            s.setString(1, job);
            s.setInt(2, generation);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) scores.put(rs.getInt(1), rs.getDouble(2));
            }
        }
        return scores;
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
        connection.close();
    }
}
