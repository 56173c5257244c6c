-- A run's dataset is its name (BUTTER's: 537_houses for .../537_houses.tsv.gz) and the digest of its
-- content (dataset_sha256); where it was read from is dataset_source. Runs recorded before this
-- migration were named by what their spec said: that becomes their source and its name their dataset.
alter table run add column dataset_source text;
update run set
    dataset_source = dataset,
    dataset = case
        when dataset like 'mnist:%' then 'mnist'
        when dataset like 'fashion_mnist:%' then 'fashion_mnist'
        else regexp_replace(regexp_replace(dataset, '^.*/', ''), '\.(tsv|csv)(\.gz)?$', '')
    end;
alter table run alter column dataset_source set not null;
