-- Incremental export of a sweep's runs to Parquet. A complete run never changes again, so once
-- exported it stays in its file; each export adds a file of the runs that became complete or joined
-- the sweep since the last one, which it finds by transaction: those whose transaction was not yet
-- visible in the snapshot the last export read the ledger in.

-- The transaction that made the run complete (null for runs completed before this migration).
alter table run add column completed_by xid8;

-- The last transaction that changed what the sweep's export files hold: runs taken out of the sweep
-- (an edited spec), or a complete run made anything else by hand. The export after it is a full one.
alter table sweep add column files_stale_by xid8;

create function run_completed_by() returns trigger language plpgsql as $$
begin
    if new.status = 'complete' and old.status is distinct from 'complete' then
        new.completed_by := pg_current_xact_id();
    elsif old.status = 'complete' and new.status is distinct from 'complete' then
        new.completed_by := null;
        update sweep set files_stale_by = pg_current_xact_id()
            where sweep in (select w.sweep from sweep_run w where w.run_id = new.run_id);
    end if;
    return new;
end
$$;
-- runs are recorded queued: only an update completes one
create trigger run_completed_by before update of status on run
    for each row execute function run_completed_by();

-- The transaction that added the run to the sweep.
alter table sweep_run add column added_by xid8 not null default pg_current_xact_id();

-- The snapshot the sweep's last export read the ledger in, and its files of complete runs, which
-- the next export to the same folder keeps.
alter table sweep add column exported_snapshot pg_snapshot;
alter table sweep add column exported_files text[];
