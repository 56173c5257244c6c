package io.churn.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A notebook run: every SQL cell executed with Spark SQL against the views registered for it
 * ({@link ReportViews}), in order, each leaving a table or a chart.
 */
public record Report(String title, Notebook notebook, List<Executed> cells) {

    public Report {
        cells = List.copyOf(cells);
    }

    /**
     * A cell and what it showed: for a query, its execution count and a table or a PNG chart. The
     * id is stable from run to run (a chart's comes from its title), so exports diff cleanly.
     */
    public record Executed(String id, Notebook.Cell cell, int executionCount, Table table, byte[] png) {
    }

    /** Runs the notebook's queries; a query that Spark rejects is bad input, named by its cell. */
    public static Report run(SparkSession spark, Notebook notebook) {
        List<Executed> executed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int count = 0;
        for (int i = 0; i < notebook.cells().size(); i++) {
            Notebook.Cell cell = notebook.cells().get(i);
            if (!(cell instanceof Notebook.Query q)) {
                executed.add(new Executed(unique(ids, "markdown-" + (i + 1)), cell, 0, null, null));
                continue;
            }
            count++;
            try {
                Dataset<Row> result = spark.sql(q.sql());
                if (q.chart() == null) {
                    executed.add(new Executed(unique(ids, "sql-" + count), cell, count, Table.first(result, q.rows()),
                            null));
                } else {
                    executed.add(new Executed(unique(ids, slug(q.chart().title(), "chart-" + count)), cell, count,
                            null, Charts.png(q.chart(), Table.all(result))));
                }
            } catch (Exception e) {
                if (e instanceof AnalysisException || e instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException(notebook.source() + ", SQL cell " + count + ": "
                            + e.getMessage(), e);
                }
                throw e;
            }
        }
        return new Report(title(notebook), notebook, executed);
    }

    /** The first heading of the notebook, else its file name. */
    static String title(Notebook notebook) {
        for (Notebook.Cell c : notebook.cells()) {
            if (c instanceof Notebook.Markdown m) {
                for (String line : m.text().split("\n")) {
                    if (line.startsWith("#")) return line.replaceFirst("^#+\\s*", "").strip();
                }
            }
        }
        return notebook.source();
    }

    /** A chart's id: the first words of its title, lower case, joined by dashes (at most 40 characters). */
    static String slug(String title, String otherwise) {
        String slug = "";
        for (String word : title.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (word.isEmpty()) continue;
            if (slug.length() + word.length() + 1 > 40) break;
            slug = slug.isEmpty() ? word : slug + "-" + word;
        }
        return slug.isEmpty() ? otherwise : slug;
    }

    private static String unique(Set<String> ids, String id) {
        String candidate = id;
        for (int n = 2; !ids.add(candidate); n++) candidate = id + "-" + n;
        return candidate;
    }
}
