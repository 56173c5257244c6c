package io.churn.sink;

import io.churn.hadoop.HadoopFiles;
import io.churn.spec.Names;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * A sweep's partition of the runs dataset, {@code RESULTS/runs/sweep=NAME/}, brought up to date
 * with the ledger. A complete run never changes again, so the partition is files of complete runs,
 * each written once and kept by every later export, and one file of the rest (queued, running,
 * failed, diverged: runs that may still change), written again each time. An export reads the
 * ledger in one snapshot and records it; the next one writes a new file of only the runs that became
 * complete or joined the sweep in transactions that snapshot did not see, and a new file of the
 * rest, and keeps the files before. Each run is in exactly one file, so the dataset reads as one
 * row per run in Spark, DuckDB or pandas, and a resubmit of 100 failed runs writes those 100 rows,
 * not the sweep.
 *
 * <p>An export is a full one when asked, on the first export to a results folder, after an edited
 * spec took runs out of the sweep or a complete run was made anything else by hand, or when the
 * partition lacks a file the last export recorded; a
 * full export writes the complete runs in parallel, over ranges of run ids, each range from its own
 * connection in the same snapshot: on this JVM's threads, or on a cluster's executors
 * ({@link Parts}). Either way the new files make a new version of the partition,
 * swapped in whole ({@link PartitionVersions}); an export is under the sweep's {@link ExportLock}.
 */
public final class SweepExport {

    /** Complete runs a full export writes per file, at most: more make more files, written at once. */
    static final int ROWS_PER_FILE = 10_000;
    /** Complete runs from which an export writes them in parallel: fewer take less than a second or two. */
    static final int PARALLEL_FROM = 1_000;
    /** Threads, and connections, an export on this JVM uses at most: beyond that the server's disk is the limit. */
    static final int MAX_THREADS = 8;

    /** Where an export's ranges of complete runs are written, all at once. */
    public interface Parts {
        /** Ranges written at once, at most: an export makes at least as many. */
        int parallelism();

        /** Writes every part; what each wrote, in their order. */
        List<Written> write(List<Part> parts) throws IOException, SQLException;
    }

    /** Parts written on this JVM's threads, up to {@link #MAX_THREADS} at once. */
    public static final Parts THREADS = new Parts() {
        @Override
        public int parallelism() {
            return Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
        }

        @Override
        public List<Written> write(List<Part> parts) throws IOException, SQLException {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(parts.size(), parallelism()), r -> {
                Thread t = new Thread(r, "churn-export");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Written>> writing = new ArrayList<>();
                for (Part part : parts) writing.add(pool.submit(part::write));
                List<Written> written = new ArrayList<>();
                for (Future<Written> part : writing) written.add(part.get());
                return written;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while exporting", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SQLException sql) throw sql;
                if (e.getCause() instanceof IOException io) throw io;
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
    };

    /**
     * One range of an export: the rows of {@code sql}, read on a connection of its own in the
     * exported {@code snapshot}, to the Parquet {@code file}. Written under a name of its own, then
     * moved into place, so that two attempts at it (a retried or speculative Spark task) never mix;
     * both write the same rows.
     */
    public record Part(DatabaseSettings db, String snapshot, String sql, String file) implements Serializable {
        public Written write() throws SQLException, IOException {
            Path target = new Path(file);
            FileSystem fs = HadoopFiles.fileSystem(target);
            Path attempt = HadoopFiles.temporaryBeside(target);
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement s = c.createStatement()) {
                    s.execute("set transaction snapshot '" + snapshot + "'");
                }
                Written written = SweepExport.write(c, sql, fs, attempt);
                if (written.rows() > 0) HadoopFiles.moveIntoPlace(fs, attempt, target);
                return new Written(file, written.rows());
            } catch (SQLException | IOException | RuntimeException e) {
                fs.delete(attempt, false);
                throw e;
            }
        }
    }

    /**
     * What an export did: the rows the partition holds now, the rows it wrote (the rest were in files
     * it kept), and whether it was a full one.
     */
    public record Exported(long rows, long written, boolean full) {
    }

    private SweepExport() {
    }

