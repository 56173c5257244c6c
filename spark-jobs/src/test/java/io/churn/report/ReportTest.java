package io.churn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.churn.settings.SweepFile;
import io.churn.SparkTestSession;
import io.churn.TestDatabase;
import io.churn.driver.PbtDriver;
import io.churn.driver.SweepDriver;
import io.churn.driver.SweepPlan;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.PbtSpecParser;
import io.churn.sink.DatabaseSettings;
import io.churn.sink.PbtStore;
import io.churn.sink.RunStore;
import io.churn.spec.SpecParser;
import io.churn.train.RunStatus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled notebooks run over a small real sweep and a small real PBT job (local[2], DL4J, a
 * real PostgreSQL, Parquet), exported, then checked as their readers would: the notebooks with
 * nbformat's own validator, the HTML pages in headless Chromium.
 */
class ReportTest {

    static final String SWEEP = """
            { "name": "report-sweep", "seed": 5, "repetitions": 1,
              "grid": { "dataset": ["banana"], "shape": ["rectangle"], "depth": [2, 3], "size": [64, 256],
                        "learning_rate": [0.01], "batch_size": [64], "epochs": [3] } }
            """;
    static final String PBT = """
            { "name": "report-pbt", "seed": 8, "dataset": "banana", "shape": "rectangle", "depth": 2, "size": 64,
              "population": 4, "generations": 3, "epochs_per_generation": 1,
              "exploit": { "method": "truncation", "fraction": 0.25 },
              "space": { "learning_rate": { "lower": 0.001, "upper": 0.1, "log": true },
                         "batch_size": { "values": [32, 64, 128] } } }
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static DatabaseSettings db;
    static PbtDriver.Summary pbt;
    static Report sweepReport;
    static Report pbtReport;
    static Path exports;

    @BeforeAll
    static void runJobsAndReports() throws Exception {
        db = TestDatabase.create(ReportTest.class);
        SparkSession spark = SparkTestSession.get();
        String results = work.resolve("results").toUri().toString();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        SweepFile sweepFile = SweepFile.parse(SWEEP, "s.json");
        SweepDriver.run(spark, SweepPlan.of(sweepFile.spec(), "s.json"), sweepFile.settings(), SWEEP, db, results, 0,
                Set.of(RunStatus.QUEUED, RunStatus.FAILED, RunStatus.RUNNING), Duration.ofMinutes(1), quiet);
        PbtSpec spec = PbtSpecParser.parse(PBT, "p.json", null);
        pbt = PbtDriver.run(spark, spec, PBT, db, work.resolve("weights").toUri().toString(), results, quiet);

        exports = work.resolve("exports");
        ReportViews.sweep(spark, results, "report-sweep");
        sweepReport = Report.run(spark, Notebook.parse(bundled("sweep.md"), "sweep.md", "report-sweep"));
        Export.write(sweepReport, exports, "sweep-report-sweep", Map.of("sweep", "report-sweep"));
        Map<String, String> variables = ReportViews.pbt(spark, results, "report-pbt");
        pbtReport = Report.run(spark, Notebook.parse(bundled("pbt.md"), "pbt.md", variables));
        Export.write(pbtReport, exports, "pbt-report-pbt", Map.of("pbt", "report-pbt"));
    }

    /** The notebook definitions as the jar ships them (copied from notebooks-export/). */
    static String bundled(String name) throws IOException {
        try (InputStream in = ReportTest.class.getResourceAsStream("/notebooks/" + name)) {
            assertNotNull(in, name + " is in the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> charts(Report report) {
        return report.notebook().cells().stream().filter(c -> c instanceof Notebook.Query q && q.chart() != null)
                .map(c -> ((Notebook.Query) c).chart().title()).toList();
    }

    /** An image that is more than a blank: many colours, not one. */
    static void assertDrawn(BufferedImage image, String what) {
        assertNotNull(image, what + " decodes as an image");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        }
        assertTrue(colours.size() > 30, what + " has " + colours.size() + " colours");
    }

    @Test
    void the_notebooks_embed_one_png_per_chart_and_a_table_for_every_other_query() throws Exception {
        for (String base : List.of("sweep-report-sweep", "pbt-report-pbt")) {
            Report report = base.startsWith("sweep") ? sweepReport : pbtReport;
            JsonNode nb = JSON.readTree(exports.resolve(base + ".ipynb").toFile());
            assertEquals(4, nb.get("nbformat").asInt());
            List<String> images = new ArrayList<>();
            int tables = 0;
            for (JsonNode cell : nb.get("cells")) {
                for (JsonNode out : cell.path("outputs")) {
                    JsonNode png = out.path("data").path("image/png");
                    if (!png.isMissingNode()) {
                        images.add(out.path("data").path("text/plain").get(0).asText());
                        assertDrawn(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.asText()))),
                                base + " chart");
                    }
                    if (out.path("data").has("text/html")) tables++;
                }
            }
            assertEquals(charts(report), images, base);
            assertEquals(3, images.size());
            long queries = report.notebook().cells().stream().filter(c -> c instanceof Notebook.Query).count();
            assertEquals(queries - images.size(), tables, base);
        }
    }

    @Test
    void the_notebooks_are_valid_nbformat_4() throws Exception {
        Path python = ExternalTools.pythonWithNbformat();
        for (String base : List.of("sweep-report-sweep", "pbt-report-pbt")) {
            Process p = new ProcessBuilder(python.toString(), "-c", "import nbformat, sys;"
                    + " nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb);"
                    + " print(nb.nbformat, nb.nbformat_minor)",
                    exports.resolve(base + ".ipynb").toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nbformat finished");
            assertEquals(0, p.exitValue(), output);
            assertEquals("4 5", output.strip());
        }
    }

    @Test
    void the_sweep_report_counts_the_runs_the_sweep_trained() {
        Table runs = sweepReport.cells().stream().filter(e -> e.table() != null).findFirst().orElseThrow().table();
        assertEquals(List.of("banana"), runs.rows().stream().map(r -> r.get(runs.column("dataset"))).toList());
        assertEquals(4L, runs.rows().get(0).get(runs.column("runs")));
        assertEquals(4L, runs.rows().get(0).get(runs.column("complete")));
    }

    @Test
    void the_best_members_schedule_is_the_one_pbt_recorded() throws Exception {
        Table schedule = pbtReport.cells().get(pbtReport.cells().size() - 1).table();
        List<Map<String, Object>> recorded;
        try (PbtStore store = PbtStore.open(db)) {
            recorded = store.schedule("report-pbt", 3, pbt.bestMember());
        }
        assertEquals(3, schedule.rows().size());
        for (int g = 0; g < 3; g++) {
            List<Object> row = schedule.rows().get(g);
            assertEquals(g + 1, row.get(schedule.column("generation")));
            Map<String, Double> shown = numbers(JSON.readValue((String) row.get(schedule.column("hyperparameters")),
                    Map.class));
            assertEquals(numbers(recorded.get(g)), shown, "generation " + (g + 1));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Double> numbers(Map<?, ?> m) {
        Map<String, Double> out = new TreeMap<>();
        ((Map<String, Object>) m).forEach((k, v) -> out.put(k, ((Number) v).doubleValue()));
        return out;
    }

    @Test
    void the_html_pages_open_in_headless_chromium_without_errors_and_show_the_charts() throws Exception {
        Path chromium = ExternalTools.chromium();
        for (String base : List.of("sweep-report-sweep", "pbt-report-pbt")) {
            Path page = exports.resolve(base + ".html");
            String html = Files.readString(page);
            Matcher img = Pattern.compile("<img [^>]*src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
            int images = 0;
            while (img.find()) {
                assertDrawn(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(img.group(1)))),
                        base + " inline image");
                images++;
            }
            assertEquals(3, images, base);
            assertTrue(!html.contains("src=\"http") && !html.contains("href=\"http"), "the page fetches nothing");

            Shot withCharts = screenshot(chromium, page, work.resolve(base + ".png"));
            assertEquals(List.of(), withCharts.console(), "console messages from " + base);
            assertDrawn(withCharts.image(), base + " screenshot");
            Path stripped = Files.writeString(work.resolve(base + "-no-images.html"),
                    html.replaceAll("<img [^>]*>", ""));
            Shot without = screenshot(chromium, stripped, work.resolve(base + "-no-images.png"));
            int chartPixels = colourful(withCharts.image()) - colourful(without.image());
            // lines, bands and heatmap cells: thousands of pixels even where a chart is mostly grey
            assertTrue(chartPixels > 2_000, base + ": the charts add " + chartPixels + " coloured pixels");
        }
    }

    record Shot(BufferedImage image, List<String> console) {
    }

    /** Chromium's own screenshot of a page, and the console messages the page logged. */
    static Shot screenshot(Path chromium, Path page, Path png) throws Exception {
        Path profile = Files.createTempDirectory(work, "chromium");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--screenshot=" + png, "--window-size=1280,2400", page.toUri().toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, p.exitValue(), log);
        // page messages (console.log, uncaught errors) are logged as INFO:CONSOLE; the rest is
        // Chromium's own chatter about D-Bus and GPUs a container does not have
        List<String> console = log.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
        assertTrue(Files.size(png) > 10_000, "a screenshot of " + page);
        return new Shot(ImageIO.read(png.toFile()), console);
    }

    /** Pixels of a saturated colour: chart lines, bands and cells, not black, grey or white text and boxes. */
    static int colourful(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) n++;
            }
        }
        return n;
    }
}
