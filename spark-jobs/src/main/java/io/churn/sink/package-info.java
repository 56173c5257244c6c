/**
 * Where results go: PostgreSQL, the system of record, and the Parquet export made from it.
 * <ul>
 *   <li>{@link io.churn.sink.SchemaMigration}: the whole schema (runs and PBT), Flyway's migrations.</li>
 *   <li>{@link io.churn.sink.RunStore}: the run tables over one connection, in rooms:
 *       {@link io.churn.sink.RunLedger} (sweeps, their runs and each run's state; the work queue, with
 *       {@link io.churn.sink.Claim}s under {@link io.churn.sink.ClaimRules}),
 *       {@link io.churn.sink.ResultWriter} (results with their provenance, written by a claim's holder only),
 *       {@link io.churn.sink.SweepQueries} (what {@code status} and progress lines read) and
 *       {@link io.churn.sink.Applications} (the applications working each sweep).</li>
 *   <li>{@link io.churn.sink.PbtStore}: PBT's jobs and how they stand, plans, epochs, scores, lineage and restarts.</li>
 *   <li>Shared by both stores: {@code RetryingConnection} (the one reconnect policy), {@code Upsert} and
 *       {@code SqlRow} (keyed writes of named columns), {@code ResultColumns} (column names, as in specs
 *       and Parquet).</li>
 *   <li>{@link io.churn.sink.ParquetExport}: sweeps and PBT jobs from PostgreSQL to Parquet;
 *       {@link io.churn.sink.CandleOutput}: a PBT job's CANDLE {@code output.csv};
 *       {@link io.churn.sink.ExportLock} keeps applications that finish at once from exporting one sweep
 *       together.</li>
 *   <li>{@link io.churn.sink.EmbeddedDatabase} and {@link io.churn.sink.DatabaseSettings}: which server.</li>
 * </ul>
 */
package io.churn.sink;
