package io.churn.train;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * A run's training state after some epochs: the epochs' metrics so far and the network's weights and
 * optimizer state as its engine wrote them ({@link TrainableNetwork#writeState}). With the run's seed
 * this is all a run needs to go on exactly as if it had never stopped: the data order of an epoch
 * depends on the seed and the epoch's number alone, and early stopping's counters follow from the
 * history.
 *
 * <p>The file is self-checking: a magic number and format version, the state, then its length and a
 * CRC-32C. A file that was cut short, has a flipped byte or is not a checkpoint at all is refused
 * with {@link CorruptCheckpointException}, never half-read.
 */
public record Checkpoint(String runId, String engine, List<EpochMetrics> history, byte[] network) {

    private static final int MAGIC = 0x43434B50; // "CCKP"
    private static final int VERSION = 2; // 2: every metric of BUTTER's in the history
    private static final int HEADER = 8;
    private static final int TRAILER = 12;

    public Checkpoint {
        history = List.copyOf(history);
    }

    /** The epochs this checkpoint has trained. */
    public int epochs() {
        return history.size();
    }

    /** A checkpoint that cannot be read: torn, corrupt, or of another format version. */
    public static final class CorruptCheckpointException extends IOException {
        public CorruptCheckpointException(String message) {
            super(message);
        }
    }

    /** Writes the checkpoint to {@code target} (left open). */
    public void write(OutputStream target) throws IOException {
        DataOutputStream frame = new DataOutputStream(target);
        frame.writeInt(MAGIC);
        frame.writeInt(VERSION);
        CRC32C crc = new CRC32C();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(target, crc));
        out.writeUTF(runId);
        out.writeUTF(engine);
        out.writeInt(history.size());
        for (EpochMetrics m : history) {
            writeEvaluation(out, m.train());
            writeEvaluation(out, m.test());
            out.writeDouble(m.seconds());
        }
        out.writeInt(network.length);
        out.write(network);
        frame.writeLong(out.size());
        frame.writeInt((int) crc.getValue());
        frame.flush();
    }

    /** Reads a whole checkpoint from {@code source}, checking it before anything in it is used. */
    public static Checkpoint read(InputStream source) throws IOException {
        byte[] bytes = source.readAllBytes();
        if (bytes.length < HEADER + TRAILER) {
            throw new CorruptCheckpointException("a checkpoint has at least " + (HEADER + TRAILER) + " bytes; this one "
                    + bytes.length);
        }
        ByteBuffer file = ByteBuffer.wrap(bytes);
        if (file.getInt(0) != MAGIC) {
            throw new CorruptCheckpointException("not a Churn checkpoint");
        }
        if (file.getInt(4) != VERSION) {
            throw new CorruptCheckpointException("checkpoint format version " + file.getInt(4) + "; this build reads "
                    + VERSION);
        }
        int length = bytes.length - HEADER - TRAILER;
        long declared = file.getLong(bytes.length - TRAILER);
        if (declared != length) {
            throw new CorruptCheckpointException("the checkpoint holds " + length + " bytes of state; it was written with "
                    + declared + " (cut short or extended)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, HEADER, length);
        if ((int) crc.getValue() != file.getInt(bytes.length - 4)) {
            throw new CorruptCheckpointException("the checkpoint's CRC does not match its content");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, HEADER, length));
        String runId = in.readUTF();
        String engine = in.readUTF();
        int epochs = in.readInt();
        List<EpochMetrics> history = new ArrayList<>(epochs);
        for (int e = 0; e < epochs; e++) {
            history.add(new EpochMetrics(readEvaluation(in), readEvaluation(in), in.readDouble()));
        }
        byte[] network = new byte[in.readInt()];
        in.readFully(network);
        if (in.available() != 0) {
            throw new CorruptCheckpointException("the checkpoint has " + in.available() + " bytes past its state");
        }
        return new Checkpoint(runId, engine, history, network);
    }

    private static void writeEvaluation(DataOutputStream out, Metrics.Evaluation e) throws IOException {
        out.writeDouble(e.loss());
        writeNullable(out, e.accuracy());
        for (double v : new double[] {e.meanSquaredError(), e.meanAbsoluteError(), e.rootMeanSquaredError(),
                e.meanSquaredLogarithmicError(), e.hinge(), e.squaredHinge(), e.cosineSimilarity(),
                e.kullbackLeiblerDivergence()}) {
            out.writeDouble(v);
        }
    }

    private static Metrics.Evaluation readEvaluation(DataInputStream in) throws IOException {
        // arguments are evaluated left to right, the order they were written in
        return new Metrics.Evaluation(in.readDouble(), readNullable(in), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
    }

    private static void writeNullable(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        out.writeDouble(value == null ? 0 : value);
    }

    private static Double readNullable(DataInputStream in) throws IOException {
        boolean present = in.readBoolean();
        double value = in.readDouble();
        return present ? value : null;
    }
}
