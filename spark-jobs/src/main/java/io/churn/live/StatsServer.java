package io.churn.live;

import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;

/**
 * DL4J's training UI (a Vert.x server, one per JVM) in multi-session mode: every run is a session
 * listed at {@code /train}. It shows the stats files of a live view directory and receives stats
 * that executors stream to it. It reads copies of the files, so runs writing to them are never
 * blocked; a file still being written when the server starts is left out.
 *
 * <p>DL4J's server listens on every interface and has no authentication, so it is moved to the
 * address asked for (loopback by default): it starts on a free port, then its routes are served
 * from a server bound to that address and port and the first one is closed, before any stats are
 * attached.
 */
public final class StatsServer implements AutoCloseable {

    /** The address the UI listens on unless told otherwise: only this machine's users reach it. */
    public static final String LOOPBACK = "127.0.0.1";

    private final VertxUIServer ui;
    private final String bind;
    private final List<FileStatsStorage> files;
    private final Path copies;
    private final int busy;

    private StatsServer(VertxUIServer ui, String bind, List<FileStatsStorage> files, Path copies, int busy) {
        this.ui = ui;
        this.bind = bind;
        this.files = files;
        this.copies = copies;
        this.busy = busy;
    }

    /**
     * Starts the UI on {@code bind}:{@code port} ({@code 0.0.0.0}: every interface; port 0: any
     * free port) with the stats files of {@code directory} (may be null).
     */
    public static StatsServer start(String bind, int port, Path directory) throws IOException {
        if (directory != null && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no live view directory " + directory);
        }
        VertxUIServer ui = VertxUIServer.getInstance(0, true, null);
        try {
            rebind(ui, bind, port);
        } catch (IOException | RuntimeException e) {
            stopQuietly();
            throw e;
        }
        List<FileStatsStorage> files = new ArrayList<>();
        Path copies = Files.createTempDirectory("churn-ui");
        int busy = 0;
        if (directory != null) {
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
        files.forEach(ui::attach);
        ui.enableRemoteListener();
        return new StatsServer(ui, bind, files, copies, busy);
    }

    /**
     * Serves the UI's routes on {@code bind}:{@code port} instead of every interface.
     *
     * @throws IllegalArgumentException where nothing can listen there
     */
    private static void rebind(VertxUIServer ui, String bind, int port) throws IOException {
        try {
            Field field = VertxUIServer.class.getDeclaredField("server");
            field.setAccessible(true);
            HttpServer everywhere = (HttpServer) field.get(ui);
            CompletableFuture<HttpServer> bound = new CompletableFuture<>();
            ui.getVertx().createHttpServer().requestHandler(everywhere.requestHandler()).listen(port, bind, r -> {
                if (r.succeeded()) bound.complete(r.result());
                else bound.completeExceptionally(r.cause());
            });
            HttpServer server = bound.get(30, TimeUnit.SECONDS);
            field.set(ui, server);
            everywhere.close();
        } catch (ExecutionException e) {
            // a taken port or an address not this machine's: the user's choice, named as they gave it
            throw new IllegalArgumentException("--bind " + bind + " --port " + port
                    + ": the training UI cannot listen there (" + e.getCause().getMessage() + ")", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the training UI did not start listening on " + bind + ":" + port + " in 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the training UI started", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this DL4J's UI server cannot be moved off every interface", e);
        }
    }

    private static void stopQuietly() {
        try {
            VertxUIServer.stopInstance();
        } catch (Exception e) {
            // already failing to start: the first error is the one to report
        }
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

    /**
     * The address executors and browsers use: the address it is bound to, or this host's name where
     * it listens on every interface.
     */
    public String address() {
        String host = bind;
        if (host.equals("0.0.0.0") || host.equals("::")) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    /** Whether only this machine reaches the UI. */
    public boolean loopback() {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
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
