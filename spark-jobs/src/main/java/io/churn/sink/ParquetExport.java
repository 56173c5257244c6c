package io.churn.sink;

import io.churn.hadoop.HadoopFiles;
import io.churn.pbt.PbtSpec;
import io.churn.spec.Names;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.postgresql.PGStatement;

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

    /** Rows read from PostgreSQL at a time. */
    private static final int FETCH_ROWS = 500;

    private ParquetExport() {
    }

    /** The export query; a sweep name follows the name rule, so quoting it inline is safe. */
    static String query(String sweep) {
        return "select w.sweep, " + String.join(", ", ResultColumns.ALL.stream().map(c -> "r." + c).toList())
                + " from sweep_run w join run r using (run_id) where w.sweep = " + quoted(sweep);
    }

    /** A sweep or PBT job name as an SQL literal: the name rule leaves nothing to escape. */
    private static String quoted(String name) {
        return "'" + Names.checked("name", name) + "'";
    }

    /**
     * Replaces the sweep's partition of the runs dataset under {@code resultsUri} and records that
     * folder as the sweep's, so the sweep is exported there again when another sweep retrains a run
     * they share; returns its row count.
     */
    public static long export(DatabaseSettings db, String sweep, String resultsUri) {
        long rows = exportQuery(db, query(sweep), ResultDataset.RUNS.uri(resultsUri),
                ResultDataset.RUNS.partitionColumn());
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "update sweep set exported_to = ?, exported_at = now() where sweep = ?")) {
            s.setString(1, resultsUri);
            s.setString(2, sweep);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("recording where sweep " + sweep + " was exported in " + db + ": "
                    + db.redact(e.getMessage()), e);
        }
        return rows;
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
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            c.setAutoCommit(false); // PostgreSQL fetches with a cursor only inside a transaction
            s.setFetchSize(FETCH_ROWS);
            // rows in PostgreSQL's binary form: parsing the text form of the histories costs more than the write
            s.unwrap(PGStatement.class).setPrepareThreshold(-1);
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Column> columns = new ArrayList<>();
                int partitionIndex = -1;
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (meta.getColumnLabel(i).equals(partitionColumn)) {
                        partitionIndex = i;
                    } else {
                        columns.add(Column.of(meta, i));
                    }
                }
                if (partitionIndex < 0) {
                    throw new IllegalArgumentException("the export query has no column " + partitionColumn);
                }
                MessageType schema = schema(columns);
                SimpleGroupFactory groups = new SimpleGroupFactory(schema);
                Path dataset = HadoopFiles.path(uri.replaceAll("/+$", ""));
                while (rs.next()) {
                    String partition = partitionColumn + "=" + rs.getString(partitionIndex);
                    StagedPartition staged = partitions.get(partition);
                    if (staged == null) {
                        staged = StagedPartition.open(dataset, partition, schema);
                        partitions.put(partition, staged);
                    }
                    Group g = groups.newGroup();
                    for (Column column : columns) {
                        Object value = column.read(rs);
                        if (value != null) column.write(g, value);
                    }
                    staged.writer().write(g);
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
                                   ParquetWriter<Group> writer) {

        static StagedPartition open(Path dataset, String partition, MessageType schema) throws IOException {
            FileSystem fs = HadoopFiles.fileSystem(dataset);
            PartitionVersions versions = new PartitionVersions(fs, dataset, partition);
            Path version = versions.newVersion();
            Path file = new Path(version, "part-00000-" + UUID.randomUUID() + ".snappy.parquet");
            ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, fs.getConf()))
                    .withType(schema)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build();
            return new StagedPartition(fs, versions, version, writer);
        }

        void replaceTarget() throws IOException {
            writer.close();
            versions.swapIn(version);
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

    private static MessageType schema(List<Column> columns) {
        List<Type> fields = new ArrayList<>();
        for (Column c : columns) {
            // the standard three-level list: optional group NAME (LIST) { repeated group list { optional element } }
            fields.add(c.array ? org.apache.parquet.schema.Types.optionalGroup().as(LogicalTypeAnnotation.listType())
                    .addField(new GroupType(Type.Repetition.REPEATED, "list", c.primitive("element"))).named(c.name)
                    : c.primitive(c.name));
        }
        return new MessageType("spark_schema", fields);
    }

    /** The Parquet types Spark's JDBC source gave these PostgreSQL types, so readers see the same schema. */
    private enum Kind { STRING, INT, LONG, DOUBLE, BOOLEAN, TIMESTAMP }

    private record Column(String name, Kind kind, boolean array) {

        static Column of(ResultSetMetaData meta, int i) throws SQLException {
            String name = meta.getColumnLabel(i);
            int type = meta.getColumnType(i);
            if (type == Types.ARRAY) {
                String element = meta.getColumnTypeName(i).replaceFirst("^_", "");
                return new Column(name, switch (element) {
                    case "int2", "int4" -> Kind.INT;
                    case "int8" -> Kind.LONG;
                    case "float4", "float8", "numeric" -> Kind.DOUBLE;
                    case "bool" -> Kind.BOOLEAN;
                    default -> Kind.STRING;
                }, true);
            }
            return new Column(name, switch (type) {
                case Types.SMALLINT, Types.INTEGER -> Kind.INT;
                case Types.BIGINT -> Kind.LONG;
                case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> Kind.DOUBLE;
                case Types.BIT, Types.BOOLEAN -> Kind.BOOLEAN;
                case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMP;
                default -> Kind.STRING;
            }, false);
        }

        Type primitive(String field) {
            return switch (kind) {
                case STRING -> org.apache.parquet.schema.Types.optional(PrimitiveTypeName.BINARY)
                        .as(LogicalTypeAnnotation.stringType()).named(field);
                case INT -> org.apache.parquet.schema.Types.optional(PrimitiveTypeName.INT32).named(field);
                case LONG -> org.apache.parquet.schema.Types.optional(PrimitiveTypeName.INT64).named(field);
                case DOUBLE -> org.apache.parquet.schema.Types.optional(PrimitiveTypeName.DOUBLE).named(field);
                case BOOLEAN -> org.apache.parquet.schema.Types.optional(PrimitiveTypeName.BOOLEAN).named(field);
                case TIMESTAMP -> org.apache.parquet.schema.Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(field);
            };
        }

        Object read(ResultSet rs) throws SQLException {
            if (array) {
                Array a = rs.getArray(name);
                return a == null ? null : (Object[]) a.getArray();
            }
            Object v = switch (kind) {
                case STRING -> rs.getString(name);
                case INT -> rs.getInt(name);
                case LONG -> rs.getLong(name);
                case DOUBLE -> rs.getDouble(name);
                case BOOLEAN -> rs.getBoolean(name);
                case TIMESTAMP -> rs.getTimestamp(name);
            };
            return rs.wasNull() ? null : v;
        }

        void write(Group g, Object value) {
            if (array) {
                Group list = g.addGroup(name);
                for (Object element : (Object[]) value) {
                    Group item = list.addGroup("list");
                    if (element != null) add(item, "element", element);
                }
            } else {
                add(g, name, value);
            }
        }

        private void add(Group g, String field, Object value) {
            switch (kind) {
                case STRING -> g.add(field, value.toString());
                case INT -> g.add(field, ((Number) value).intValue());
                case LONG -> g.add(field, ((Number) value).longValue());
                case DOUBLE -> g.add(field, ((Number) value).doubleValue());
                case BOOLEAN -> g.add(field, (Boolean) value);
                case TIMESTAMP -> {
                    Timestamp t = (Timestamp) value;
                    g.add(field, Math.floorDiv(t.getTime(), 1000) * 1_000_000 + t.getNanos() / 1000);
                }
            }
        }
    }
}