    /**
     * Brings the sweep's partition under {@code resultsUri} up to date, incrementally unless
     * {@code full}, and records the export, so the sweep is exported there again when another sweep
     * retrains a run they share.
     */
    public static Exported export(DatabaseSettings db, String sweep, String resultsUri, boolean full) {
        return export(db, sweep, resultsUri, full, THREADS);
    }

    /** {@link #export(DatabaseSettings, String, String, boolean)}, its ranges of complete runs written by {@code parts}. */
    public static Exported export(DatabaseSettings db, String sweep, String resultsUri, boolean full, Parts parts) {
        Names.checked("sweep", sweep);
        Path dataset = HadoopFiles.path(ResultDataset.RUNS.uri(resultsUri));
        FileSystem fs;
        try {
            fs = HadoopFiles.fileSystem(dataset);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + dataset + ": " + e.getMessage(), e);
        }
        PartitionVersions versions = new PartitionVersions(fs, dataset, "sweep=" + sweep);
        Path version = versions.newVersion();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            Last last = last(c, sweep);
            if (last == null) return new Exported(0, 0, full); // no such sweep: nothing to export
            boolean incremental = !full && last.snapshot() != null && folder(resultsUri).equals(folder(last.exportedTo()))
                    && !last.filesStale() && versions.holds(last.files());
            List<String> kept = incremental ? last.files() : List.of();
            String prefix = version.getName();
            List<Written> written = new ArrayList<>();
            long rows;
            long writtenRows;
            try {
                String since = incremental ? "and (not pg_visible_in_snapshot(r.completed_by, '" + last.snapshot()
                        + "') or not pg_visible_in_snapshot(w.added_by, '" + last.snapshot() + "'))" : "";
                written.addAll(writeComplete(db, c, sweep, since, fs, version, prefix, parts));
                written.add(write(c, query(sweep, "r.status <> 'complete'"), fs,
                        new Path(version, "open-" + prefix + ".snappy.parquet")));
                rows = count(c, sweep);
                writtenRows = written.stream().mapToLong(Written::rows).sum();
                if (rows == 0 && kept.isEmpty() && !fs.exists(new Path(dataset, "sweep=" + sweep))) {
                    fs.delete(version, true);
                    return new Exported(0, 0, !incremental); // as before: a sweep with no runs has no partition
                }
                fs.mkdirs(version);
                versions.swapIn(version, kept);
            } catch (IOException | SQLException | RuntimeException e) {
                discard(fs, version);
                throw e;
            }
            c.commit();
            // a crash before this leaves the last export's record, which the partition still holds: the
            // next export writes what changed since it again, and keeps only the files it recorded
            List<String> files = new ArrayList<>(kept);
            written.stream().map(w -> new Path(w.file()).getName())
                    .filter(name -> name.startsWith("complete-")).forEach(files::add);
            record(c, sweep, resultsUri, last.current(), files);
            return new Exported(rows, writtenRows, !incremental);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("exporting sweep " + sweep + " from " + db + ": "
                    + db.redact(e.getMessage()), e);
        } catch (IOException e) {
            throw new IllegalStateException("writing Parquet to " + dataset + ": " + e.getMessage(), e);
        }
    }

    /** A results folder's URI without a trailing slash, which a folder's URI gains once it exists. */
    private static String folder(String uri) {
        return uri == null ? null : uri.replaceAll("/+$", "");
    }

    /** The sweep's last export, and the snapshot this export reads the ledger in; null for no such sweep. */
    private record Last(String current, String snapshot, String exportedTo, List<String> files, boolean filesStale) {
    }

    private static Last last(Connection c, String sweep) throws SQLException {
        // the transaction's first statement: the snapshot it returns is the one every later query reads in
        try (PreparedStatement s = c.prepareStatement("select pg_current_snapshot()::text, exported_snapshot::text,"
                + " exported_to, exported_files, coalesce(not pg_visible_in_snapshot(files_stale_by,"
                + " exported_snapshot), false) from sweep where sweep = ?")) {
            s.setString(1, sweep);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return null;
                Array files = r.getArray(4);
                return new Last(r.getString(1), r.getString(2), r.getString(3),
                        files == null ? List.of() : Arrays.asList((String[]) files.getArray()), r.getBoolean(5));
            }
        }
    }

    /** A file written (as a URI) and its rows; a file of no rows is not written. */
    public record Written(String file, long rows) implements Serializable {
    }

    /**
     * The sweep's complete runs that match {@code since} (every one when it is empty), in files of at
     * most {@link #ROWS_PER_FILE} rows over ranges of run ids; from {@link #PARALLEL_FROM} rows on,
     * in at least as many files as {@code parts} writes at once, each on its own connection in the
     * snapshot of {@code c}.
     */
    private static List<Written> writeComplete(DatabaseSettings db, Connection c, String sweep, String since,
                                               FileSystem fs, Path version, String prefix, Parts parts)
            throws SQLException, IOException {
        long complete;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select count(*) from sweep_run w"
                + " join run r using (run_id) where w.sweep = " + ParquetExport.quoted(sweep) + " and r.status = 'complete' " + since)) {
            r.next();
            complete = r.getLong(1);
        }
        if (complete == 0) return List.of();
        int ranges = (int) Math.max(complete >= PARALLEL_FROM ? parts.parallelism() : 1,
                Math.min(1024, (complete + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
        if (ranges == 1) {
            Written w = write(c, completeQuery(sweep, since), fs, new Path(version, "complete-" + prefix + ".snappy.parquet"));
            return w.rows() == 0 ? List.of() : List.of(w);
        }
        String snapshot;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select pg_export_snapshot()")) {
            r.next();
            snapshot = r.getString(1);
        }
        fs.mkdirs(version);
        List<Part> ranged = new ArrayList<>();
        for (int i = 0; i < ranges; i++) {
            String range = since + String.format(" and (hashtext(r.run_id) & 2147483647) %% %d = %d", ranges, i);
            ranged.add(new Part(db, snapshot, completeQuery(sweep, range), new Path(version,
                    String.format("complete-%s-%04d.snappy.parquet", prefix, i)).toString()));
        }
        return parts.write(ranged).stream().filter(w -> w.rows() > 0).toList();
    }

    private static String completeQuery(String sweep, String more) {
        return query(sweep, "r.status = 'complete' " + more);
    }

    /** The sweep's runs that match {@code where}, as the dataset's rows. */
    private static String query(String sweep, String where) {
        return "select w.sweep, " + String.join(", ", ResultColumns.ALL.stream().map(col -> "r." + col).toList())
                + " from sweep_run w join run r using (run_id) where w.sweep = " + ParquetExport.quoted(sweep) + " and " + where;
    }

    /** Writes the rows of {@code sql}, streamed from a cursor, to {@code file}; no rows, no file. */
    private static Written write(Connection c, String sql, FileSystem fs, Path file) throws SQLException, IOException {
        long count = 0;
        try (PreparedStatement s = ParquetRows.streaming(c, sql)) {
            try (ResultSet rs = s.executeQuery()) {
                ParquetRows rows = ParquetRows.of(rs.getMetaData(), ResultDataset.RUNS.partitionColumn());
                ParquetWriter<Object[]> writer = null;
                try {
                    while (rs.next()) {
                        if (writer == null) writer = rows.writer(fs, file);
                        writer.write(rows.record(rs));
                        count++;
                    }
                } finally {
                    if (writer != null) writer.close();
                }
            }
        }
        return new Written(file.toString(), count);
    }

    private static long count(Connection c, String sweep) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from sweep_run where sweep = " + ParquetExport.quoted(sweep))) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Records the export: where, the snapshot it read, and the files of complete runs the partition holds. */
    private static void record(Connection c, String sweep, String resultsUri, String snapshot, List<String> files)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update sweep set exported_to = ?, exported_at = now(),"
                + " exported_snapshot = ?::pg_snapshot, exported_files = ? where sweep = ?")) {
            s.setString(1, resultsUri);
            s.setString(2, snapshot);
            s.setArray(3, c.createArrayOf("text", files.toArray()));
            s.setString(4, sweep);
            s.executeUpdate();
        }
        c.commit();
    }

    /** Removes what a failed export wrote; the partition stays as it was. */
    private static void discard(FileSystem fs, Path version) {
        try {
            fs.delete(version, true);
        } catch (IOException | RuntimeException e) {
            // outside the dataset, so no reader meets it; a later export removes it
        }
    }
}
