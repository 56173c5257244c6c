-- The system of record. Column names match the sweep spec keys and the Parquet export.

create table sweep (
    sweep        text primary key,
    spec         jsonb not null,
    submitted_at timestamptz not null default now()
);

-- A run belongs to every sweep that names it; its result is stored once, under its run_id.
create table sweep_run (
    sweep  text not null references sweep (sweep),
    run_id text not null,
    primary key (sweep, run_id)
);
create index sweep_run_by_run on sweep_run (run_id);

create table run (
    run_id                    text primary key,
    status                    text not null check (status in ('complete', 'failed')),
    error                     text,
    dataset                   text not null,
    shape                     text not null,
    depth                     integer not null,
    size                      bigint not null,
    learning_rate             double precision not null,
    batch_size                integer not null,
    label_noise               double precision not null,
    kernel_regularizer        text not null,
    optimizer                 text not null,
    epochs                    integer not null,
    test_split                double precision not null,
    repetition                integer not null,
    seed                      bigint not null,
    task                      text,
    n_in                      integer,
    n_out                     integer,
    widths                    integer[],
    num_free_parameters       bigint,
    -- per-epoch histories, one entry per epoch; accuracy is null for regression
    train_loss                double precision[],
    test_loss                 double precision[],
    train_accuracy            double precision[],
    test_accuracy             double precision[],
    train_mean_squared_error  double precision[],
    test_mean_squared_error   double precision[],
    epoch_seconds             double precision[],
    host                      text,
    attempts                  integer not null default 1,
    started_at                timestamptz,
    finished_at               timestamptz,
    wall_seconds              double precision
);
create index run_by_finished on run (finished_at);
