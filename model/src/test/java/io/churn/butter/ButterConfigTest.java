package io.churn.butter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.settings.CheckpointSettings;
import io.churn.settings.SpecText;
import io.churn.settings.SweepFile;
import io.churn.spec.ActivationFunction;
import io.churn.spec.Grid;
import io.churn.spec.KernelRegularizer;
import io.churn.spec.Optimizer;
import io.churn.spec.SpecException;
import io.churn.spec.SweepSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BUTTER's aspect_test configs read as the Churn specs that run the same sweeps. */
class ButterConfigTest {

    /** Every key of BUTTER's config that Churn maps, none at its default. */
    static final String EVERY_KEY_JSON = """
            { "mode": "direct", "name": "every_key", "seed": 7, "log": "postgres",
              "datasets": ["nursery", "529_pollen"], "budgets": [1024, 2048],
              "topologies": ["rectangle", "trapezoid", "wide_first_4x"], "depths": [3, 4],
              "residual_modes": ["none", "full"], "learning_rates": [0.001, 0.01],
              "label_noises": ["none", 0.05], "reps": 3, "activation": "elu", "input_activation": "elu",
              "optimizer": { "class_name": "SGD",
                             "config": { "learning_rate": 0.5, "momentum": 0.9, "nesterov": true, "name": "SGD" } },
              "run_config": { "epochs": 7, "batch_size": 64, "shuffle": true, "verbose": 0, "validation_split": 0.25 },
              "test_split": 0.25, "test_split_method": "shuffled_train_test_split",
              "validation_split_method": "shuffled_train_test_split",
              "kernel_regularizer": { "class_name": "L2", "config": { "l2": 0.001 } },
              "bias_regularizer": { "type": "l1", "l1": 0.002 }, "activity_regularizer": null,
              "early_stopping": { "monitor": "val_loss", "patience": 5, "min_delta": 0, "mode": "min",
                                  "restore_best_weights": false, "verbose": 1 },
              "epoch_scale": "none", "checkpoint_epochs": 2, "save_every_epochs": 2, "checkpoint_dir": "/tmp/ckpt",
              "jq_uuid": "run-1" }
            """;

    /** The same config as BUTTER's docs write one: a Python literal. */
    static final String EVERY_KEY_PYTHON = """
            # BUTTER config, Python literal
            {'mode': 'direct', 'name': 'every_key', 'seed': 7, 'log': 'postgres',
             'datasets': ('nursery', '529_pollen'), 'budgets': [1024, 2048],
             'topologies': ['rectangle', 'trapezoid', 'wide_first_4x'], 'depths': [3, 4],
             'residual_modes': ['none', 'full'], 'learning_rates': [0.001, 0.01],
             'label_noises': ['none', 0.05], 'reps': 3, 'activation': 'elu', 'input_activation': 'elu',
             'optimizer': {'class_name': 'SGD',
                           'config': {'learning_rate': 0.5, 'momentum': 0.9, 'nesterov': True, 'name': 'SGD'}},
             'run_config': {'epochs': 7, 'batch_size': 64, 'shuffle': True, 'verbose': 0, 'validation_split': 0.25},
             'test_split': 0.25, 'test_split_method': 'shuffled_train_test_split',
             'validation_split_method': 'shuffled_train_test_split',
             'kernel_regularizer': {'class_name': 'L2', 'config': {'l2': 0.001}},
             'bias_regularizer': {'type': 'l1', 'l1': 0.002}, 'activity_regularizer': None,
             'early_stopping': {'monitor': 'val_loss', 'patience': 5, 'min_delta': 0, 'mode': 'min',
                                'restore_best_weights': False, 'verbose': 1},
             'epoch_scale': 'none', 'checkpoint_epochs': 2, 'save_every_epochs': 2, 'checkpoint_dir': '/tmp/ckpt',
             'jq_uuid': 'run-1',
            }
            """;

    /** BUTTER's README example of a local run. */
    static final String README_EXAMPLE = "{'datasets': ['nursery'],'budgets':[500], 'topologies' : [ 'wide_first' ],"
            + " 'depths' : [4],  'run_config' : { 'epochs': 10}, 'test_split': 0.1, 'reps': 1, 'mode':'direct' }";

    private static SweepFile read(String text, String source) {
        SpecText spec = SpecText.of(text, source);
        assertTrue(spec.translated(), "read as a BUTTER config");
        return SweepFile.parse(spec.json(), source);
    }

