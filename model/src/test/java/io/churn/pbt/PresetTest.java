package io.churn.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The named exploit and explore rules, and CANDLE's checked against its own selection rule. */
class PresetTest {

    static PbtSpec spec(String preset, int population, String extra) {
        return PbtSpecParser.parse("""
                { "name": "p", "seed": 7, "dataset": "banana", "depth": 2, "size": 64, "population": %d,
                  "generations": 6, "preset": "%s" %s,
                  "space": { "learning_rate": { "lower": 0.001, "upper": 0.01 },
                             "batch_size": { "values": [16, 32, 64] },
                             "activation": { "values": ["relu", "tanh", "elu"] },
                             "optimizer": { "values": ["adam", "rmsprop"] } } }
                """.formatted(population, preset, extra), "t", null);
    }

    @Test
    void each_rounding_gives_its_library_s_count() {
        for (int n = 1; n <= 40; n++) {
            // CANDLE's truncation_select: int(round(size / 5.0)); n / 5 never ends in .5
            assertEquals((int) Math.round(n / 5.0), spec("candle", n, "").exploit().truncated(n), "candle " + n);
            // Ray Tune: ceil(n * 0.25), at most floor(n / 2), none for a population of one
            int ray = n <= 1 ? 0 : Math.min((int) Math.ceil(n * 0.25), n / 2);
            assertEquals(ray, spec("ray", n, "").exploit().truncated(n), "ray " + n);
            int paper = n <= 1 ? 0 : Math.min(n / 2, Math.max(1, (int) Math.floor(n * 0.2)));
            assertEquals(paper, spec("paper", n, "").exploit().truncated(n), "paper " + n);
        }
        assertEquals(List.of(0, 0, 1, 1, 1, 1, 1, 2), List.of(1, 2, 3, 4, 5, 6, 7, 8).stream()
                .map(n -> TruncationRounding.ROUND.count(n, 0.2)).toList());
        assertEquals(3, TruncationRounding.CEIL.count(10, 0.25));
        assertEquals(2, TruncationRounding.FLOOR.count(10, 0.25));
    }

    @Test
    void a_specs_own_keys_override_its_presets_one_by_one() {
        PbtSpec s = spec("candle", 10, ", \"exploit\": { \"rounding\": \"ceil\" }, \"explore\": { \"clip\": true }");
        assertEquals(TruncationRounding.CEIL, s.exploit().rounding());
        assertEquals(0.2, s.exploit().fraction());
        assertEquals(true, s.explore().clip());
        assertEquals(List.of("learning_rate"), s.explore().hyperparameters());
        assertEquals(List.of(0.8, 1.2, 1.0), s.explore().perturbFactors());
        PbtSpec plain = PbtSpecParser.parse("""
                { "name": "p", "dataset": "banana", "depth": 2, "size": 64, "population": 4, "generations": 2,
                  "space": { "learning_rate": { "lower": 0.001, "upper": 0.01 } } }
                """, "t", null);
        assertEquals(Preset.PAPER.exploit(), plain.exploit(), "no preset: the paper's rules, as before");
        assertEquals(Preset.PAPER.explore(), plain.explore());
    }

    /** CANDLE's truncation_select (Supervisor/workflows/pbt/python/tc1_pbt.py), member by member in rank order. */
    static Map<Integer, Integer> candleTruncationSelect(List<PbtRules.MemberScore> data, SplittableRandom random) {
        List<PbtRules.MemberScore> items = new ArrayList<>(data);
        items.sort(Comparator.comparingDouble(PbtRules.MemberScore::score)); // sorted(data, key=score)
        int size = items.size();
        int quintile = (int) Math.round(size / 5.0);
        Map<Integer, Integer> donors = new LinkedHashMap<>();
        if (quintile == 0) return donors; // CANDLE's randint(0, -1) would raise; nobody copies
        for (PbtRules.MemberScore m : items) {
            if (m.score() >= items.get(size - quintile).score()) { // in the bottom 20%
                int idx = random.nextInt(quintile); // random.randint(0, quintile - 1)
                donors.put(m.member(), items.get(idx).member());
            }
        }
        return donors;
    }

