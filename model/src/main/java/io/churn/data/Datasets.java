package io.churn.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Every dataset a run can name, loaded and preprocessed once per JVM (once per executor) and
 * shared by every run there:
 * <ul>
 *   <li>a bundled PMLB dataset by name ({@link #catalog()}), read from the jar;</li>
 *   <li>any PMLB-format file by path or URI: tab- or comma-separated ({@code .tsv}, {@code .csv}),
 *       optionally gzipped, with a {@code target} column;</li>
 *   <li>{@code mnist:FOLDER} or {@code fashion_mnist:FOLDER}: the standard IDX files in FOLDER.</li>
 * </ul>
 * Each carries the SHA-256 of the bytes it was read from ({@link ContentDigest}). A dataset is known
 * by its {@linkplain #name name} and that digest; where it was read from is provenance.
 */
public final class Datasets {

    /** A bundled dataset and what BUTTER's preprocessing makes of it. */
    public record Entry(String name, Task task, int rows, int nIn, int nOut) {
    }

    private static final Map<String, Entry> CATALOG = readCatalog();
    private static final List<String> IDX_PREFIXES = List.of("mnist:", "fashion_mnist:");
    private static final List<String> TABLE_SUFFIXES = List.of(".tsv", ".tsv.gz", ".csv", ".csv.gz");
    private static final Map<String, PreparedDataset> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, String> BUNDLED_SHA256 = new ConcurrentHashMap<>();

    private Datasets() {
    }

    public static List<Entry> catalog() {
        return List.copyOf(CATALOG.values());
    }

    public static List<String> bundledNames() {
        return List.copyOf(CATALOG.keySet());
    }

    public static boolean isBundled(String name) {
        return CATALOG.containsKey(name);
    }

    /**
     * The name of the dataset {@code dataset} names, BUTTER's: a bundled one's own, a PMLB file's
     * stem ({@code 537_houses} for {@code hdfs://nn/pmlb/537_houses.tsv.gz}), {@code mnist} or
     * {@code fashion_mnist} for IDX files.
     */
    public static String name(String dataset) {
        if (isBundled(dataset)) {
            return dataset;
        }
        for (String prefix : IDX_PREFIXES) {
            if (dataset.startsWith(prefix)) {
                return prefix.substring(0, prefix.length() - 1);
            }
        }
        String file = dataset.substring(dataset.lastIndexOf('/') + 1);
        for (String suffix : TABLE_SUFFIXES) {
            if (file.endsWith(suffix) && file.length() > suffix.length()) {
                file = file.substring(0, file.length() - suffix.length());
            }
        }
        return file;
    }

    /** The SHA-256 of a bundled dataset's file in the jar, read once per JVM. */
    public static String bundledSha256(String name) {
        if (!isBundled(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a bundled dataset");
        }
        return BUNDLED_SHA256.computeIfAbsent(name, n -> {
            ContentDigest digest = new ContentDigest();
            try (InputStream in = digest.wrap(bundled(n))) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled dataset " + n + ": " + e.getMessage(), e);
            }
            return digest.hex();
        });
    }

    /** Why {@code dataset} cannot name a dataset, or null when it can (whether the file exists is checked on load). */
    public static String problem(String dataset) {
        if (isBundled(dataset)) {
            return null;
        }
        for (String prefix : IDX_PREFIXES) {
            if (dataset.startsWith(prefix)) {
                return dataset.length() > prefix.length() ? null
                        : "'" + dataset + "' names no folder; use " + prefix + "FOLDER holding the IDX files";
            }
        }
        if (TABLE_SUFFIXES.stream().anyMatch(dataset::endsWith)) {
            return null;
        }
        return "'" + dataset + "' is not a known dataset; allowed: a bundled name (" + String.join(", ", bundledNames())
                + "), a PMLB file path or URI ending " + String.join(", ", TABLE_SUFFIXES)
                + ", or mnist:FOLDER / fashion_mnist:FOLDER";
    }

    /** The preprocessed dataset, from this JVM's cache after the first call; files are read through {@code source}. */
    public static PreparedDataset load(String dataset, DataSource source) {
        String problem = problem(dataset);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return CACHE.computeIfAbsent(dataset, d -> readUncached(d, source));
    }

    /**
     * The dataset as read with digest {@code sha256}: this JVM's copy when it has that digest, else
     * read again (a file rewritten since it was cached). Content with another digest is not the
     * dataset its runs were planned with: an {@link IllegalStateException} naming both digests.
     */
    public static PreparedDataset load(String dataset, String sha256, DataSource source) {
        PreparedDataset cached = load(dataset, source);
        if (sha256.equals(cached.sha256())) {
            return cached;
        }
        PreparedDataset read = read(dataset, source);
        if (!sha256.equals(read.sha256())) {
            throw new IllegalStateException("dataset " + dataset + " has changed since its runs were planned: its"
                    + " sha256 is " + read.sha256() + ", theirs " + sha256 + "; submit the sweep again to train it");
        }
        return read;
    }

    /**
     * The dataset read now, whatever this JVM read before, and kept as its copy: what planning
     * reads, so a rewritten file is seen as it is.
     */
    public static PreparedDataset read(String dataset, DataSource source) {
        String problem = problem(dataset);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        PreparedDataset data = readUncached(dataset, source);
        CACHE.put(dataset, data);
        return data;
    }

    /** A bundled dataset, or a local file. */
    public static PreparedDataset load(String dataset) {
        return load(dataset, DataSource.LOCAL);
    }

    private static PreparedDataset readUncached(String dataset, DataSource source) {
        ContentDigest digest = new ContentDigest();
        DataSource digested = digest.wrap(source);
        try {
            if (isBundled(dataset)) {
                PreparedDataset table;
                try (InputStream in = digest.wrap(bundled(dataset))) {
                    table = readTable(dataset, in, true, '\t');
                }
                return table.withSha256(digest.hex());
            }
            for (String prefix : IDX_PREFIXES) {
                if (dataset.startsWith(prefix)) {
                    return Idx.read(dataset, dataset.substring(prefix.length()), digested).withSha256(digest.hex());
                }
            }
            PreparedDataset table;
            try (InputStream in = digested.open(dataset)) {
                table = readTable(dataset, in, dataset.endsWith(".gz"), dataset.contains(".csv") ? ',' : '\t');
            }
            return table.withSha256(digest.hex());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + dataset + ": " + e.getMessage(), e);
        }
    }

    private static InputStream bundled(String name) {
        InputStream in = Datasets.class.getResourceAsStream("pmlb/" + name + ".tsv.gz");
        if (in == null) {
            throw new IllegalStateException("bundled dataset " + name + " is missing from the jar");
        }
        return in;
    }

    /**
     * Reads a PMLB table (header row, column {@code target}) and preprocesses it. A table that is not
     * one (empty, no target, ragged rows) is the data's problem ({@link IllegalArgumentException});
     * a read that fails is the file system's ({@link IOException}).
     */
    static PreparedDataset readTable(String name, InputStream raw, boolean gzip, char separator) throws IOException {
        InputStream in = gzip ? new GZIPInputStream(raw) : raw;
        String split = separator == '\t' ? "\t" : ",";
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String headerLine = reader.readLine();
            if (headerLine == null) {
                throw new IllegalArgumentException(name + ": empty file");
            }
            List<String> header = Arrays.stream(headerLine.split(split, -1)).map(String::trim).toList();
            int target = header.indexOf("target");
            if (target < 0) {
                throw new IllegalArgumentException(name + ": no 'target' column in its header row");
            }
            List<String> ordered = new ArrayList<>(header);
            ordered.remove(target);
            ordered.add("target");
            List<String[]> rows = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] cells = line.split(split, -1);
                if (cells.length != header.size()) {
                    throw new IllegalArgumentException(name + ": line " + lineNo + " has " + cells.length
                            + " cells, the header " + header.size());
                }
                String[] row = new String[cells.length];
                for (int c = 0, o = 0; c < cells.length; c++) {
                    if (c != target) row[o++] = cells[c].trim();
                }
                row[cells.length - 1] = cells[target].trim();
                rows.add(row);
            }
            return Preprocessor.prepare(name, ordered, rows);
        }
    }

    private static Map<String, Entry> readCatalog() {
        Map<String, Entry> catalog = new LinkedHashMap<>();
        try (InputStream in = Datasets.class.getResourceAsStream("pmlb/catalog.tsv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine(); // header
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) continue;
                String[] f = line.split("\t");
                catalog.put(f[0], new Entry(f[0], Task.valueOf(f[1].toUpperCase(java.util.Locale.ROOT)),
                        Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4])));
            }
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the bundled dataset catalog pmlb/catalog.tsv is missing or unreadable", e);
        }
        return catalog;
    }
}
