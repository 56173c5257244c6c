package io.churn.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Writes a {@link Report} as a Jupyter notebook (nbformat 4.5, outputs embedded: tables as HTML
 * and text, charts as base64 PNG) and as one self-contained HTML page (charts as data URIs), so
 * it opens in Jupyter, VS Code, GitHub or any browser with nothing else to fetch.
 */
public final class Export {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<Extension> MARKDOWN = List.of(TablesExtension.create());
    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; line-height: 1.5;
                   max-width: 1300px; margin: 2em auto; padding: 0 1.5em; }
            h1, h2, h3 { line-height: 1.25; }
            code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 90%; }
            pre.sql { background: #f6f8fa; border-left: 3px solid #4e79a7; padding: .7em 1em; overflow-x: auto;
                      font-size: 13px; }
            .in { color: #888; font-size: 12px; margin-top: 1.5em; }
            table.dataframe { border-collapse: collapse; font-size: 13px; margin: .6em 0; }
            table.dataframe th, table.dataframe td { border-bottom: 1px solid #ddd; padding: 3px 9px; text-align: left; }
            table.dataframe th { border-bottom: 2px solid #aaa; }
            table.dataframe td.number { text-align: right; font-variant-numeric: tabular-nums; }
            p.more { color: #888; font-size: 12px; }
            img.chart { max-width: 100%; height: auto; display: block; margin: .6em 0; }
            """;

    private Export() {
    }

    /**
     * Writes {@code BASE.ipynb} and {@code BASE.html} in {@code folder}; {@code metadata} goes into
     * the notebook's metadata under "churn". Returns the paths.
     */
    public static List<Path> write(Report report, Path folder, String base, Map<String, String> metadata)
            throws IOException {
        Files.createDirectories(folder);
        Path notebook = folder.resolve(base + ".ipynb");
        Path html = folder.resolve(base + ".html");
        Files.writeString(notebook, ipynb(report, metadata));
        Files.writeString(html, html(report));
        return List.of(notebook, html);
    }

    /** Writes every chart as {@code BASE-ID.png} in {@code folder}; returns the paths. */
    public static List<Path> writeCharts(Report report, Path folder, String base) throws IOException {
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        for (Report.Executed e : report.cells()) {
            if (e.png() != null) {
                written.add(Files.write(folder.resolve(base + "-" + e.id() + ".png"), e.png()));
            }
        }
        return written;
    }

    /** The notebook as nbformat 4.5 JSON. */
    public static String ipynb(Report report, Map<String, String> metadata) {
        ObjectNode nb = JSON.createObjectNode();
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        ObjectNode meta = nb.putObject("metadata");
        meta.putObject("language_info").put("name", "sql");
        ObjectNode churn = meta.putObject("churn");
        metadata.forEach(churn::put);
        ArrayNode cells = nb.putArray("cells");
        for (Report.Executed e : report.cells()) {
            ObjectNode cell = cells.addObject();
            cell.put("id", e.id());
            cell.putObject("metadata");
            if (e.cell() instanceof Notebook.Markdown m) {
                cell.put("cell_type", "markdown");
                lines(cell.putArray("source"), m.text());
                continue;
            }
            Notebook.Query q = (Notebook.Query) e.cell();
            cell.put("cell_type", "code");
            cell.put("execution_count", e.executionCount());
            lines(cell.putArray("source"), q.text());
            ArrayNode outputs = cell.putArray("outputs");
            ObjectNode out = outputs.addObject();
            if (e.png() != null) {
                out.put("output_type", "display_data");
                ObjectNode data = out.putObject("data");
                data.put("image/png", Base64.getEncoder().encodeToString(e.png()));
                lines(data.putArray("text/plain"), q.chart().title());
                out.putObject("metadata");
            } else {
                out.put("output_type", "execute_result");
                out.put("execution_count", e.executionCount());
                ObjectNode data = out.putObject("data");
                lines(data.putArray("text/html"), e.table().html());
                lines(data.putArray("text/plain"), e.table().text());
                out.putObject("metadata");
            }
        }
        try {
            return JSON.writeValueAsString(nb) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The notebook as one HTML page with nothing to fetch. */
    public static String html(Report report) {
        Parser parser = Parser.builder().extensions(MARKDOWN).build();
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(MARKDOWN).escapeHtml(true).build();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Table.escape(report.title())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
        for (Report.Executed e : report.cells()) {
            h.append("<section id=\"").append(e.id()).append("\">\n");
            if (e.cell() instanceof Notebook.Markdown m) {
                h.append(renderer.render(parser.parse(m.text())));
            } else {
                Notebook.Query q = (Notebook.Query) e.cell();
                h.append("<div class=\"in\">In [").append(e.executionCount()).append("]</div>\n")
                        .append("<pre class=\"sql\"><code>").append(Table.escape(q.text())).append("</code></pre>\n");
                if (e.png() != null) {
                    h.append("<img class=\"chart\" alt=\"").append(Table.escape(q.chart().title()))
                            .append("\" src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(e.png())).append("\">\n");
                } else {
                    h.append(e.table().html()).append('\n');
                }
            }
            h.append("</section>\n");
        }
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    /** Jupyter's multiline strings: one entry per line, each but the last ending in a newline. */
    private static void lines(ArrayNode array, String text) {
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i < parts.length - 1) {
                array.add(parts[i] + "\n");
            } else if (!parts[i].isEmpty()) {
                array.add(parts[i]);
            }
        }
    }
}
