-- Provenance completed: the operating system and architecture (the fused engine's exp and tanh may
-- differ by platform), the Spark version and the digest of the dataset's bytes as read. PBT's
-- member results (pbt_score, one row per member per generation) get the same columns as runs.

alter table run
    add column os_name        text,
    add column os_arch        text,
    add column spark_version  text,
    add column dataset_sha256 text;

alter table pbt_score
    add column host           text,
    add column java_version   text,
    add column os_name        text,
    add column os_arch        text,
    add column dl4j_version   text,
    add column spark_version  text,
    add column churn_revision text,
    add column dataset_sha256 text;
