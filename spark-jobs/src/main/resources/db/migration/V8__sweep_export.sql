-- Where each sweep's runs were last exported to Parquet (the results folder, any Hadoop URI), so a
-- run shared with another sweep and trained again there is exported again in this sweep's Parquet too.
alter table sweep add column exported_to text;
alter table sweep add column exported_at timestamptz;
