-- BUTTER's metrics beside loss, accuracy, MSE and MAE, under BUTTER's names (Keras' definitions),
-- for runs (one entry per epoch) and PBT members (one row per epoch); and 'diverged', the status of
-- a run whose loss went non-finite, whose histories end with that epoch.

alter table run
    add column train_root_mean_squared_error        double precision[],
    add column test_root_mean_squared_error         double precision[],
    add column train_mean_squared_logarithmic_error double precision[],
    add column test_mean_squared_logarithmic_error  double precision[],
    add column train_hinge                          double precision[],
    add column test_hinge                           double precision[],
    add column train_squared_hinge                  double precision[],
    add column test_squared_hinge                   double precision[],
    add column train_cosine_similarity              double precision[],
    add column test_cosine_similarity               double precision[],
    add column train_kullback_leibler_divergence    double precision[],
    add column test_kullback_leibler_divergence     double precision[];

alter table pbt_epoch
    add column train_root_mean_squared_error        double precision,
    add column test_root_mean_squared_error         double precision,
    add column train_mean_squared_logarithmic_error double precision,
    add column test_mean_squared_logarithmic_error  double precision,
    add column train_hinge                          double precision,
    add column test_hinge                           double precision,
    add column train_squared_hinge                  double precision,
    add column test_squared_hinge                   double precision,
    add column train_cosine_similarity              double precision,
    add column test_cosine_similarity               double precision,
    add column train_kullback_leibler_divergence    double precision,
    add column test_kullback_leibler_divergence     double precision;

alter table run drop constraint run_status_check;
alter table run add constraint run_status_check
    check (status in ('queued', 'running', 'complete', 'diverged', 'failed'));
