/**
 * What a sweep runs, as users write it: sweep specs and their grids, their validation, their
 * expansion into runs (held as experiments, the runs made on demand: {@link io.churn.spec.SweepRuns}),
 * and the rule for sweep and PBT job names. How a sweep runs (engine,
 * checkpoints, ...) is in {@code io.churn.settings}; the live view's target is here because PBT
 * specs carry it too.
 */
package io.churn.spec;
