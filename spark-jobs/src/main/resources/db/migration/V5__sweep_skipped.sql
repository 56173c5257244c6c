-- A sweep's (dataset, shape, depth, size) cells with no conformant layout, skipped at planning, and
-- the runs they held: such runs are never registered, so only these counts say they were asked for.
alter table sweep add column skipped_cells integer not null default 0;
alter table sweep add column skipped_runs bigint not null default 0;
