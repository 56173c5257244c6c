package io.churn.hadoop;

import io.churn.train.Checkpoint;
import io.churn.train.CheckpointStore;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Runs' checkpoints in a folder on any Hadoop file system, as {@code FOLDER/RUN_ID.ckpt} (run ids are
 * content hashes, so one folder serves every sweep). Saves are written beside the file and renamed
 * into place; a file that is not a whole checkpoint is refused when loaded.
 */
public final class HadoopCheckpointStore implements CheckpointStore {

    private final String directory;

    public HadoopCheckpointStore(String directory) {
        this.directory = directory.replaceAll("/+$", "");
    }

    public String directory() {
        return directory;
    }

    /** Where the run's checkpoint is kept. */
    public String location(String runId) {
        return directory + "/" + runId + ".ckpt";
    }

    /** Creates the folder, so one that cannot be reached or written is an error before any run trains. */
    public void createDirectory() throws IOException {
        Path folder = HadoopFiles.path(directory);
        FileSystem fs = HadoopFiles.fileSystem(folder);
        if (!fs.mkdirs(folder)) {
            throw new IOException("cannot create the checkpoint folder " + directory);
        }
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        HadoopFiles.writeAtomically(HadoopFiles.path(location(checkpoint.runId())), checkpoint::write);
    }

    @Override
    public Checkpoint load(String runId) throws IOException {
        Path file = HadoopFiles.path(location(runId));
        FileSystem fs = HadoopFiles.fileSystem(file);
        if (!fs.exists(file)) {
            return null;
        }
        try (InputStream in = fs.open(file)) {
            return Checkpoint.read(in);
        }
    }

    @Override
    public void remove(String runId) throws IOException {
        Path file = HadoopFiles.path(location(runId));
        HadoopFiles.fileSystem(file).delete(file, false);
    }
}