    private static List<String> problems(String text) {
        return assertThrows(SpecException.class, () -> SpecText.of(text, "b.json")).problems();
    }

    private static void assertProblem(List<String> problems, String start, String contains) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(start) && p.contains(contains)),
                "a problem starting '" + start + "' saying '" + contains + "' in " + problems);
    }

    @Test
    void a_config_with_every_key_maps_to_the_expected_churn_spec() {
        SweepFile file = read(EVERY_KEY_JSON, "every.json");
        SweepSpec spec = file.spec();
        assertEquals("every_key", spec.name());
        assertEquals(7, spec.seed());
        assertEquals(3, spec.repetitions());
        assertEquals(0.25, spec.testSplit());
        assertEquals(1, spec.grids().size());
        Grid g = spec.grids().get(0);
        assertEquals(List.of("nursery", "529_pollen"), g.dataset());
        assertEquals(List.of("rectangle", "rectangle_residual", "trapezoid", "wide_first_4x", "wide_first_4x_residual"),
                g.shape(), "full residual mode adds skips to rectangle and wide_first shapes, not trapezoids");
        assertEquals(List.of(3, 4), g.depth());
        assertEquals(List.of(1024L, 2048L), g.size());
        assertEquals(List.of(0.001, 0.01), g.learningRate(), "learning_rates replace the optimizer's rate");
        assertEquals(List.of(64), g.batchSize());
        assertEquals(List.of(0.0, 0.05), g.labelNoise());
        assertEquals(List.of(new KernelRegularizer(0, 0.002)), g.kernelRegularizer(), "Keras' L2 rate doubled");
        assertEquals(List.of(new KernelRegularizer(0.002, 0)), g.biasRegularizer());
        assertEquals(List.of(Optimizer.SGD), g.optimizer());
        assertEquals(List.of(0.9), g.momentum());
        assertEquals(List.of(ActivationFunction.ELU), g.activation());
        assertEquals(List.of(7), g.epochs());
        assertEquals(List.of(5), g.earlyStoppingPatience());
        assertEquals(new CheckpointSettings(2, "/tmp/ckpt", false), file.settings().checkpoints());
    }

    @Test
    void the_python_literal_form_reads_as_the_json_form() {
        assertEquals(SpecText.of(EVERY_KEY_JSON, "every.py"), SpecText.of(EVERY_KEY_PYTHON, "every.py"));
        assertEquals(read(EVERY_KEY_JSON, "every.json"), read(EVERY_KEY_PYTHON, "every.json"));
    }

    @Test
    void butters_readme_example_runs_with_butters_defaults_for_what_it_leaves_out() {
        SweepFile file = read(README_EXAMPLE, "/configs/nursery-demo.py");
        SweepSpec spec = file.spec();
        assertEquals("nursery-demo", spec.name(), "named after the file");
        assertEquals(0, spec.seed());
        assertEquals(1, spec.repetitions());
        assertEquals(0.1, spec.testSplit());
        Grid g = spec.grids().get(0);
        assertEquals(List.of("nursery"), g.dataset());
        assertEquals(List.of("wide_first"), g.shape());
        assertEquals(List.of(4), g.depth());
        assertEquals(List.of(500L), g.size());
        assertEquals(List.of(10), g.epochs());
        assertEquals(List.of(256), g.batchSize());
        assertEquals(List.of(0.001), g.learningRate());
        assertEquals(List.of(Optimizer.ADAM), g.optimizer());
        assertEquals(List.of(ActivationFunction.RELU), g.activation());
        assertEquals(List.of(0.0), g.labelNoise());
        assertEquals(List.of(KernelRegularizer.NONE), g.kernelRegularizer());
        assertEquals(List.of(0), g.earlyStoppingPatience());
        assertEquals(CheckpointSettings.NONE, file.settings().checkpoints());
    }

    @Test
    void singular_keys_are_sweeps_of_one_and_the_optimizers_rate_applies_without_learning_rates() {
        Grid g = read("{'dataset': 'adult', 'budget': 4096, 'topology': 'wide_first', 'residual_mode': 'full',"
                + " 'depth': 3, 'label_noise': 0.1, 'reps': 1,"
                + " 'optimizer': {'class_name': 'RMSprop', 'config': {'learning_rate': 0.0001, 'rho': 0.95}}}",
                "one.py").spec().grids().get(0);
        assertEquals(List.of("adult"), g.dataset());
        assertEquals(List.of(4096L), g.size());
        assertEquals(List.of("wide_first_residual"), g.shape());
        assertEquals(List.of(3), g.depth());
        assertEquals(List.of(0.1), g.labelNoise());
        assertEquals(List.of(Optimizer.RMSPROP), g.optimizer());
        assertEquals(List.of(0.0001), g.learningRate());
    }

    @Test
    void an_epoch_scale_gives_each_budget_butters_epoch_count() {
        SweepSpec spec = read("{'datasets': ['banana'], 'budgets': [500, 2000], 'depths': [2], 'reps': 1,"
                + " 'epoch_scale': {'m': 0.5, 'b': 0}, 'run_config': {'epochs': 3}}", "scale.py").spec();
        assertEquals(List.of(List.of(500L), List.of(2000L)), spec.grids().stream().map(Grid::size).toList());
        // ceil(exp(0.5 * ln(budget))): ceil(22.36) and ceil(44.72)
        assertEquals(List.of(List.of(23), List.of(45)), spec.grids().stream().map(Grid::epochs).toList());
    }

    @Test
    void a_key_that_cannot_be_mapped_is_refused_naming_it_and_why() {
        List<String> p = problems("""
                {'datasets': ['nursery'], 'mode': 'list', 'tensorboard': './log/tb', 'widths': [4, 4],
                 'activity_regularizer': {'class_name': 'L1', 'config': {'l1': 0.01}},
                 'optimizer': {'class_name': 'adagrad'}, 'run_config': {'shuffle': False, 'steps_per_epoch': 3},
                 'early_stopping': {'monitor': 'val_accuracy'}, 'activation': 'leaky_relu',
                 'kernel_regularizer': {'class_name': 'L1', 'config': {'l1': -1}}}
                """);
        assertProblem(p, "mode: \"list\" cannot be mapped", "--dry-run");
        assertProblem(p, "tensorboard: ", "Churn writes no TensorBoard logs");
        assertProblem(p, "widths: ", "not a key of BUTTER's aspect_test config");
        assertProblem(p, "activity_regularizer: ", "Churn has no activity regularization");
        assertProblem(p, "optimizer.class_name: \"adagrad\" cannot be mapped", "adam, sgd, rmsprop");
        assertProblem(p, "run_config.shuffle: false cannot be mapped", "shuffles the training rows every epoch");
        assertProblem(p, "run_config.steps_per_epoch: ", "not a key of BUTTER's run_config");
        assertProblem(p, "early_stopping.monitor: \"val_accuracy\" cannot be mapped", "test loss");
        assertProblem(p, "early_stopping.patience: missing", ">= 1");
        assertProblem(p, "activation: 'leaky_relu' cannot be mapped", "0.01");
        assertProblem(p, "kernel_regularizer: ", "rate >= 0");
        assertEquals(11, p.size(), p.toString());

        assertProblem(problems("{'datasets': ['nursery'], 'optimizer': {'class_name': 'sgd',"
                + " 'config': {'momentum': 0.9, 'epsilon': 1e-7}}}"), "optimizer.config.nesterov: False", "Nesterov");
        assertProblem(problems("{'datasets': ['nursery'], 'optimizer': {'class_name': 'adam',"
                + " 'config': {'epsilon': 1e-7}}}"), "optimizer.config.epsilon: 1.0E-7 cannot be mapped", "1.0E-8");
        assertProblem(problems("{'datasets': ['nursery'], 'dataset': 'adult'}"), "datasets and dataset: both given", "");
        assertProblem(problems("{'datasets': ['no_such_set']}"), "datasets[0]: 'no_such_set' is not a known dataset", "");
        assertProblem(problems("{'datasets': ['nursery'], 'test_split': 0.1, 'run_config': {'validation_split': 0.2}}"),
                "test_split and run_config.validation_split", "give one");
    }

    @Test
    void only_butter_configs_are_translated() throws Exception {
        String churn = Files.readString(Path.of("..", "conf", "sweeps", "quickstart.json"));
        assertEquals(new SpecText(churn, false), SpecText.of(churn, "quickstart.json"));
        String broken = "{ \"name\": \"x\", \"grid\": { \"dataset\": [\"banana\"], } }";
        assertFalse(SpecText.of(broken, "broken.json").translated(), "a Churn spec with a JSON error stays one");
        assertEquals("nursery-demo", ButterConfig.nameOf("/configs/nursery-demo.py"));
        assertEquals("my_config", ButterConfig.nameOf("C:\\x\\my config.json"));
        assertEquals("butter", ButterConfig.nameOf("/x/%%%.py"));
    }
}
