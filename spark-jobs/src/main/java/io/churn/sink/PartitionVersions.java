package io.churn.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The versions of one partition of a results dataset ({@code DATASET/COLUMN=VALUE}), so an export
 * replaces a partition without a reader ever seeing it missing or mixed. Each export writes a new
 * version under {@code .DATASET.versions/COLUMN=VALUE/v<millis>-<id>} beside the dataset (outside it,
 * so no reader's listing or glob of the dataset meets a version), then swaps it in:
 *
 * <ul>
 *   <li>on a local file system the partition is a symbolic link to its current version, replaced
 *       by an atomic rename of a new link over it: readers see the old version or the new one;</li>
 *   <li>elsewhere (HDFS, object stores) there are no links: the partition folder is renamed into the
 *       versions and the new version renamed into its place, renames with no copy or delete in
 *       between (the files a new version keeps are moved into it between the two), so a crash
 *       between them leaves no partition, and the next export, a full one, mends it.</li>
 * </ul>
 *
 * A reader lists one version whole, so it never sees a missing, half-written or mixed partition;
 * one that listed a version a swap then replaces fails on a missing file (never with wrong rows), and
 * asked again reads the new version. A replaced version is kept for {@link #GRACE}, for readers
 * still reading files they opened (HDFS loses a deleted file's blocks), then removed by a later
 * export, as are versions of exports that crashed; a version younger than that may be another
 * export's in progress.
 */
final class PartitionVersions {

    /** How long a replaced version stays for readers still reading it. */
    static final Duration GRACE = Duration.ofMinutes(10);

    private final FileSystem fs;
    private final Path partition;
    private final Path versions;

    PartitionVersions(FileSystem fs, Path dataset, String partition) {
        this.fs = fs;
        this.partition = new Path(dataset, partition);
        this.versions = new Path(new Path(dataset.getParent(), "." + dataset.getName() + ".versions"), partition);
    }

    /** A new, empty version's folder: the export writes there, then {@link #swapIn}. */
    Path newVersion() {
        return new Path(versions, name(Instant.now()));
    }

    private static String name(Instant time) {
        return String.format("v%013d-%s", time.toEpochMilli(), UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * Makes {@code version} the partition readers see, with the files named {@code carried} of the
     * current partition in it too, then removes versions past their grace. A carried file is linked
     * into the new version on a local file system (the old version keeps it for its grace) and moved
     * there elsewhere (no links), after the old version is moved aside.
     */
    void swapIn(Path version, List<String> carried) throws IOException {
        if (isLocal()) {
            for (String file : carried) link(file, version);
            swapLink(version);
        } else {
            swapFolders(version, carried);
        }
        removeOld();
    }

    /** Whether the partition readers see now holds every one of these files. */
    boolean holds(List<String> files) throws IOException {
        for (String file : files) {
            if (!fs.exists(new Path(partition, file))) return false;
        }
        return true;
    }

    /** Hard-links a file of the current partition (and Hadoop's checksum beside it) into {@code version}. */
    private void link(String file, Path version) throws IOException {
        Files.createDirectories(local(version));
        for (String name : List.of(file, "." + file + ".crc")) {
            java.nio.file.Path existing = local(new Path(partition, name));
            if (!Files.exists(existing)) continue;
            java.nio.file.Path link = local(new Path(version, name));
            try {
                Files.createLink(link, existing.toRealPath());
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                Files.copy(existing, link); // a file system without hard links, or versions on another one
            }
        }
    }

    private boolean isLocal() {
        return fs instanceof LocalFileSystem || "file".equals(fs.getUri().getScheme());
    }

    private static java.nio.file.Path local(Path path) {
        return java.nio.file.Path.of(path.toUri());
    }

    private void swapLink(Path version) throws IOException {
        java.nio.file.Path target = local(partition);
        java.nio.file.Path link = target.resolveSibling("." + target.getFileName() + ".link-" + UUID.randomUUID());
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(link, target.getParent().relativize(local(version)));
        try {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                // a partition from before versions: it becomes the oldest version (the one time a reader may miss it)
                Files.createDirectories(local(versions));
                Files.move(target, local(new Path(versions, name(Instant.now()))), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(link, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(link);
        }
    }

    private void swapFolders(Path version, List<String> carried) throws IOException {
        // HDFS renames nothing into a folder that does not exist: the dataset's, on its first export
        if (!fs.mkdirs(partition.getParent())) {
            throw new IOException("cannot create " + partition.getParent());
        }
        if (fs.exists(partition)) {
            Path aside = new Path(versions, name(Instant.now()));
            if (!fs.rename(partition, aside)) {
                throw new IOException("cannot move the previous " + partition + " aside");
            }
            for (String file : carried) {
                if (!fs.rename(new Path(aside, file), new Path(version, file))) {
                    throw new IOException("cannot move " + file + " from " + aside + " to " + version);
                }
            }
        }
        if (!fs.rename(version, partition)) {
            throw new IOException("cannot move " + version + " to " + partition);
        }
    }

    /** The version the partition shows now, when it is a link to one. */
    private String current() {
        if (!isLocal()) return null;
        try {
            java.nio.file.Path target = local(partition);
            return Files.isSymbolicLink(target) ? Files.readSymbolicLink(target).getFileName().toString() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Removes every version but the current one whose grace is over: a replaced version once the one
     * after it is {@link #GRACE} old, a crashed export's once it is itself; and links left by a crash.
     */
    private void removeOld() throws IOException {
        if (!fs.exists(versions)) return;
        String current = current();
        List<String> names = new ArrayList<>(Arrays.stream(fs.listStatus(versions)).map(FileStatus::getPath)
                .map(Path::getName).filter(n -> n.startsWith("v")).sorted().toList());
        long cutoff = Instant.now().minus(GRACE).toEpochMilli();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String next = i + 1 < names.size() ? names.get(i + 1) : name;
            if (!name.equals(current) && millis(next) < cutoff) {
                fs.delete(new Path(versions, name), true);
            }
        }
        // staging folders of exports from before versions; links of a crashed swap
        for (FileStatus leftover : fs.listStatus(partition.getParent(),
                p -> p.getName().startsWith("." + partition.getName() + "-"))) {
            fs.delete(leftover.getPath(), true);
        }
        for (FileStatus link : fs.listStatus(partition.getParent(),
                p -> p.getName().startsWith("." + partition.getName() + ".link-"))) {
            if (link.getModificationTime() < cutoff) fs.delete(link.getPath(), false);
        }
    }

    private static long millis(String version) {
        try {
            return Long.parseLong(version.substring(1, version.indexOf('-')));
        } catch (RuntimeException e) {
            return Long.MAX_VALUE; // not ours: never removed
        }
    }
}
