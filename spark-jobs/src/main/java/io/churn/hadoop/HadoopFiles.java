package io.churn.hadoop;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Files on any Hadoop file system, named by path or URI. */
public final class HadoopFiles {

    /** What a save writes, to a stream the save closes. */
    @FunctionalInterface
    public interface Content {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private HadoopFiles() {
    }

    /** The path at a location given as a Hadoop URI or a local path (spaces allowed). */
    public static Path path(String location) {
        return new Path(URI.create(location.replace(" ", "%20")));
    }

    public static FileSystem fileSystem(Path path) throws IOException {
        return path.getFileSystem(new Configuration());
    }

    /**
     * Writes a temporary file beside {@code target} and renames it into place, so a reader never sees
     * a half-written file and a retried task simply replaces its own output. A crash leaves at most a
     * hidden {@code .NAME.*.tmp} file, which no reader opens.
     */
    public static void writeAtomically(Path target, Content content) throws IOException {
        FileSystem fs = fileSystem(target);
        Path temporary = temporaryBeside(target);
        try (DataOutputStream out = fs.create(temporary, true)) {
            content.writeTo(out);
        } catch (IOException | RuntimeException e) {
            fs.delete(temporary, false);
            throw e;
        }
        moveIntoPlace(fs, temporary, target);
    }

    /** A hidden, unique name beside {@code target} to write it under before {@link #moveIntoPlace}. */
    public static Path temporaryBeside(Path target) {
        return new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    }

    /** Renames {@code temporary} to {@code target}, replacing what is there (a retry's output replaces the first attempt's). */
    public static void moveIntoPlace(FileSystem fs, Path temporary, Path target) throws IOException {
        // rename does not replace on every file system
        fs.delete(target, false);
        if (!fs.rename(temporary, target)) {
            fs.delete(temporary, false);
            throw new IOException("cannot move " + temporary + " to " + target);
        }
    }
}
