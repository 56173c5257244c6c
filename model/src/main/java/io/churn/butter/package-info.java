/**
 * BUTTER's own configs read as they are: {@link io.churn.butter.PythonLiteral} reads the Python
 * literal text BUTTER's docs use, {@link io.churn.butter.ButterConfig} recognizes an
 * {@code aspect_test} config and translates it to the Churn sweep spec that trains the same runs.
 * The translation's parts: {@code ConfigTranslation} (the run-level keys, the spec put together),
 * {@code SweepAxes} (the swept lists), {@code OptimizerChoice} and {@code KerasObjects} (the
 * optimizer, regularizers, activations and early stopping, as Keras writes them) and
 * {@code ButterDefaults} (BUTTER's {@code default_config}).
 */
package io.churn.butter;
