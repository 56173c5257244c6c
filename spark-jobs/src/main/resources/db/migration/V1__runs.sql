-- The system of record. Column names match the sweep spec keys and the Parquet export.

create table sweep (
    sweep        text primary key,
    spec         jsonb not null,
    submitted_at timestamptz not null default now()
);

-- A run belongs to every sweep that names it; its ledger row and result are stored once, under its run_id.
create table sweep_run (
    sweep  text not null references sweep (sweep),
    run_id text not null,
    primary key (sweep, run_id)
);
create index sweep_run_by_run on sweep_run (run_id);

create table run (
    run_id                    text primary key,
    -- the ledger: queued when the sweep is submitted, running while a task trains it, then complete or failed
    status                    text not null default 'queued'
                              check (status in ('queued', 'running', 'complete', 'failed')),
    error                     text,
    attempts                  integer not null default 0,
    -- the run's spec
    dataset                   text not null,
    shape                     text not null,
    depth                     integer not null,
    size                      bigint not null,
    learning_rate             double precision not null,
    batch_size                integer not null,
    label_noise               double precision not null,
    kernel_regularizer        text not null,
    bias_regularizer          text not null default 'none',
    optimizer                 text not null,
    momentum                  double precision not null default 0,
    activation                text not null default 'relu',
    epochs                    integer not null,
    early_stopping_patience   integer not null default 0,
    test_split                double precision not null,
    repetition                integer not null,
    seed                      bigint not null,
    -- the network
    task                      text,
    n_in                      integer,
    n_out                     integer,
    widths                    integer[],
    num_free_parameters       bigint,
    engine                    text,
    -- per-epoch histories, one entry per epoch; accuracy is null for regression
    train_loss                double precision[],
    test_loss                 double precision[],
    train_accuracy            double precision[],
    test_accuracy             double precision[],
    train_mean_squared_error  double precision[],
    test_mean_squared_error   double precision[],
    train_mean_absolute_error double precision[],
    test_mean_absolute_error  double precision[],
    epoch_seconds             double precision[],
    -- where and with what it ran
    host                      text,
    executor                  text,
    spark_application_id      text,
    java_version              text,
    dl4j_version              text,
    churn_revision            text,
    started_at                timestamptz,
    finished_at               timestamptz,
    wall_seconds              double precision
);
create index run_by_status on run (status);
create index run_by_finished on run (finished_at);
