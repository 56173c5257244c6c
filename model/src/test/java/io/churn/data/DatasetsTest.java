package io.churn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @Test
    void each_column_is_dropped_coded_one_hot_or_scaled_by_its_distinct_values() {
        List<String> header = List.of("constant", "two", "colour", "many", "target");
        List<String[]> rows = new ArrayList<>();
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 30; i++) {
            rows.add(new String[] {"5", i % 2 == 0 ? "a" : "b", colours[i % 3], Integer.toString(i * 2), Integer.toString(i % 2)});
        }
        PreparedDataset d = Preprocessor.prepare("tiny", header, rows);
        assertEquals(Task.BINARY, d.task());
        assertEquals(1 + 3 + 1, d.nIn());
        assertEquals(1, d.nOut());
        // two values: the first row's value is 1 (BUTTER's v == v[0]); row 1 has two=b -> 0,
        // colour=green -> one-hot over [blue, green, red], many = 2 of 0..58, target 1 -> 0
        float[] row1 = java.util.Arrays.copyOfRange(d.x(), 5, 10);
        assertArrayEquals(new float[] {0f, 0f, 1f, 0f, 2f / 58f}, row1, 1e-6f);
        assertEquals(1f, d.y()[0]);
        assertEquals(0f, d.y()[1]);
    }

    @Test
    void numeric_one_hot_orders_by_value() {
        List<String[]> rows = new ArrayList<>();
        for (String t : new String[] {"10", "9", "2", "9.0"}) {
            rows.add(new String[] {t, t});
        }
        PreparedDataset d = Preprocessor.prepare("order", List.of("x", "target"), rows);
        assertEquals(Task.MULTICLASS, d.task());
        assertEquals(3, d.nOut());
        // "10" is the largest of 2, 9, 10; "9" and "9.0" are one class
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0}, d.y());
    }

    @Test
    void every_bundled_dataset_preprocesses_to_its_catalog_entry() {
        // BUTTER's rules applied to the PMLB files: a change here changes every network built on them
        assertEquals(List.of(
                new Datasets.Entry("201_pol", Task.MULTICLASS, 15000, 26, 11),
                new Datasets.Entry("294_satellite_image", Task.MULTICLASS, 6435, 36, 6),
                new Datasets.Entry("505_tecator", Task.REGRESSION, 240, 124, 1),
                new Datasets.Entry("529_pollen", Task.REGRESSION, 3848, 4, 1),
                new Datasets.Entry("adult", Task.BINARY, 48842, 81, 1),
                new Datasets.Entry("banana", Task.BINARY, 5300, 2, 1),
                new Datasets.Entry("nursery", Task.MULTICLASS, 12958, 26, 4),
                new Datasets.Entry("splice", Task.MULTICLASS, 3188, 287, 3),
                new Datasets.Entry("wine_quality_white", Task.MULTICLASS, 4898, 11, 7)), Datasets.catalog());
        for (Datasets.Entry e : Datasets.catalog()) {
            PreparedDataset d = Datasets.load(e.name());
            assertEquals(e, new Datasets.Entry(d.name(), d.task(), d.rows(), d.nIn(), d.nOut()));
            for (float v : d.x()) {
                assertTrue(v >= 0f && v <= 1f, e.name() + " inputs lie in [0, 1]");
            }
        }
    }

    @Test
    void a_pmlb_file_is_read_from_a_path_as_csv_or_gzipped_tsv(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("tiny.csv");
        StringBuilder text = new StringBuilder("target,a,b\n");
        for (int i = 0; i < 40; i++) {
            text.append(i % 3).append(',').append(i).append(',').append(i % 2 == 0 ? "x" : "y").append('\n');
        }
        Files.writeString(csv, text);
        PreparedDataset d = Datasets.load(csv.toString());
        assertEquals(Task.MULTICLASS, d.task());
        assertEquals(40, d.rows());
        assertEquals(2, d.nIn());
        assertEquals(3, d.nOut());
        Path tsv = dir.resolve("tiny.tsv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(tsv))) {
            out.write(text.toString().replace(',', '\t').getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        PreparedDataset g = Datasets.load(tsv.toUri().toString());
        assertArrayEquals(d.x(), g.x());
        assertArrayEquals(d.y(), g.y());
    }

    /** The digest of a file as {@code sha256sum} prints it. */
    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void a_dataset_carries_the_sha256_of_the_bytes_it_was_read_from(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("digest.tsv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(tsv))) {
            out.write("a\ttarget\n1\t0\n2\t1\n3\t0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        // the compressed bytes as stored, so the digest is the file's own
        assertEquals(sha256(Files.readAllBytes(tsv)), Datasets.load(tsv.toString()).sha256());
        byte[] bundled;
        try (var in = Datasets.class.getResourceAsStream("pmlb/banana.tsv.gz")) {
            bundled = in.readAllBytes();
        }
        assertEquals(sha256(bundled), Datasets.load("banana").sha256());
    }

    @Test
    void names_that_are_neither_bundled_nor_files_are_refused_with_the_choices() {
        assertTrue(Datasets.problem("iris").startsWith("'iris' is not a known dataset; allowed: a bundled name (201_pol,"));
        assertEquals(null, Datasets.problem("hdfs://nn:8020/data/537_houses.tsv.gz"));
        assertEquals(null, Datasets.problem("mnist:/data/mnist"));
        assertTrue(Datasets.problem("mnist:").contains("names no folder"));
    }

    @Test
    void bundled_datasets_load_with_their_task() {
        PreparedDataset banana = Datasets.load("banana");
        assertEquals(5300, banana.rows());
        assertEquals(Task.BINARY, banana.task());
        assertEquals(2, banana.nIn());
        assertEquals(1, banana.nOut());
        PreparedDataset wine = Datasets.load("wine_quality_white");
        assertEquals(Task.MULTICLASS, wine.task());
        assertEquals(7, wine.nOut());
        assertEquals(Task.REGRESSION, Datasets.load("529_pollen").task());
        assertSame(banana, Datasets.load("banana"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("iris"));
    }

    @Test
    void a_dataset_is_named_as_butter_names_it_whatever_it_was_read_from() {
        assertEquals("537_houses", Datasets.name("hdfs://nn:8020/data/537_houses.tsv.gz"));
        assertEquals("537_houses", Datasets.name("file:///data/537_houses.tsv"));
        assertEquals("537_houses", Datasets.name("/data/537_houses.csv.gz"));
        assertEquals("houses", Datasets.name("houses.csv"));
        assertEquals("banana", Datasets.name("banana"));
        assertEquals("mnist", Datasets.name("mnist:/data/mnist"));
        assertEquals("fashion_mnist", Datasets.name("fashion_mnist:/data/fashion"));
    }

    @Test
    void a_bundled_dataset_has_the_digest_of_its_file_in_the_jar() {
        assertEquals(Datasets.load("banana").sha256(), Datasets.bundledSha256("banana"));
        assertThrows(IllegalArgumentException.class, () -> Datasets.bundledSha256("iris"));
    }

    @Test
    void a_file_rewritten_is_read_again_when_its_new_digest_is_asked_for_and_refused_under_its_old(@TempDir Path dir)
            throws Exception {
        Path tsv = dir.resolve("rewritten.tsv");
        Files.writeString(tsv, "a\ttarget\n1\t0\n2\t1\n3\t0\n");
        PreparedDataset before = Datasets.load(tsv.toString());
        Files.writeString(tsv, "a\ttarget\n1\t0\n2\t1\n3\t0\n4\t1\n");
        String after = sha256(Files.readAllBytes(tsv));
        assertSame(before, Datasets.load(tsv.toString(), before.sha256(), DataSource.LOCAL), "this JVM's copy");
        PreparedDataset reread = Datasets.load(tsv.toString(), after, DataSource.LOCAL);
        assertEquals(4, reread.rows());
        assertEquals(after, reread.sha256());
        IllegalStateException changed = assertThrows(IllegalStateException.class,
                () -> Datasets.load(tsv.toString(), before.sha256(), DataSource.LOCAL));
        assertTrue(changed.getMessage().contains(tsv + " has changed since its runs were planned"),
                changed.getMessage());
    }

    @Test
    void reading_a_dataset_sees_the_file_as_it_is_now(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("now.tsv");
        Files.writeString(tsv, "a\ttarget\n1\t0\n2\t1\n3\t0\n");
        Datasets.load(tsv.toString());
        Files.writeString(tsv, "a\ttarget\n1\t0\n2\t1\n");
        PreparedDataset now = Datasets.read(tsv.toString(), DataSource.LOCAL);
        assertEquals(2, now.rows());
        assertSame(now, Datasets.load(tsv.toString()), "kept as this JVM's copy");
    }
}
