/**
 * Benchmarks: each measures one thing (the engines' time per step against PyTorch, a sweep's
 * overhead, the ledger, PBT against random search, data-parallel training) and returns a result
 * record; {@code churn bench} only prints them. Specs are built as values ({@code BenchSpecs}),
 * databases are temporary and removed afterwards, and no figure is ever asserted in a test.
 */
package io.churn.bench;
