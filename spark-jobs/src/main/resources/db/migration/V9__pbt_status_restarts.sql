-- PBT jobs as status shows them, restarts of diverged generations, and one attempt per score.

-- A job's length and ranking rule (as its spec says), and how it stands: running, complete or
-- failed (with its error). Jobs recorded before this migration take theirs from their spec.
alter table pbt
    add column generations integer,
    add column metric      text,
    add column mode        text,
    add column status      text not null default 'running',
    add column error       text;
update pbt set
    generations = (spec->>'generations')::integer,
    metric = coalesce(spec->>'metric', 'test_loss'),
    mode = coalesce(spec->>'mode', case when spec->>'metric' like '%accuracy' then 'max' else 'min' end);
update pbt set status = 'complete' where completed_generations >= generations;

-- Which training of its generation a plan is: 0 the first, 1.. each restart after every member diverged.
alter table pbt_member add column restart integer not null default 0;

-- The restart a score belongs to and the task attempt that trained it: the first attempt to record a
-- member's score for a generation keeps it; a late or duplicate attempt's result is not recorded.
alter table pbt_score
    add column restart integer not null default 0,
    add column attempt text;

-- Each restart of a generation whose every member diverged: what each member scored (and its error),
-- the hyperparameters it had and is restarted with (re-explored), and the weights it restarts from.
create table pbt_restart (
    pbt                    text not null references pbt (pbt),
    generation             integer not null,
    restart                integer not null,
    member                 integer not null,
    score                  double precision,
    error                  text,
    hyperparameters_before jsonb not null,
    hyperparameters_after  jsonb not null,
    changes                jsonb not null,
    weights_from           text,
    primary key (pbt, generation, restart, member)
);
