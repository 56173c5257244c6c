/**
 * BUTTER's own configs read as they are: {@link io.churn.butter.PythonLiteral} reads the Python
 * literal text BUTTER's docs use, {@link io.churn.butter.ButterConfig} translates an
 * {@code aspect_test} config to the Churn sweep spec that trains the same runs.
 */
package io.churn.butter;