    @Test
    void the_candle_preset_decides_as_candles_truncation_select_generation_by_generation() {
        for (int population : List.of(3, 5, 8, 12, 16)) {
            PbtSpec s = spec("candle", population, "");
            List<Map<String, Object>> members = PbtRules.initial(s);
            Random noise = new Random(population);
            Set<Double> factorsSeen = new HashSet<>();
            for (int g = 0; g < s.generations(); g++) {
                List<PbtRules.MemberScore> snapshot = new ArrayList<>();
                for (int m = 0; m < population; m++) {
                    double lr = (Double) members.get(m).get("learning_rate");
                    snapshot.add(new PbtRules.MemberScore(m, members.get(m), Math.abs(Math.log(lr / 0.004))
                            + noise.nextDouble()));
                }
                List<PbtRules.Decision> decisions = PbtRules.decide(s, g, snapshot);
                Map<Integer, Integer> expected = candleTruncationSelect(snapshot, PbtRules.random(s.seed(), g, -1));
                Map<Integer, Integer> actual = new HashMap<>();
                decisions.stream().filter(PbtRules.Decision::copies).forEach(d -> actual.put(d.member(), d.donor()));
                assertEquals(expected, actual, "population " + population + ", generation " + g);
                for (PbtRules.Decision d : decisions) {
                    Map<String, Object> own = members.get(d.member());
                    if (!d.copies()) {
                        assertEquals(own, d.hyperparameters());
                        continue;
                    }
                    Map<String, Object> donor = members.get(d.donor());
                    // ModelWorker.update: the donor's lr times 0.8, 1.2 or 1, never clipped nor resampled
                    PbtRules.Change c = d.changes().get(0);
                    assertEquals(1, d.changes().size(), d.toString());
                    assertEquals("learning_rate", c.name());
                    assertEquals(donor.get("learning_rate"), c.before());
                    assertTrue(Set.of(0.8, 1.2, 1.0).contains(c.factor()), c.toString());
                    assertEquals((Double) donor.get("learning_rate") * c.factor(), (Double) c.after(), 0.0);
                    assertNull(c.clippedTo());
                    assertEquals(false, c.resampled());
                    factorsSeen.add(c.factor());
                    // the member goes on with its own other settings
                    assertEquals(own.get("batch_size"), d.hyperparameters().get("batch_size"));
                    assertEquals(own.get("activation"), d.hyperparameters().get("activation"));
                    // but the optimizer whose state it loads is the donor's
                    assertEquals(donor.get("optimizer"), d.hyperparameters().get("optimizer"));
                }
                List<Map<String, Object>> next = new ArrayList<>(members);
                decisions.forEach(d -> next.set(d.member(), d.hyperparameters()));
                members = next;
            }
            if (population >= 8) assertEquals(Set.of(0.8, 1.2, 1.0), factorsSeen, "population " + population);
        }
    }

    @Test
    void an_unclipped_move_leaves_the_range_and_a_clipped_one_names_its_bound() {
        Domain.Range r = new Domain.Range(0.001, 0.01, false, false);
        assertEquals(new Domain.Move(0.009 * 1.2, null), r.move(0.009, 1.2, false));
        assertEquals(new Domain.Move(0.01, Domain.Bound.UPPER), r.move(0.009, 1.2, true));
        assertEquals(new Domain.Move(0.001, Domain.Bound.LOWER), r.move(0.00105, 0.8, true));
        Domain.Choice c = new Domain.Choice(List.of("relu", "tanh"));
        assertEquals(new Domain.Move("relu", Domain.Bound.LOWER), c.move("relu", 0.8, false));
        assertEquals(new Domain.Move("tanh", null), c.move("relu", 1.2, false));
    }
}
