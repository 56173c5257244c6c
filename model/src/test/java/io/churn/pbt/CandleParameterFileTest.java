package io.churn.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.spec.ActivationFunction;
import io.churn.spec.Optimizer;
import io.churn.spec.RunSpec;
import io.churn.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CANDLE parameter files as CANDLE ships them: its names, every entry type, extra keys. */
class CandleParameterFileTest {

    /** Every CANDLE type, CANDLE's names, comments and other extra keys, and entries for convolutions. */
    static final String TC1_LIKE = """
            [
              {"name": "conv", "type": "constant", "value": "0 0 0", "comment": "def_value 128 20 1, debug: 0 0 0"},
              {"name": "feature_subsample", "type": "constant", "value": 500, "comment": "debug only"},
              {"name": "dense", "type": "constant", "value": "24 12"},
              {"name": "activation", "type": "categorical", "element_type": "string",
               "values": ["elu", "relu", "tanh", "sigmoid"]},
              {"name": "optimizer", "type": "ordered", "element_type": "string", "values": ["sgd", "adam", "rmsprop"]},
              {"name": "drop", "type": "float", "lower": 0.0, "upper": 0.5, "comment": "dropout"},
              {"name": "lr", "type": "float", "lower": 0.0001, "upper": 0.01, "sigma": 0.001},
              {"name": "batch_size", "type": "int", "lower": 16, "upper": 128},
              {"name": "label_noise", "type": "categorical", "element_type": "float", "values": [0.0, 0.05]},
              {"name": "batch_normalization", "type": "logical", "comment": "not in a BUTTER network"},
              {"name": "epochs", "type": "constant", "value": 6}
            ]
            """;

    static PbtSpec read(Path dir, String file, String spec) throws Exception {
        Files.writeString(dir.resolve("params.json"), file);
        return PbtSpecParser.read(Files.writeString(dir.resolve("pbt.json"), spec));
    }

    static final String SPEC = """
            { "name": "tc1", "seed": 5, "dataset": "splice", "population": 12, "epochs_per_generation": 2,
              "space_file": "params.json" }
            """;

    @Test
    void candles_names_map_to_churns_and_the_rest_is_named_apart(@TempDir Path dir) throws Exception {
        PbtSpec s = read(dir, TC1_LIKE, SPEC);
        assertEquals(List.of("activation", "optimizer", "dropout", "learning_rate", "batch_size", "label_noise"),
                List.copyOf(s.space().keySet()));
        assertEquals(List.of("conv", "feature_subsample", "batch_normalization"), s.ignored());
        assertEquals(Map.of("dense", "hidden widths [24, 12]", "activation", "activation", "optimizer", "optimizer",
                "drop", "dropout", "lr", "learning_rate", "batch_size", "batch_size", "label_noise", "label_noise",
                "epochs", "the job's 6 epochs: 3 generations of 2"), s.mapped());
        assertEquals(List.of(24, 12), s.hiddenWidths());
        assertEquals(3, s.generations(), "CANDLE's epochs is the job's total");
        assertEquals(new Domain.Range(0.0001, 0.01, false, false), s.space().get("learning_rate"));
        assertEquals(new Domain.Range(16, 128, true, false), s.space().get("batch_size"));
        assertEquals(new Domain.Range(0.0, 0.5, false, false), s.space().get("dropout"));
    }

    @Test
    void each_mapped_entry_takes_effect_per_member(@TempDir Path dir) throws Exception {
        PbtSpec s = read(dir, TC1_LIKE, SPEC);
        Set<Double> rates = new HashSet<>();
        Set<Integer> batches = new HashSet<>();
        Set<ActivationFunction> activations = new HashSet<>();
        Set<Optimizer> optimizers = new HashSet<>();
        Set<Double> noise = new HashSet<>();
        Set<Double> dropouts = new HashSet<>();
        List<Map<String, Object>> initial = PbtRules.initial(s);
        for (int m = 0; m < s.population(); m++) {
            Map<String, Object> h = initial.get(m);
            RunSpec run = s.runSpec(h, m, PbtRules.initSeed(s, m));
            assertEquals(h.get("learning_rate"), run.learningRate());
            assertEquals(((Long) h.get("batch_size")).intValue(), run.batchSize());
            assertEquals(h.get("activation"), run.activation().specName());
            assertEquals(h.get("optimizer"), run.optimizer().specName());
            assertEquals(h.get("label_noise"), run.labelNoise());
            assertEquals(h.get("dropout"), run.dropout());
            assertTrue(run.dropout() >= 0 && run.dropout() <= 0.5, h.toString());
            dropouts.add(run.dropout());
            assertEquals(2, run.epochs(), "a member's run is one generation");
            assertTrue(run.learningRate() >= 0.0001 && run.learningRate() <= 0.01);
            rates.add(run.learningRate());
            batches.add(run.batchSize());
            activations.add(run.activation());
            optimizers.add(run.optimizer());
            noise.add(run.labelNoise());
        }
        assertEquals(12, rates.size(), "each member draws its own learning rate");
        assertEquals(12, dropouts.size(), "each member draws its own dropout");
        assertTrue(batches.size() > 1 && activations.size() > 1 && optimizers.size() > 1 && noise.size() > 1,
                batches + " " + activations + " " + optimizers + " " + noise);
    }

