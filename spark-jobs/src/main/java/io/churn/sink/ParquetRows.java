package io.churn.sink;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.postgresql.PGStatement;

/**
 * Rows of an export query as Parquet records: every column but the partition column, in the
 * Parquet types Spark's JDBC source gives their PostgreSQL types, so every export of a dataset has
 * one schema and readers see the same one.
 */
final class ParquetRows {

    /** Rows read from PostgreSQL at a time. */
    private static final int FETCH_ROWS = 500;

    /**
     * {@code sql} prepared to stream its rows from a cursor ({@code c} must not autocommit: PostgreSQL
     * fetches with a cursor only inside a transaction), in PostgreSQL's binary form: the text form of
     * packed histories is hex, twice their bytes, and that of arrays costs more to parse than the write.
     */
    static PreparedStatement streaming(Connection c, String sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        s.setFetchSize(FETCH_ROWS);
        s.unwrap(PGStatement.class).setPrepareThreshold(-1);
        return s;
    }

    private final List<Column> columns;
    private final int partitionIndex;
    private final MessageType schema;

    private ParquetRows(List<Column> columns, int partitionIndex) {
        this.columns = columns;
        this.partitionIndex = partitionIndex;
        this.schema = schema(columns);
    }

    /** The records of a query's rows; {@code partitionColumn} names the partition, not a field. */
    static ParquetRows of(ResultSetMetaData meta, String partitionColumn) throws SQLException {
        List<Column> columns = new ArrayList<>();
        int partitionIndex = -1;
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equals(partitionColumn)) {
                partitionIndex = i;
            } else if (meta.getColumnLabel(i).equals(ResultColumns.HISTORIES) && meta.getColumnType(i) == Types.BINARY) {
                for (String metric : ResultColumns.METRIC_COLUMNS) columns.add(new Column(metric, Kind.DOUBLE, true, true));
            } else {
                columns.add(Column.of(meta, i));
            }
        }
        if (partitionIndex < 0) {
            throw new IllegalArgumentException("the export query has no column " + partitionColumn);
        }
        return new ParquetRows(columns, partitionIndex);
    }

    /** The current row's partition folder, {@code COLUMN=VALUE}. */
    String partition(ResultSet rs, String partitionColumn) throws SQLException {
        return partitionColumn + "=" + rs.getString(partitionIndex);
    }

    /** The current row as a record: each column's value, null for none; packed histories unpacked, one column per metric. */
    Object[] record(ResultSet rs) throws SQLException {
        Object[] values = new Object[columns.size()];
        Map<String, float[]> histories = null;
        boolean unpacked = false;
        for (int i = 0; i < values.length; i++) {
            Column c = columns.get(i);
            if (!c.packed()) {
                values[i] = c.read(rs);
                continue;
            }
            if (!unpacked) {
                byte[] packed = rs.getBytes(ResultColumns.HISTORIES);
                histories = packed == null ? null : PackedHistories.unpack(packed);
                unpacked = true;
            }
            values[i] = histories == null ? null : histories.get(c.name());
        }
        return values;
    }

    /** A new snappy-compressed Parquet file of these records. */
    ParquetWriter<Object[]> writer(FileSystem fs, Path file) throws IOException {
        return new Builder(HadoopOutputFile.fromPath(file, fs.getConf()), new RowWriteSupport(schema, columns))
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final WriteSupport<Object[]> support;

        Builder(OutputFile file, WriteSupport<Object[]> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return support;
        }
    }

    /**
     * Writes a record's values straight to Parquet's record consumer: a 3,000-epoch history is
     * 3,000 values, not 3,000 objects of Parquet's example records.
     */
    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final MessageType schema;
        private final List<Column> columns;
        private RecordConsumer out;

        RowWriteSupport(MessageType schema, List<Column> columns) {
            this.schema = schema;
            this.columns = columns;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            out = recordConsumer;
        }

        @Override
        public void write(Object[] record) {
            out.startMessage();
            for (int i = 0; i < record.length; i++) {
                if (record[i] == null) continue;
                Column c = columns.get(i);
                out.startField(c.name(), i);
                if (record[i] instanceof float[] history) {
                    writeHistory(history);
                } else if (c.array()) {
                    out.startGroup();
                    Object[] elements = (Object[]) record[i];
                    if (elements.length > 0) {
                        out.startField("list", 0);
                        for (Object element : elements) {
                            out.startGroup();
                            if (element != null) {
                                out.startField("element", 0);
                                c.add(out, element);
                                out.endField("element", 0);
                            }
                            out.endGroup();
                        }
                        out.endField("list", 0);
                    }
                    out.endGroup();
                } else {
                    c.add(out, record[i]);
                }
                out.endField(c.name(), i);
            }
            out.endMessage();
        }

        /** An unpacked history as a list of doubles, a missing value as a null element. */
        private void writeHistory(float[] history) {
            out.startGroup();
            if (history.length > 0) {
                out.startField("list", 0);
                for (float v : history) {
                    out.startGroup();
                    if (!PackedHistories.missing(v)) {
                        out.startField("element", 0);
                        out.addDouble(v);
                        out.endField("element", 0);
                    }
                    out.endGroup();
                }
                out.endField("list", 0);
            }
            out.endGroup();
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

    /** A field of the records; {@code packed}: one of the histories unpacked from {@link ResultColumns#HISTORIES}. */
    private record Column(String name, Kind kind, boolean array, boolean packed) {

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
                }, true, false);
            }
            return new Column(name, switch (type) {
                case Types.SMALLINT, Types.INTEGER -> Kind.INT;
                case Types.BIGINT -> Kind.LONG;
                case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> Kind.DOUBLE;
                case Types.BIT, Types.BOOLEAN -> Kind.BOOLEAN;
                case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMP;
                default -> Kind.STRING;
            }, false, false);
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

        void add(RecordConsumer out, Object value) {
            switch (kind) {
                case STRING -> out.addBinary(Binary.fromString(value.toString()));
                case INT -> out.addInteger(((Number) value).intValue());
                case LONG -> out.addLong(((Number) value).longValue());
                case DOUBLE -> out.addDouble(((Number) value).doubleValue());
                case BOOLEAN -> out.addBoolean((Boolean) value);
                case TIMESTAMP -> {
                    Timestamp t = (Timestamp) value;
                    out.addLong(Math.floorDiv(t.getTime(), 1000) * 1_000_000 + t.getNanos() / 1000);
                }
            }
        }
    }
}
