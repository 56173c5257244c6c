package io.churn.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PbtRulesTest {

    static PbtSpec spec(int population, String method, double fraction, double resample) {
        return PbtSpecParser.parse("""
                { "name": "p", "seed": 11, "dataset": "banana", "depth": 2, "size": 64,
                  "population": %d, "generations": 3,
                  "exploit": { "method": "%s", "fraction": %s },
                  "explore": { "perturb_factors": [0.8, 1.2], "resample_probability": %s },
                  "space": { "learning_rate": { "lower": 0.001, "upper": 0.1, "log": true },
                             "batch_size": { "values": [16, 32, 64] } } }
                """.formatted(population, method, fraction, resample), "t", null);
    }

    /** Member i scores i (lower is better for test_loss), with lr 0.01 and batch 32. */
    static List<PbtRules.MemberScore> scored(int population) {
        List<PbtRules.MemberScore> p = new ArrayList<>();
        for (int i = 0; i < population; i++) {
            p.add(new PbtRules.MemberScore(i, Map.of("learning_rate", 0.01, "batch_size", 32L), i));
        }
        return p;
    }

    static Map<Integer, Integer> donors(List<PbtRules.Decision> decisions) {
        return decisions.stream().filter(PbtRules.Decision::copies)
                .collect(Collectors.toMap(PbtRules.Decision::member, PbtRules.Decision::donor));
    }

    @Test
    void truncation_replaces_the_bottom_fraction_with_copies_of_the_top() {
        Map<Integer, Integer> d = donors(PbtRules.decide(spec(10, "truncation", 0.2, 0.25), 0, scored(10)));
        assertEquals(Set.of(8, 9), d.keySet());
        assertTrue(Set.of(0, 1).containsAll(d.values()), d.toString());
    }

    @Test
    void the_truncated_count_is_at_least_one_and_at_most_half() {
        assertEquals(0, PbtRules.truncated(1, 0.2));
        assertEquals(1, PbtRules.truncated(2, 0.2));
        assertEquals(1, PbtRules.truncated(4, 0.2));
        assertEquals(1, PbtRules.truncated(5, 0.2));
        assertEquals(2, PbtRules.truncated(10, 0.25));
        assertEquals(2, PbtRules.truncated(5, 0.5));
        assertEquals(1, PbtRules.truncated(3, 0.5));
        // a population of two: the worse copies the better
        assertEquals(Map.of(1, 0), donors(PbtRules.decide(spec(2, "truncation", 0.2, 0), 0, scored(2))));
        assertEquals(Map.of(), donors(PbtRules.decide(spec(1, "truncation", 0.2, 0), 0, scored(1))));
    }

    @Test
    void ties_and_non_finite_scores_rank_deterministically() {
        List<PbtRules.MemberScore> p = new ArrayList<>();
        p.add(new PbtRules.MemberScore(0, Map.of("learning_rate", 0.01, "batch_size", 32L), Double.NaN));
        p.add(new PbtRules.MemberScore(1, Map.of("learning_rate", 0.01, "batch_size", 32L), 0.5));
        p.add(new PbtRules.MemberScore(2, Map.of("learning_rate", 0.01, "batch_size", 32L), 0.5));
        p.add(new PbtRules.MemberScore(3, Map.of("learning_rate", 0.01, "batch_size", 32L), 0.7));
        PbtSpec s = spec(4, "truncation", 0.25, 0);
        assertEquals(List.of(1, 2, 3, 0), PbtRules.ranked(s, p).stream().map(PbtRules.MemberScore::member).toList());
        assertEquals(Set.of(0), donors(PbtRules.decide(s, 0, p)).keySet());
    }

    @Test
    void a_member_whose_training_failed_always_copies_a_finite_member() {
        List<PbtRules.MemberScore> p = new ArrayList<>(scored(10));
        p.set(3, new PbtRules.MemberScore(3, Map.of("learning_rate", 0.01, "batch_size", 32L), Double.NaN));
        p.set(4, new PbtRules.MemberScore(4, Map.of("learning_rate", 0.01, "batch_size", 32L), Double.NaN));
        p.set(5, new PbtRules.MemberScore(5, Map.of("learning_rate", 0.01, "batch_size", 32L), Double.NaN));
        Map<Integer, Integer> d = donors(PbtRules.decide(spec(10, "truncation", 0.2, 0), 0, p));
        assertTrue(d.keySet().containsAll(Set.of(3, 4, 5)), d.toString());
        d.values().forEach(donor -> assertTrue(donor != 3 && donor != 4 && donor != 5, d.toString()));
    }

    @Test
    void tournament_copies_only_from_a_better_opponent() {
        PbtSpec s = spec(8, "tournament", 0.2, 0);
        Map<Integer, Integer> d = donors(PbtRules.decide(s, 1, scored(8)));
        assertTrue(!d.isEmpty());
        d.forEach((member, donor) -> assertTrue(donor < member, member + " copied " + donor));
        assertTrue(!d.containsKey(0), "the best never copies");
    }

    @Test
    void explore_perturbs_by_a_factor_clips_to_bounds_and_moves_choices_to_a_neighbour() {
        PbtSpec s = spec(10, "truncation", 0.2, 0);
        List<PbtRules.MemberScore> p = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            p.add(new PbtRules.MemberScore(i, Map.of("learning_rate", 0.1, "batch_size", 64L), i));
        }
        List<PbtRules.Decision> copies = PbtRules.decide(s, 0, p).stream().filter(PbtRules.Decision::copies).toList();
        assertEquals(List.of(8, 9), copies.stream().map(PbtRules.Decision::member).toList(),
                "the bottom 20% of ten copy");
        for (PbtRules.Decision d : copies) {
            assertEquals(List.of("learning_rate", "batch_size"), d.changes().stream().map(PbtRules.Change::name).toList());
            for (PbtRules.Change c : d.changes()) {
                assertTrue(c.how().startsWith("*0.8") || c.how().startsWith("*1.2"), c.toString());
                assertTrue(c.factor() == 0.8 || c.factor() == 1.2, c.toString());
                // a move past the end says so: the factor it was asked and the bound it stopped at
                boolean stopped = c.factor() == 1.2;
                assertEquals(stopped ? Domain.Bound.UPPER : null, c.clippedTo(), c.toString());
                assertEquals(stopped ? "*1.2, clipped to the upper bound" : "*0.8", c.how());
                assertEquals(false, c.resampled());
            }
            double lr = (Double) d.hyperparameters().get("learning_rate");
            long batch = (Long) d.hyperparameters().get("batch_size");
            assertTrue(lr == 0.1 || Math.abs(lr - 0.08) < 1e-12, "clipped at the upper bound: " + lr);
            assertTrue(batch == 64L || batch == 32L, "a neighbour of 64 at the end of the list: " + batch);
        }
        Domain.Choice choice = new Domain.Choice(List.of(16L, 32L, 64L));
        assertEquals(16L, choice.perturb(16L, 0.8));
        assertEquals(64L, choice.perturb(32L, 1.2));
        Domain.Range range = new Domain.Range(1, 10, true, false);
        assertEquals(10L, range.perturb(9L, 1.2));
        assertEquals(7L, range.perturb(9L, 0.8));
    }

    @Test
    void resampling_draws_from_the_domain() {
        PbtSpec s = spec(10, "truncation", 0.5, 1.0);
        List<PbtRules.Decision> copies = PbtRules.decide(s, 2, scored(10)).stream().filter(PbtRules.Decision::copies)
                .toList();
        assertEquals(List.of(5, 6, 7, 8, 9), copies.stream().map(PbtRules.Decision::member).toList(),
                "the bottom half of ten copy");
        for (PbtRules.Decision d : copies) {
            assertEquals(2, d.changes().size(), d.toString());
            d.changes().forEach(c -> assertEquals("resample", c.how()));
            d.changes().forEach(c -> assertTrue(c.resampled() && c.factor() == null && c.clippedTo() == null));
            assertTrue(s.space().get("learning_rate").contains(d.hyperparameters().get("learning_rate")));
            assertTrue(s.space().get("batch_size").contains(d.hyperparameters().get("batch_size")));
        }
        Domain.Range log = new Domain.Range(1e-4, 1e-1, false, true);
        SplittableRandom r = new SplittableRandom(1);
        int below = 0;
        for (int i = 0; i < 2000; i++) {
            if ((Double) log.sample(r) < 1e-2) below++;
        }
        // log-uniform: two of three decades lie below 1e-2
        assertEquals(2000 * 2 / 3.0, below, 100);
    }

    @Test
    void the_same_seed_and_scores_give_the_same_decisions() {
        PbtSpec s = spec(10, "truncation", 0.3, 0.25);
        assertEquals(PbtRules.decide(s, 3, scored(10)), PbtRules.decide(s, 3, scored(10)));
        assertEquals(PbtRules.initial(s), PbtRules.initial(s));
        assertNotEquals(PbtRules.decide(s, 3, scored(10)), PbtRules.decide(s, 4, scored(10)));
        assertEquals(10, Set.copyOf(PbtRules.initial(s)).size(), "members start apart");
    }
}
