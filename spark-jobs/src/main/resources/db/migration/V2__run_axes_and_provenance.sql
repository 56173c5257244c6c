-- Axes added to the spec, mean absolute error, and where and with what each result was made.
alter table run
    add column bias_regularizer         text not null default 'none',
    add column momentum                 double precision not null default 0,
    add column activation               text not null default 'relu',
    add column early_stopping_patience  integer not null default 0,
    add column train_mean_absolute_error double precision[],
    add column test_mean_absolute_error  double precision[],
    add column executor                 text,
    add column spark_application_id     text,
    add column java_version             text,
    add column dl4j_version             text,
    add column churn_revision           text;
