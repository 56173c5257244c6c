-- The ledger as a work queue shared by any number of applications: a task trains a run only under
-- a claim (its token), whose lease its heartbeat renews; only the holder of the current claim may
-- write the run's state. A lapsed lease returns the run to the queue. claimed_by names the
-- application's hold on the sweep (sweep_application.holder) that claimed the run last.
alter table run
    add column claim_token text,
    add column lease_until timestamptz,
    add column claimed_by text;
create index run_by_claim on run (claim_token);
create index run_by_holder on run (claimed_by);

-- The applications that worked each sweep: where they ran, when they last beat, when they left.
-- Each time an application works a sweep it holds it under a holder of its own: Spark's
-- application ids are not unique across clusters (a standalone master numbers its applications
-- from the second they were submitted, so two clusters started together name theirs alike).
create table sweep_application (
    holder         text primary key,
    sweep          text not null references sweep (sweep),
    application_id text not null,
    master         text not null,
    host           text not null,
    started_at     timestamptz not null default now(),
    heartbeat_at   timestamptz not null default now(),
    ended_at       timestamptz
);
create index sweep_application_by_sweep on sweep_application (sweep);
