package io.churn.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The PMLB datasets bundled in the jar, loaded and preprocessed once per JVM (once per executor)
 * and shared by every run there.
 */
public final class Datasets {

    private static final List<String> BUNDLED = List.of("201_pol", "294_satellite_image", "505_tecator",
            "529_pollen", "adult", "banana", "nursery", "splice", "wine_quality_white");
    private static final Map<String, PreparedDataset> CACHE = new ConcurrentHashMap<>();

    private Datasets() {
    }

    public static List<String> bundledNames() {
        return BUNDLED;
    }

    public static boolean isBundled(String name) {
        return BUNDLED.contains(name);
    }

    /** The preprocessed dataset, from this JVM's cache after the first call. */
    public static PreparedDataset load(String name) {
        if (!isBundled(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a known dataset; allowed: "
                    + String.join(", ", BUNDLED));
        }
        return CACHE.computeIfAbsent(name, Datasets::read);
    }

    private static PreparedDataset read(String name) {
        String resource = "pmlb/" + name + ".tsv.gz";
        try (InputStream raw = Datasets.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("bundled dataset " + resource + " is missing from the jar");
            }
            return readPmlb(name, raw);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled dataset " + name, e);
        }
    }

    /** Reads a gzip PMLB table (tab-separated, header row, column {@code target}) and preprocesses it. */
    static PreparedDataset readPmlb(String name, InputStream gzip) throws IOException {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(gzip), StandardCharsets.UTF_8))) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw new IOException(name + ": empty file");
            }
            List<String> header = Arrays.asList(headerLine.split("\t", -1));
            int target = header.indexOf("target");
            if (target < 0) {
                throw new IOException(name + ": no 'target' column in the header");
            }
            List<String> ordered = new ArrayList<>(header);
            ordered.remove(target);
            ordered.add("target");
            List<String[]> rows = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) continue;
                String[] cells = line.split("\t", -1);
                if (cells.length != header.size()) {
                    throw new IOException(name + ": line " + lineNo + " has " + cells.length + " cells, the header "
                            + header.size());
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
}
