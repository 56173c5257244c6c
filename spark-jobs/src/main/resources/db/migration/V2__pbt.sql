-- Population Based Training: a job, each generation's plan per member, per-epoch records and lineage.

create table pbt (
    pbt                   text primary key,
    spec                  jsonb not null,
    submitted_at          timestamptz not null default now(),
    completed_generations integer not null default 0
);

-- What each member trains in a generation: its hyperparameters and the weights it starts from.
create table pbt_member (
    pbt             text not null references pbt (pbt),
    generation      integer not null,
    member          integer not null,
    hyperparameters jsonb not null,
    learning_rate   double precision not null,
    batch_size      integer not null,
    momentum        double precision not null,
    label_noise     double precision not null,
    l1              double precision not null,
    l2              double precision not null,
    weights_from    text,
    weights_to      text not null,
    primary key (pbt, generation, member)
);

-- One row per member per epoch; epoch counts from the start of the job.
create table pbt_epoch (
    pbt                      text not null references pbt (pbt),
    generation               integer not null,
    member                   integer not null,
    epoch                    integer not null,
    train_loss               double precision,
    test_loss                double precision,
    train_accuracy           double precision,
    test_accuracy            double precision,
    train_mean_squared_error double precision,
    test_mean_squared_error  double precision,
    train_mean_absolute_error double precision,
    test_mean_absolute_error  double precision,
    epoch_seconds            double precision,
    host                     text,
    executor                 text,
    primary key (pbt, generation, member, epoch)
);

-- Each member's result for a generation: its score and a digest of the weights it started from.
create table pbt_score (
    pbt                    text not null references pbt (pbt),
    generation             integer not null,
    member                 integer not null,
    score                  double precision,
    error                  text,
    initial_weights_sha256 text,
    primary key (pbt, generation, member)
);

-- Every exploit: who copied whom after which generation, and how its hyperparameters moved.
create table pbt_lineage (
    pbt                    text not null references pbt (pbt),
    generation             integer not null,
    member                 integer not null,
    donor                  integer not null,
    score                  double precision,
    donor_score            double precision,
    hyperparameters_before jsonb not null,
    hyperparameters_after  jsonb not null,
    changes                jsonb not null,
    primary key (pbt, generation, member)
);
