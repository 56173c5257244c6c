package io.churn.sink;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import io.churn.train.EpochMetrics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's per-epoch histories packed into one value, column {@code run.histories}: every metric's
 * float32 values, each XORed with the epoch before and split into byte planes, then
 * zstd-compressed. A 3,000-epoch run's 21 histories are 252 KB as float4 arrays and about 150 KB
 * packed (noisy low bits do not compress); more to the point, the server stores one value instead
 * of parsing 63,000 array elements, which is what bounded result ingest.
 *
 * <p>Layout (version {@value #FORMAT}), big-endian: byte version; int length of the unpacked body;
 * a zstd frame of the body. The body: int metric count; per metric its name (UTF-8, a short length
 * first) and an int length of its history, -1 when the metric does not apply; then each applicable
 * history as four planes of its values' bits XORed with the value before (the most significant
 * byte of every epoch first). A missing value is the float NaN {@code 0x7fc00001}.
 */
public final class PackedHistories {

    /** The layout's version, the first byte of every packed value. */
    static final byte FORMAT = 1;

    /** The bits a missing value is stored as: a quiet NaN with a payload, which float arithmetic does not produce. */
    static final int MISSING = 0x7fc00001;

    /**
     * One of zstd's fast levels: on a training's histories it keeps all but 1% of what level 1 saves,
     * in half the time (150 against 270 µs for 3,000 epochs of 21 metrics).
     */
    private static final int LEVEL = -1;

    /** The largest unpacked body read: 21 metrics of 10 million epochs; anything larger is damage. */
    private static final int MAX_BODY = 21 * 4 * 10_000_000;

    private PackedHistories() {
    }

    /**
     * A run's epoch histories packed, every metric of {@link ResultColumns#EPOCH_METRICS}; a metric the
     * task does not have (accuracy in regression) is none, so Parquet says "not applicable" with a null.
     */
    public static byte[] pack(List<EpochMetrics> history) {
        List<ResultColumns.Metric> metrics = ResultColumns.EPOCH_METRICS;
        float[][] values = new float[metrics.size()][];
        for (int m = 0; m < values.length; m++) {
            boolean applies = history.isEmpty() || metrics.get(m).value().apply(history.get(0)) != null;
            if (applies) values[m] = new float[history.size()];
        }
        // epoch by epoch: one pass over the epochs' objects
        for (int e = 0; e < history.size(); e++) {
            EpochMetrics epoch = history.get(e);
            for (int m = 0; m < values.length; m++) {
                if (values[m] != null) values[m][e] = of(metrics.get(m).value().apply(epoch));
            }
        }
        Map<String, float[]> byName = new LinkedHashMap<>();
        for (int m = 0; m < values.length; m++) byName.put(metrics.get(m).column(), values[m]);
        return pack(byName);
    }

    /**
     * Packs histories by metric name, in order: each a float array, null for a metric that does not
     * apply; a missing value is one with the bits {@link #MISSING} ({@link #of}).
     */
    public static byte[] pack(Map<String, float[]> histories) {
        int values = 0;
        int header = 4;
        for (Map.Entry<String, float[]> h : histories.entrySet()) {
            header += 2 + h.getKey().getBytes(StandardCharsets.UTF_8).length + 4;
            if (h.getValue() != null) values += h.getValue().length;
        }
        ByteBuffer body = ByteBuffer.allocate(header + 4 * values);
        body.putInt(histories.size());
        for (Map.Entry<String, float[]> h : histories.entrySet()) {
            byte[] name = h.getKey().getBytes(StandardCharsets.UTF_8);
            body.putShort((short) name.length).put(name).putInt(h.getValue() == null ? -1 : h.getValue().length);
        }
        byte[] out = body.array();
        int at = header;
        for (float[] history : histories.values()) {
            if (history == null) continue;
            int n = history.length;
            int previous = 0;
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToRawIntBits(history[i]);
                int x = bits ^ previous;
                previous = bits;
                out[at + i] = (byte) (x >>> 24);
                out[at + n + i] = (byte) (x >>> 16);
                out[at + 2 * n + i] = (byte) (x >>> 8);
                out[at + 3 * n + i] = (byte) x;
            }
            at += 4 * n;
        }
        byte[] frame = Zstd.compress(out, LEVEL);
        return ByteBuffer.allocate(5 + frame.length).put(FORMAT).putInt(out.length).put(frame).array();
    }

    /** A value as a history holds it: the nearest float, {@link #MISSING} for none. */
    public static float of(Double value) {
        return value == null ? Float.intBitsToFloat(MISSING) : value.floatValue();
    }

    /**
     * The histories of a packed value by metric name, in the order packed: each a float array, null
     * for a metric that does not apply; a missing value has the bits {@link #MISSING}.
     */
    public static Map<String, float[]> unpack(byte[] packed) {
        ByteBuffer in = ByteBuffer.wrap(packed);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("packed histories of version " + format + ", not " + FORMAT
                    + ": written by a newer Churn");
        }
        int length = in.getInt();
        if (length < 4 || length > MAX_BODY) throw damaged("a body of " + length + " bytes");
        byte[] body = new byte[length];
        try {
            long n = Zstd.decompressByteArray(body, 0, length, packed, 5, packed.length - 5);
            if (n != length) throw damaged(n + " bytes, not " + length);
        } catch (ZstdException e) {
            throw damaged(e.getMessage());
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.BIG_ENDIAN);
            int metrics = b.getInt();
            String[] names = new String[metrics];
            int[] lengths = new int[metrics];
            for (int m = 0; m < metrics; m++) {
                byte[] name = new byte[b.getShort()];
                b.get(name);
                names[m] = new String(name, StandardCharsets.UTF_8);
                lengths[m] = b.getInt();
            }
            int at = b.position();
            Map<String, float[]> histories = new LinkedHashMap<>();
            for (int m = 0; m < metrics; m++) {
                int epochs = lengths[m];
                if (epochs < 0) {
                    histories.put(names[m], null);
                    continue;
                }
                float[] values = new float[epochs];
                int previous = 0;
                for (int i = 0; i < epochs; i++) {
                    int x = (body[at + i] & 0xff) << 24 | (body[at + epochs + i] & 0xff) << 16
                            | (body[at + 2 * epochs + i] & 0xff) << 8 | body[at + 3 * epochs + i] & 0xff;
                    previous ^= x;
                    values[i] = Float.intBitsToFloat(previous);
                }
                histories.put(names[m], values);
                at += 4 * epochs;
            }
            return histories;
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw damaged("its layout ends early");
        }
    }

    private static IllegalArgumentException damaged(String why) {
        return new IllegalArgumentException("packed histories are damaged: " + why);
    }

    /** Whether a value unpacked is a missing one. */
    public static boolean missing(float value) {
        return Float.floatToRawIntBits(value) == MISSING;
    }
}
