package io.churn.hadoop;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Network weights and optimizer state on any Hadoop file system ({@code hdfs://} on a cluster,
 * a local folder on a laptop). A save is written to a temporary file and renamed into place, so
 * a reader never sees a half-written file and a retried task simply replaces its own output.
 */
public final class WeightStore implements Serializable {

    private static final int MAGIC = 0x43574731; // "CWG1"
    private final String root;

    public WeightStore(String root) {
        this.root = root.replaceAll("/+$", "");
    }

    /** What a network needs to continue training where it stopped. */
    public record Weights(INDArray params, INDArray updaterState, int iterations, int epochs) {
    }

    /** The location of a PBT member's weights after a generation. */
    public String path(String job, int generation, int member) {
        return root + "/" + job + "/gen-" + generation + "/member-" + member;
    }

    public void save(String location, Weights w) throws IOException {
        HadoopFiles.writeAtomically(HadoopFiles.path(location), out -> {
            out.writeInt(MAGIC);
            out.writeInt(w.iterations());
            out.writeInt(w.epochs());
            Nd4j.write(w.params(), out);
            out.writeBoolean(w.updaterState() != null);
            if (w.updaterState() != null) {
                Nd4j.write(w.updaterState(), out);
            }
        });
    }

    public Weights load(String location) throws IOException {
        Path source = HadoopFiles.path(location);
        try (DataInputStream in = HadoopFiles.fileSystem(source).open(source)) {
            if (in.readInt() != MAGIC) {
                throw new IOException(location + " is not a Churn weights file");
            }
            int iterations = in.readInt();
            int epochs = in.readInt();
            INDArray params = Nd4j.read(in);
            INDArray updater = in.readBoolean() ? Nd4j.read(in) : null;
            return new Weights(params, updater, iterations, epochs);
        }
    }

    public boolean exists(String location) throws IOException {
        Path p = HadoopFiles.path(location);
        return HadoopFiles.fileSystem(p).exists(p);
    }
}
