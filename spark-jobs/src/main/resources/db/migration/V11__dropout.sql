-- The fraction of every hidden layer's outputs a run (or a PBT member) drops in training; those
-- recorded before this migration had none.
alter table run add column dropout double precision not null default 0;
alter table pbt_member add column dropout double precision not null default 0;
