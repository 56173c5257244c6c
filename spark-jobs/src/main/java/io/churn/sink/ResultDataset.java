package io.churn.sink;

import io.churn.spec.Names;

/**
 * The Parquet datasets under a results folder (any Hadoop URI), each in a folder of its own and
 * partitioned by sweep or PBT job, so any one of them reads as a whole with every partition; and
 * {@code pbt_candle}, each PBT job's CANDLE {@code output.csv} in its job's folder. Their folder
 * names are written here only.
 */
public enum ResultDataset {
    RUNS("runs", "sweep"), SUMMARY("summary", "sweep"), PBT_EPOCH("pbt_epoch", "pbt"), PBT_LINEAGE("pbt_lineage", "pbt"),
    PBT_CANDLE_OUTPUT("pbt_candle", "pbt");

    private final String folder;
    private final String partitionColumn;

    ResultDataset(String folder, String partitionColumn) {
        this.folder = folder;
        this.partitionColumn = partitionColumn;
    }

    /** The column whose values name the partitions: {@code sweep} or {@code pbt}. */
    public String partitionColumn() {
        return partitionColumn;
    }

    /** The dataset under {@code resultsUri}. */
    public String uri(String resultsUri) {
        return resultsUri.replaceAll("/+$", "") + "/" + folder;
    }

    /** The partition of sweep or job {@code name}; a name that breaks the name rule cannot be one. */
    public String partitionUri(String resultsUri, String name) {
        return uri(resultsUri) + "/" + partitionColumn + "=" + Names.checked(partitionColumn, name);
    }
}
