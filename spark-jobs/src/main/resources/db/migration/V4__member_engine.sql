-- The engine that trained each member in each generation (fused, dl4j); null when training failed
-- before a network was built.
alter table pbt_score add column engine text;
