package io.churn.cli;

import io.churn.report.Export;
import io.churn.report.Notebook;
import io.churn.report.Report;
import io.churn.report.ReportViews;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code churn report --sweep NAME | --pbt NAME}: a notebook run over the results, exported as .ipynb and .html. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Run a notebook over a sweep's or a PBT job's Parquet results with Spark SQL and export it as"
                + " a Jupyter notebook with its outputs (tables, PNG charts) and a self-contained HTML page."
                + " A sweep's summary (churn summarize) is computed first.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    /** Exactly one subject. */
    static final class Subject {
        @Option(names = "--sweep", paramLabel = "NAME", required = true, description = "Report on this sweep.")
        String sweep;

        @Option(names = "--pbt", paramLabel = "NAME", required = true, description = "Report on this PBT job.")
        String pbt;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(names = "--notebook", paramLabel = "FILE",
            description = "Notebook definition (Markdown with ```sql cells; see notebooks-export/README.md)"
                    + " (default: the bundled sweep.md or pbt.md).")
    Path notebook;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "notebooks-export",
            description = "Folder for NOTEBOOK-NAME.ipynb and NOTEBOOK-NAME.html (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--charts", paramLabel = "DIR",
            description = "Also write each chart as NOTEBOOK-NAME-CHART.png in this folder.")
    Path charts;

    @Mixin
    ResultsOptions results;

    @Override
    public Integer call() throws IOException {
        PrintWriter print = command.commandLine().getOut();
        // charts are drawn off screen: no window system is needed, nor wanted (a Dock icon on macOS)
        System.setProperty("java.awt.headless", "true");
        boolean sweep = subject.sweep != null;
        String name = sweep ? subject.sweep : subject.pbt;
        String definitionName = notebook != null ? notebook.getFileName().toString() : sweep ? "sweep.md" : "pbt.md";
        String definition = definition(definitionName);
        String base = definitionName.replaceFirst("\\.md$", "") + "-" + name;
        SparkSession spark = Sparks.start(Sparks.master(), "churn report " + name);
        try {
            Map<String, String> variables = Map.of("name", name);
            if (sweep) {
                ReportViews.sweep(spark, results.uri(), name);
            } else {
                variables = ReportViews.pbt(spark, results.uri(), name);
            }
            Report report = Report.run(spark, Notebook.parse(definition, definitionName, variables));
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(sweep ? "sweep" : "pbt", name);
            metadata.put("notebook", definitionName);
            List<Path> written = new ArrayList<>(Export.write(report, out, base, metadata));
            if (charts != null) written.addAll(Export.writeCharts(report, charts, base));
            print.printf("[%s] %s: %d cells, %d charts%n", name, report.title(), report.cells().size(),
                    report.cells().stream().filter(c -> c.png() != null).count());
            for (Path p : written) print.printf("  %s%n", p);
            print.printf("Open the .ipynb in Jupyter or VS Code, or the .html in a browser.%n");
            print.flush();
            return 0;
        } finally {
            spark.stop();
        }
    }

    private String definition(String definitionName) {
        if (notebook != null) {
            try {
                return Files.readString(notebook);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the notebook " + notebook + ": " + e.getMessage());
            }
        }
        try (InputStream in = ReportCommand.class.getResourceAsStream("/notebooks/" + definitionName)) {
            if (in == null) throw new IllegalStateException("the jar has no notebooks/" + definitionName);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
