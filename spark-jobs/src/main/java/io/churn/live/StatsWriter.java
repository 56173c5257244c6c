package io.churn.live;

import io.churn.network.Layout;
import io.churn.spec.LiveView;
import io.churn.spec.RunSpec;
import io.churn.train.Engine;
import io.churn.train.EpochListener;
import io.churn.train.EpochMetrics;
import io.churn.train.Provenance;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.SbeStatsInitializationReport;
import org.deeplearning4j.ui.model.stats.impl.SbeStatsReport;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what DL4J's training UI shows of a run, as a {@code StatsListener} would: one
 * initialization report when the run starts (its network: layers, parameters, engine) and one
 * report per epoch whose score is the epoch's training loss and whose iteration count is the
 * epoch. Each run is a UI session; its worker is the host and executor that train it. Reports go
 * to {@code DIR/SESSION.dl4j} (a {@link FileStatsStorage} appended to and closed when the run
 * ends) or are posted to a running UI server. Built per Spark task from the serializable
 * {@link LiveView}; a failure of the view is logged and never fails a run.
 */
public final class StatsWriter implements EpochListener, AutoCloseable {

    /** The file a session's stats go to under a live view directory. */
    public static final String SUFFIX = ".dl4j";

    private static final Logger LOG = LoggerFactory.getLogger(StatsWriter.class);
    /** One poster per UI server and JVM: its thread posts in the background for every task of the executor. */
    private static final Map<String, RemoteUIStatsStorageRouter> SERVERS = new ConcurrentHashMap<>();

    private final LiveView view;
    private final Function<RunSpec, String> sessionOf;
    private final String worker;
    private final Map<String, Session> sessions = new HashMap<>();

    /** A run being written: where its reports go and the last report's time. */
    private static final class Session {
        final StatsStorageRouter router;
        long lastTimestamp;

        Session(StatsStorageRouter router) {
            this.router = router;
        }

        /** A file is closed when its run ends; a UI server's poster stays for the executor's next runs. */
        void close() {
            if (router instanceof FileStatsStorage file) {
                try {
                    file.close();
                } catch (RuntimeException e) {
                    LOG.warn("live view: cannot close {}: {}", file, e.toString());
                }
            }
        }

        /** Reports of one worker are keyed by their time: never two at the same millisecond. */
        long nextTimestamp() {
            lastTimestamp = Math.max(System.currentTimeMillis(), lastTimestamp + 1);
            return lastTimestamp;
        }
    }

    /**
     * {@code sessionOf} names a run's UI session (a sweep run's id; a PBT member across
     * generations); {@code executor} is the Spark executor that trains it, on this host.
     */
    public StatsWriter(LiveView view, Function<RunSpec, String> sessionOf, String executor) {
        this.view = view;
        this.sessionOf = sessionOf;
        this.worker = Provenance.CURRENT.host() + " executor " + executor;
    }

    /** The stats file of {@code session} under a live view directory. */
    public static Path file(Path directory, String session) {
        return directory.resolve(session + SUFFIX);
    }

    @Override
    public void started(RunSpec run, Layout layout, String engine) {
        String id = sessionOf.apply(run);
        try {
            Session s = new Session(router(id));
            SbeStatsInitializationReport init = new SbeStatsInitializationReport();
            init.reportIDs(id, StatsListener.TYPE_ID, worker, s.nextTimestamp());
            // the UI shows the model type as the name after the last dot
            init.reportModelInfo(layout.shape() + " network on the " + engine + " engine", "",
                    new String[0], layout.depth(), layout.numFreeParameters());
            s.router.putStaticInfo(init);
            sessions.put(id, s);
        } catch (IOException | RuntimeException e) {
            LOG.warn("live view: cannot write the stats of {} to {}: {}", id, view.target(), e.toString());
        }
    }

    @Override
    public void epoch(RunSpec run, int epoch, EpochMetrics metrics) {
        String id = sessionOf.apply(run);
        Session s = sessions.get(id);
        if (s == null) {
            return;
        }
        try {
            SbeStatsReport report = new SbeStatsReport();
            report.reportIDs(id, StatsListener.TYPE_ID, worker, s.nextTimestamp());
            report.reportIterationCount(epoch);
            report.reportScore(metrics.trainLoss());
            s.router.putUpdate(report);
        } catch (RuntimeException e) {
            LOG.warn("live view: cannot write epoch {} of {}: {}", epoch, id, e.toString());
        }
    }

    @Override
    public void ended(RunSpec run) {
        Session s = sessions.remove(sessionOf.apply(run));
        if (s != null) {
            s.close();
        }
    }

    /** Closes the files of runs that never ended (a task that throws). */
    @Override
    public void close() {
        sessions.values().forEach(Session::close);
        sessions.clear();
    }

    private StatsStorageRouter router(String session) throws IOException {
        if (view.streams()) {
            return SERVERS.computeIfAbsent(view.target(), RemoteUIStatsStorageRouter::new);
        }
        Path dir = Files.createDirectories(view.directory());
        File file = file(dir, session).toFile();
        return new FileStatsStorage(file);
    }
}
