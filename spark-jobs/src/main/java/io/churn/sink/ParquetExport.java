package io.churn.sink;

import io.churn.hadoop.HadoopFiles;
import io.churn.pbt.PbtSpec;
import io.churn.spec.Names;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes a sweep's runs from PostgreSQL to Parquet, one row per run with its epoch histories as
 * arrays, under {@code RESULTS/runs/sweep=NAME/}. Exporting from the system of record (rather than from
 * executors) keeps the two identical after every job, however it ended.
 *
 * <p>The driver writes the files itself with parquet-hadoop, in the layout Spark reads as a
 * partitioned dataset ({@code COLUMN=VALUE} folders). Going through Spark SQL instead costs seconds
 * of planning and code generation at the end of every sweep, for a few hundred rows.
 */
public final class ParquetExport {

    private ParquetExport() {
    }

    /** A sweep or PBT job name as an SQL literal: the name rule leaves nothing to escape. */
    static String quoted(String name) {
        return "'" + Names.checked("name", name) + "'";
    }

    /**
     * Brings the sweep's partition of the runs dataset under {@code resultsUri} up to date with the
     * ledger, incrementally where it can ({@link SweepExport}); returns its row count.
     */
    public static long export(DatabaseSettings db, String sweep, String resultsUri) {
        return SweepExport.export(db, sweep, resultsUri, false).rows();
    }

    /**
     * Replaces the PBT job's partitions of {@code RESULTS/pbt_epoch} (every member's epochs, with the
     * hyperparameters it trained with, the provenance of its generation's result, and the job's
     * {@code metric}, its {@code mode} and the epoch's {@code score} by that metric, so a report ranks
     * as the job did) and {@code RESULTS/pbt_lineage} (who copied whom). {@code job} is {@code spec}'s
     * name or its replay's.
     */
    public static void exportPbt(DatabaseSettings db, String job, PbtSpec spec, String resultsUri) {
        // pbt_epoch has its own host (of each epoch); the score's provenance adds the rest
        String provenance = String.join(", ", ResultColumns.PROVENANCE.stream().filter(c -> !c.equals("host"))
                .map(c -> "s." + c).toList());
        String metric = spec.metric().specName(); // a metric's word is its column's name
        exportQuery(db, "select e.*, m.learning_rate, m.batch_size, m.momentum, m.label_noise, m.l1, m.l2,"
                + " m.dropout, m.hyperparameters::text as hyperparameters, s.engine, " + provenance + ", '" + metric
                + "' as metric, '" + spec.mode() + "' as mode, e." + metric + " as score from pbt_epoch e"
                + " join pbt_member m using (pbt, generation, member)"
                + " left join pbt_score s using (pbt, generation, member) where e.pbt = " + quoted(job),
                ResultDataset.PBT_EPOCH.uri(resultsUri), ResultDataset.PBT_EPOCH.partitionColumn());
        exportQuery(db, "select pbt, generation, member, donor, score, donor_score,"
                + " hyperparameters_before::text as hyperparameters_before,"
                + " hyperparameters_after::text as hyperparameters_after, changes::text as changes"
                + " from pbt_lineage where pbt = " + quoted(job), ResultDataset.PBT_LINEAGE.uri(resultsUri),
                ResultDataset.PBT_LINEAGE.partitionColumn());
    }

    /**
     * Writes the rows of {@code sql} to the Parquet dataset at {@code uri}, replacing only the
     * partitions (values of {@code partitionColumn}) the rows belong to; returns the row count. Rows
     * stream from a cursor to the files, so a sweep of any size exports in little memory.
     */
    public static long exportQuery(DatabaseSettings db, String sql, String uri, String partitionColumn) {
        Map<String, StagedPartition> partitions = new LinkedHashMap<>();
        long count = 0;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = ParquetRows.streaming(c, sql); ResultSet rs = s.executeQuery()) {
                ParquetRows rows = ParquetRows.of(rs.getMetaData(), partitionColumn);
                Path dataset = HadoopFiles.path(uri.replaceAll("/+$", ""));
                while (rs.next()) {
                    String partition = rows.partition(rs, partitionColumn);
                    StagedPartition staged = partitions.get(partition);
                    if (staged == null) {
                        staged = StagedPartition.open(dataset, partition, rows);
                        partitions.put(partition, staged);
                    }
                    staged.writer().write(rows.record(rs));
                    count++;
                }
            }
            for (StagedPartition staged : partitions.values()) {
                staged.replaceTarget();
            }
        } catch (SQLException e) {
            discard(partitions.values());
            throw new DatabaseUnavailableException("reading the rows to export from " + db + ": "
                    + db.redact(e.getMessage()), e);
        } catch (IOException e) {
            discard(partitions.values());
            throw new IllegalStateException("writing Parquet to " + uri + ": " + e.getMessage(), e);
        }
        return count;
    }

    /** A partition's new version, written, then swapped in whole ({@link PartitionVersions}). */
    private record StagedPartition(FileSystem fs, PartitionVersions versions, Path version,
                                   ParquetWriter<Object[]> writer) {

        static StagedPartition open(Path dataset, String partition, ParquetRows rows) throws IOException {
            FileSystem fs = HadoopFiles.fileSystem(dataset);
            PartitionVersions versions = new PartitionVersions(fs, dataset, partition);
            Path version = versions.newVersion();
            Path file = new Path(version, "part-00000-" + UUID.randomUUID() + ".snappy.parquet");
            return new StagedPartition(fs, versions, version, rows.writer(fs, file));
        }

        void replaceTarget() throws IOException {
            writer.close();
            versions.swapIn(version, List.of());
        }
    }

    /** Removes what a failed export wrote; the partitions it was to replace stay as they were. */
    private static void discard(Iterable<StagedPartition> partitions) {
        for (StagedPartition p : partitions) {
            try {
                p.writer().close();
                p.fs().delete(p.version(), true);
            } catch (IOException | RuntimeException e) {
                // outside the dataset, so no reader meets it; a later export removes it
            }
        }
    }
}