    @Test
    void a_copy_takes_its_donors_optimizer_with_its_weights_and_never_explores_it(@TempDir Path dir) throws Exception {
        PbtSpec s = read(dir, TC1_LIKE, SPEC);
        List<PbtRules.MemberScore> scored = new java.util.ArrayList<>();
        List<Map<String, Object>> initial = PbtRules.initial(s);
        for (int m = 0; m < s.population(); m++) scored.add(new PbtRules.MemberScore(m, initial.get(m), m));
        for (PbtRules.Decision d : PbtRules.decide(s, 0, scored)) {
            if (!d.copies()) continue;
            assertEquals(initial.get(d.donor()).get("optimizer"), d.hyperparameters().get("optimizer"));
            assertTrue(d.changes().stream().noneMatch(c -> c.name().equals("optimizer")), d.toString());
        }
    }

    @Test
    void dense_may_be_a_list_and_the_network_keys_then_stay_out(@TempDir Path dir) throws Exception {
        String file = """
                [ {"name": "dense", "type": "constant", "value": [64, 32, 16]},
                  {"name": "lr", "type": "float", "lower": 0.001, "upper": 0.01} ]
                """;
        PbtSpec s = read(dir, file, """
                { "name": "d", "dataset": "splice", "population": 2, "generations": 2, "space_file": "params.json" }
                """);
        assertEquals(List.of(64, 32, 16), s.hiddenWidths());
        assertEquals(4, s.depth());
        SpecException e = assertThrows(SpecException.class, () -> read(dir, file, """
                { "name": "d", "dataset": "splice", "depth": 3, "size": 100, "population": 2, "generations": 2,
                  "space_file": "params.json" }
                """));
        assertTrue(String.join("\n", e.problems()).contains("depth: the space file's dense gives the hidden widths"),
                e.problems().toString());
    }

    @Test
    void what_the_engines_cannot_train_yet_is_refused_saying_so(@TempDir Path dir) {
        SpecException e = assertThrows(SpecException.class, () -> read(dir, """
                [ {"name": "activation", "type": "categorical", "element_type": "string",
                   "values": ["softmax", "relu"]},
                  {"name": "dense", "type": "categorical", "values": ["200 20", "100 10"]},
                  {"name": "epochs", "type": "constant", "value": 5},
                  {"name": "lr", "type": "float", "lower": 0.001, "upper": 0.01} ]
                """, SPEC));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("(activation): 'softmax' is a known activation, but the training engines do not train"
                + " it yet"), all);
        assertTrue(all.contains("(dense): members copy each other's weights"), all);
        assertTrue(all.contains("5 epochs in all is not a whole number of generations of 2"), all);
        assertEquals(5, e.problems().size(), all); // with depth and size missing, as dense gave no widths
        assertEquals("softmax", ActivationFunction.fromSpecName("softmax").specName(), "the name is known");
    }

    @Test
    void the_keras_activations_the_engines_train_are_drawn_per_member(@TempDir Path dir) throws Exception {
        List<String> keras = List.of("softplus", "softsign", "hard_sigmoid", "linear");
        PbtSpec s = read(dir, """
                [ {"name": "activation", "type": "categorical", "element_type": "string",
                   "values": ["softplus", "softsign", "hard_sigmoid", "linear"]},
                  {"name": "dense", "type": "constant", "value": "20 10"},
                  {"name": "epochs", "type": "constant", "value": 4} ]
                """, SPEC);
        Set<ActivationFunction> drawn = new HashSet<>();
        List<Map<String, Object>> initial = PbtRules.initial(s);
        for (int m = 0; m < initial.size(); m++) {
            RunSpec run = s.runSpec(initial.get(m), m, 1);
            assertTrue(keras.contains(run.activation().specName()), run.activation().toString());
            drawn.add(run.activation());
        }
        assertEquals(keras, ((Domain.Choice) s.space().get("activation")).values());
        assertTrue(drawn.size() > 1, "members draw their own: " + drawn);
    }
}
