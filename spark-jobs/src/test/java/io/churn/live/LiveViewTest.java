package io.churn.live;

import io.churn.SqlArrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.churn.settings.SweepFile;
import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.driver.PbtDriver;
import io.churn.driver.SweepDriver;
import io.churn.driver.SweepPlan;
import io.churn.pbt.PbtSpecParser;
import io.churn.sink.DatabaseSettings;
import io.churn.spec.LiveView;
import io.churn.spec.SpecParser;
import io.churn.train.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsInitializationReport;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live training view on local[2] with a real PostgreSQL: sweeps on both engines and a PBT job
 * write DL4J training-UI stats that hold exactly the epochs PostgreSQL holds, DL4J's UI server shows
 * them from the files and from a stream, and with the view off nothing is written.
 */
class LiveViewTest {

    /** Two runs, a plain and a residual network, both on the fused engine. */
    static final String SPEC = """
            { "name": "%s", "seed": %d, %s
              "grid": { "dataset": ["banana"], "shape": ["rectangle", "rectangle_residual"], "depth": [3],
                        "size": [128], "learning_rate": [0.01], "batch_size": [64], "epochs": [3] } }
            """;
    static final Set<RunStatus> TRAINABLE = Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING);
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    static DatabaseSettings db;

    @BeforeAll
    static void createDatabase() throws Exception {
        db = TestDatabase.create(LiveViewTest.class);
    }

    static SweepDriver.Summary sweep(String name, long seed, String liveView) throws Exception {
        String json = SPEC.formatted(name, seed, liveView == null ? "" : "\"live_view\": \"" + liveView + "\",");
        SweepFile file = SweepFile.parse(json, name);
        SweepPlan plan = SweepPlan.of(file.spec(), name);
        return SweepDriver.run(SparkTestSession.get(), plan, file.settings(), json, db, work.resolve("results").toUri().toString(), 0,
                TRAINABLE, Duration.ofSeconds(60), QUIET);
    }

    /** run_id -> [engine, num_free_parameters, train_loss...] of a sweep's runs, as PostgreSQL holds them. */
    static Map<String, List<Object>> runs(String sweep) throws Exception {
        Map<String, List<Object>> runs = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select r.run_id, r.status, r.engine, r.num_free_parameters, r.histories"
                     + " from run r join sweep_run w using (run_id) where w.sweep = '" + sweep + "'")) {
            while (rs.next()) {
                assertEquals("complete", rs.getString("status"));
                List<Object> row = new ArrayList<>(List.of(rs.getString("engine"), rs.getLong("num_free_parameters")));
                row.addAll(SqlArrays.history(rs, "train_loss"));
                runs.put(rs.getString("run_id"), row);
            }
        }
        return runs;
    }

    static List<Path> statsFiles(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(StatsWriter.SUFFIX)).toList();
        }
    }

    static List<Double> scores(List<Persistable> updates) {
        return updates.stream().map(u -> ((StatsReport) u).getScore()).toList();
    }

    static List<Integer> iterations(List<Persistable> updates) {
        return updates.stream().map(u -> ((StatsReport) u).getIterationCount()).toList();
    }

    static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return path.equals("/train") ? JSON.getNodeFactory().textNode(r.body()) : JSON.readTree(r.body());
    }

    @Test
    void aSweepWritesEachRunsEpochsToItsStatsFileAndTheUiShowsThem() throws Exception {
        Path dir = work.resolve("live");
        SweepDriver.Summary s = sweep("files", 1, dir.toString());
        assertEquals(2, s.trained());
        Map<String, List<Object>> runs = runs("files");
        assertEquals(List.of("fused", "fused"), runs.values().stream().map(r -> r.get(0)).toList());
        assertEquals(2, statsFiles(dir).size());
        for (Map.Entry<String, List<Object>> run : runs.entrySet()) {
            String id = run.getKey();
            FileStatsStorage stats = new FileStatsStorage(StatsWriter.file(dir, id).toFile());
            try {
                assertEquals(List.of(id), stats.listSessionIDs());
                List<String> workers = stats.listWorkerIDsForSession(id);
                assertEquals(1, workers.size());
                assertTrue(workers.get(0).contains(" executor "), workers.get(0));
                StatsInitializationReport init = (StatsInitializationReport) stats.getStaticInfo(id,
                        StatsListener.TYPE_ID, workers.get(0));
                assertEquals(run.getValue().get(1), init.getModelNumParams());
                assertEquals(3, init.getModelNumLayers());
                assertTrue(init.getModelClassName().endsWith(" on the " + run.getValue().get(0) + " engine"));
                List<Persistable> updates = stats.getAllUpdatesAfter(id, StatsListener.TYPE_ID, workers.get(0), 0);
                assertEquals(List.of(1, 2, 3), iterations(updates));
                assertEquals(run.getValue().subList(2, run.getValue().size()), SqlArrays.asStored(scores(updates)));
            } finally {
                stats.close();
            }
        }

        try (StatsServer ui = StatsServer.start(StatsServer.LOOPBACK, 0, dir)) {
            assertEquals(2, ui.fileCount());
            String sessions = get(ui.port(), "/train").asText();
            for (Map.Entry<String, List<Object>> run : runs.entrySet()) {
                assertTrue(sessions.contains("/train/" + run.getKey()), sessions);
                JsonNode info = get(ui.port(), "/train/" + run.getKey() + "/info").get(run.getKey());
                assertEquals((long) run.getValue().get(1), info.get("numParams").asLong());
                JsonNode overview = get(ui.port(), "/train/" + run.getKey() + "/overview/data");
                List<Double> shown = new ArrayList<>();
                overview.get("scores").forEach(v -> shown.add(v.asDouble()));
                assertEquals(run.getValue().subList(2, run.getValue().size()), SqlArrays.asStored(shown));
            }
        }
    }

    @Test
    void aSweepStreamsToARunningUi() throws Exception {
        try (StatsServer ui = StatsServer.start(StatsServer.LOOPBACK, 0, null)) {
            SweepDriver.Summary s = sweep("stream", 2, "http://127.0.0.1:" + ui.port());
            assertEquals(2, s.trained());
            for (Map.Entry<String, List<Object>> run : runs("stream").entrySet()) {
                List<Object> losses = run.getValue().subList(2, run.getValue().size());
                // executors post in the background: wait for the last epoch to arrive
                List<Double> shown = new ArrayList<>();
                for (int attempt = 0; attempt < 120 && shown.size() < losses.size(); attempt++) {
                    Thread.sleep(500);
                    shown.clear();
                    JsonNode info = get(ui.port(), "/train/" + run.getKey() + "/info");
                    if (info.has(run.getKey())) {
                        get(ui.port(), "/train/" + run.getKey() + "/overview/data").get("scores")
                                .forEach(v -> shown.add(v.asDouble()));
                    }
                }
                assertEquals(losses, SqlArrays.asStored(shown));
            }
        }
    }

    @Test
    void pbtMembersWriteTheirEpochsAcrossGenerations() throws Exception {
        Path dir = work.resolve("pbt-live");
        String json = """
                { "name": "live-pbt", "seed": 3, "dataset": "banana", "shape": "rectangle", "depth": 2, "size": 64,
                  "population": 2, "generations": 2, "epochs_per_generation": 2, "live_view": "%s",
                  "space": { "learning_rate": { "lower": 0.001, "upper": 0.1, "log": true } } }
                """.formatted(dir);
        PbtDriver.run(SparkTestSession.get(), PbtSpecParser.parse(json, "t", null), json, db,
                work.resolve("weights").toUri().toString(), work.resolve("results").toUri().toString(), QUIET);
        assertEquals(2, statsFiles(dir).size());
        for (int member = 0; member < 2; member++) {
            String id = "live-pbt.member-" + member;
            List<Double> losses = new ArrayList<>();
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select train_loss from pbt_epoch where pbt = 'live-pbt' and member = "
                         + member + " order by epoch")) {
                while (rs.next()) {
                    losses.add(rs.getDouble(1));
                }
            }
            FileStatsStorage stats = new FileStatsStorage(StatsWriter.file(dir, id).toFile());
            try {
                List<Persistable> updates = stats.getAllUpdatesAfter(id, StatsListener.TYPE_ID, 0);
                assertEquals(List.of(1, 2, 3, 4), iterations(updates));
                assertEquals(losses, scores(updates));
            } finally {
                stats.close();
            }
        }
    }

    @Test
    void withTheViewOffNothingIsWritten() throws Exception {
        List<Path> before = statsFiles(Path.of(System.getProperty("user.dir")));
        SweepDriver.Summary s = sweep("off", 4, null);
        assertEquals(2, s.trained());
        assertEquals(List.of(), statsFiles(work.resolve("results")));
        assertEquals(List.of(), statsFiles(work.resolve("postgres")));
        assertEquals(before, statsFiles(Path.of(System.getProperty("user.dir"))));
        assertEquals(null, SweepFile.parse(SPEC.formatted("off", 4, ""), "off").settings().liveView());
    }

    @Test
    void aStatsFileBeingWrittenIsLeftOutOfTheUi() throws Exception {
        Path dir = work.resolve("busy");
        LiveView view = LiveView.parse(dir.toString());
        try (StatsWriter writer = new StatsWriter(view, r -> "busy-run", "0")) {
            var run = io.churn.spec.GridExpander.expand(SpecParser.parse(SPEC.formatted("busy", 5, ""), "b")).get(0);
            writer.started(run, new io.churn.network.Layout("rectangle", 2, 2, 1, List.of(4, 1), 17),
                    "fused");
            try (StatsServer ui = StatsServer.start(StatsServer.LOOPBACK, 0, dir)) {
                assertEquals(0, ui.fileCount());
                assertEquals(1, ui.busyCount());
            }
            writer.ended(run);
        }
        try (StatsServer ui = StatsServer.start(StatsServer.LOOPBACK, 0, dir)) {
            assertEquals(1, ui.fileCount());
        }
    }

    @Test
    void theUiListensOnLoopbackUnlessToldToListenEverywhere() throws Exception {
        InetAddress external = externalAddress();
        assumeTrue(external != null, "this machine has a network address besides loopback");
        try (StatsServer ui = StatsServer.start(StatsServer.LOOPBACK, 0, null)) {
            assertTrue(ui.loopback());
            assertEquals("http://127.0.0.1:" + ui.port(), ui.address());
            assertTrue(get(ui.port(), "/train").asText().length() > 0, "loopback reaches it");
            assertThrows(ConnectException.class, () -> connect(external, ui.port()),
                    "nothing listens on " + external + ":" + ui.port());
        }
        try (StatsServer ui = StatsServer.start("0.0.0.0", 0, null)) {
            assertTrue(!ui.loopback());
            connect(external, ui.port());
        }
    }

    @Test
    void aPortAlreadyTakenIsNamedWithoutAStackTrace() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = holder.getLocalPort();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StatsServer.start(StatsServer.LOOPBACK, taken, null));
            assertTrue(e.getMessage().startsWith("--bind 127.0.0.1 --port " + taken + ": "), e.getMessage());
        }
        // the failed start left nothing behind: the UI starts again
        try (StatsServer ui = StatsServer.start(StatsServer.LOOPBACK, 0, null)) {
            assertTrue(ui.port() > 0);
        }
    }

    private static void connect(InetAddress address, int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    /** An IPv4 address of an interface that is up and not loopback, or null. */
    private static InetAddress externalAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) continue;
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return a;
            }
        }
        return null;
    }
}
