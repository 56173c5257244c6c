package io.churn.hadoop;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
        Path target = path(location);
        FileSystem fs = target.getFileSystem(new Configuration());
        Path temporary = new Path(target.getParent(), "." + target.getName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try (DataOutputStream out = fs.create(temporary, true)) {
            out.writeInt(MAGIC);
            out.writeInt(w.iterations());
            out.writeInt(w.epochs());
            Nd4j.write(w.params(), out);
            out.writeBoolean(w.updaterState() != null);
            if (w.updaterState() != null) {
                Nd4j.write(w.updaterState(), out);
            }
        }
        // rename does not replace on every file system: a retry's output replaces the first attempt's
        fs.delete(target, false);
        if (!fs.rename(temporary, target)) {
            fs.delete(temporary, false);
            throw new IOException("cannot move " + temporary + " to " + target);
        }
    }

    public Weights load(String location) throws IOException {
        Path source = path(location);
        FileSystem fs = source.getFileSystem(new Configuration());
        try (DataInputStream in = fs.open(source)) {
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
        Path p = path(location);
        return p.getFileSystem(new Configuration()).exists(p);
    }

    private static Path path(String location) {
        return new Path(URI.create(location.replace(" ", "%20")));
    }
}
