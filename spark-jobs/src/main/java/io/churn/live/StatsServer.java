package io.churn.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;

/**
 * DL4J's training UI (a Vert.x server, one per JVM) in multi-session mode: every run is a session
 * listed at {@code /train}. It shows the stats files of a live view directory and receives stats
 * that executors stream to it. It reads copies of the files, so runs writing to them are never
 * blocked; a file still being written when the server starts is left out.
 */
public final class StatsServer implements AutoCloseable {

    private final VertxUIServer ui;
    private final List<FileStatsStorage> files;
    private final Path copies;
    private final int busy;

    private StatsServer(VertxUIServer ui, List<FileStatsStorage> files, Path copies, int busy) {
        this.ui = ui;
        this.files = files;
        this.copies = copies;
        this.busy = busy;
    }

    /** Starts the UI on {@code port} (0: any free port) with the stats files of {@code directory} (may be null). */
    public static StatsServer start(int port, Path directory) throws IOException {
        List<FileStatsStorage> files = new ArrayList<>();
        Path copies = Files.createTempDirectory("churn-ui");
        int busy = 0;
        if (directory != null) {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("no live view directory " + directory);
            }
            try (Stream<Path> list = Files.list(directory)) {
                for (Path file : list.filter(f -> f.getFileName().toString().endsWith(StatsWriter.SUFFIX)).sorted()
                        .toList()) {
                    if (beingWritten(file)) {
                        busy++;
                        continue;
                    }
                    Path copy = Files.copy(file, copies.resolve(file.getFileName()));
                    files.add(new FileStatsStorage(copy.toFile()));
                }
            }
        }
        VertxUIServer ui = VertxUIServer.getInstance(port, true, null);
        files.forEach(ui::attach);
        ui.enableRemoteListener();
        return new StatsServer(ui, files, copies, busy);
    }

    /** A stats file a run has open is locked by its writer. */
    private static boolean beingWritten(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException writtenInThisJvm) {
            return true;
        }
    }

    public int port() {
        return ui.getPort();
    }

    /** The address executors and browsers use: this host's name, not localhost. */
    public String address() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return "http://" + host + ":" + port();
    }

    /** Stats files shown. */
    public int fileCount() {
        return files.size();
    }

    /** Stats files left out because a run was writing them. */
    public int busyCount() {
        return busy;
    }

    @Override
    public void close() throws Exception {
        VertxUIServer.stopInstance();
        for (FileStatsStorage f : files) {
            f.close();
        }
        try (Stream<Path> walk = Files.walk(copies)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
