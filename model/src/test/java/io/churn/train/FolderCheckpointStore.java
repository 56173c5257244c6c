package io.churn.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Checkpoints in a local folder, written to a temporary file and moved into place, as the Hadoop store does. */
final class FolderCheckpointStore implements CheckpointStore {

    private final String folder;

    FolderCheckpointStore(Path folder) {
        this.folder = folder.toString();
    }

    Path file(String runId) {
        return Path.of(folder, runId + ".ckpt");
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        Path temporary = Files.createTempFile(Path.of(folder), "." + checkpoint.runId(), ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            checkpoint.write(out);
        }
        Files.move(temporary, file(checkpoint.runId()), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public Checkpoint load(String runId) throws IOException {
        if (!Files.exists(file(runId))) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file(runId))) {
            return Checkpoint.read(in);
        }
    }

    @Override
    public void remove(String runId) throws IOException {
        Files.deleteIfExists(file(runId));
    }
}
