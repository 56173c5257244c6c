package io.churn.hadoop;

import io.churn.train.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * PBT members' training state on any Hadoop file system ({@code hdfs://} on a cluster, a local
 * folder on a laptop), in the checkpoint format: the engine that wrote it, the generation's epochs,
 * and the network's weights and optimizer state as that engine wrote them, with a CRC that refuses
 * a torn or corrupt file. A save is written to a temporary file and renamed into place, so a
 * reader never sees a half-written file and a retried task simply replaces its own output.
 */
public final class WeightStore implements Serializable {

    private final String root;

    public WeightStore(String root) {
        this.root = root.replaceAll("/+$", "");
    }

    /** The location of a PBT member's weights after a generation. */
    public String path(String job, int generation, int member) {
        return root + "/" + job + "/gen-" + generation + "/member-" + member;
    }

    public void save(String location, Checkpoint state) throws IOException {
        HadoopFiles.writeAtomically(HadoopFiles.path(location), state::write);
    }

    /**
     * Saves one task attempt's state beside {@code location}, where no reader looks, until the
     * attempt's result is recorded ({@link #publish}) or refused ({@link #discard}).
     */
    public void stage(String location, String attempt, Checkpoint state) throws IOException {
        save(staged(location, attempt), state);
    }

    /** Moves the state {@code attempt} staged to {@code location}; false when there is none. */
    public boolean publish(String location, String attempt) throws IOException {
        Path from = HadoopFiles.path(staged(location, attempt));
        Path to = HadoopFiles.path(location);
        FileSystem fs = HadoopFiles.fileSystem(to);
        if (!fs.exists(from)) return false;
        fs.delete(to, false); // rename does not replace on every file system
        if (!fs.rename(from, to)) {
            throw new IOException("cannot move " + from + " to " + to);
        }
        return true;
    }

    /** Removes the state {@code attempt} staged for {@code location}, if any. */
    public void discard(String location, String attempt) throws IOException {
        Path p = HadoopFiles.path(staged(location, attempt));
        HadoopFiles.fileSystem(p).delete(p, false);
    }

    private static String staged(String location, String attempt) {
        return location + ".attempt-" + attempt;
    }

    /** The state saved at {@code location}; throws {@link Checkpoint.CorruptCheckpointException} for a bad file. */
    public Checkpoint load(String location) throws IOException {
        Path source = HadoopFiles.path(location);
        try (InputStream in = HadoopFiles.fileSystem(source).open(source)) {
            return Checkpoint.read(in);
        }
    }

    public boolean exists(String location) throws IOException {
        Path p = HadoopFiles.path(location);
        return HadoopFiles.fileSystem(p).exists(p);
    }

    /** SHA-256 of a saved network state, so records can show which saved weights a member started from. */
    public static String digest(Checkpoint state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.network()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
