/**
 * How a sweep runs, apart from what it runs: the engine, data-parallel runs, checkpoints and the
 * live view ({@link io.churn.settings.SweepSettings}), and the reading of a whole sweep file into
 * its spec and these settings ({@link io.churn.settings.SweepFile}), a BUTTER config first
 * translated to the Churn spec it stands for ({@link io.churn.settings.SpecText}).
 */
package io.churn.settings;
