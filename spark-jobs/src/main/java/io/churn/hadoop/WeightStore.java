package io.churn.hadoop;

import io.churn.train.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
