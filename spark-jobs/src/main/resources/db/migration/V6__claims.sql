-- The ledger as a work queue shared by any number of applications: a task trains a run only under
-- a claim (its token), whose lease its heartbeat renews; only the holder of the current claim may
-- write the run's state. A lapsed lease returns the run to the queue.
alter table run
    add column claim_token text,
    add column lease_until timestamptz;
create index run_by_claim on run (claim_token);

-- The applications that worked each sweep: where they ran, when they last beat, when they left.
create table sweep_application (
    sweep          text not null references sweep (sweep),
    application_id text not null,
    master         text not null,
    host           text not null,
    started_at     timestamptz not null default now(),
    heartbeat_at   timestamptz not null default now(),
    ended_at       timestamptz,
    primary key (sweep, application_id)
);
