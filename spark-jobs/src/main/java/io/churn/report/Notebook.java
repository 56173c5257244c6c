package io.churn.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A notebook definition: Markdown in which every {@code ```sql} block is a Spark SQL cell. A SQL
 * cell shows its result as a table, or, when its first lines are {@code -- key: value} directives
 * naming a {@code chart}, as a chart (see {@link ChartSpec}); {@code -- rows: N} sets how many table
 * rows are shown. The text between SQL cells becomes Markdown cells. {@code ${name}} stands for the
 * sweep or PBT job the notebook is run over, in Markdown, directives and SQL alike, and so does
 * every other variable a run gives (a PBT job's {@code ${metric}} and {@code ${better}}: see
 * {@link ReportViews#pbt}).
 */
public record Notebook(String source, List<Cell> cells) {

    /** Table rows shown when a cell does not say. */
    public static final int DEFAULT_ROWS = 20;

    private static final Pattern DIRECTIVE = Pattern.compile("^--\\s*([a-z_]+)\\s*:\\s*(.*?)\\s*$");

    public Notebook {
        cells = List.copyOf(cells);
    }

    /** A cell of the definition. */
    public sealed interface Cell permits Markdown, Query {
    }

    /** Text, shown as it is. */
    public record Markdown(String text) implements Cell {
    }

    /** A Spark SQL query: {@code text} is the cell as written (directives included), {@code sql} what runs. */
    public record Query(String text, String sql, ChartSpec chart, int rows) implements Cell {
    }

    /** Parses a definition run over sweep or job {@code name}; errors name {@code source} and the line. */
    public static Notebook parse(String definition, String source, String name) {
        return parse(definition, source, Map.of("name", name));
    }

    /** Parses a definition with each {@code ${KEY}} replaced by its value in {@code variables}. */
    public static Notebook parse(String definition, String source, Map<String, String> variables) {
        String text = definition;
        for (Map.Entry<String, String> v : variables.entrySet()) {
            text = text.replace("${" + v.getKey() + "}", v.getValue());
        }
        List<Cell> cells = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        StringBuilder markdown = new StringBuilder();
        boolean otherFence = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!otherFence && line.strip().equals("```sql")) {
                addMarkdown(cells, markdown);
                int start = i + 1;
                int end = start;
                while (end < lines.length && !lines[end].strip().equals("```")) end++;
                if (end == lines.length) {
                    throw new IllegalArgumentException(source + " line " + (i + 1) + ": the SQL cell is not closed with ```");
                }
                cells.add(query(List.of(lines).subList(start, end), source, start + 1));
                i = end;
            } else {
                if (line.strip().startsWith("```")) otherFence = !otherFence;
                markdown.append(line).append('\n');
            }
        }
        addMarkdown(cells, markdown);
        return new Notebook(source, cells);
    }

    private static void addMarkdown(List<Cell> cells, StringBuilder markdown) {
        String text = markdown.toString().strip();
        if (!text.isEmpty()) cells.add(new Markdown(text));
        markdown.setLength(0);
    }

    private static Query query(List<String> lines, String source, int firstLine) {
        Map<String, String> directives = new LinkedHashMap<>();
        int body = 0;
        while (body < lines.size()) {
            Matcher m = DIRECTIVE.matcher(lines.get(body).strip());
            if (!m.matches()) break;
            if (!ChartSpec.KEYS.contains(m.group(1)) && !m.group(1).equals("rows")) {
                throw new IllegalArgumentException(source + " line " + (firstLine + body) + ": unknown directive '"
                        + m.group(1) + "'; known: rows, " + String.join(", ", ChartSpec.KEYS));
            }
            directives.put(m.group(1), m.group(2));
            body++;
        }
        String text = String.join("\n", lines).strip();
        String sql = String.join("\n", lines.subList(body, lines.size())).strip();
        if (sql.isEmpty()) {
            throw new IllegalArgumentException(source + " line " + firstLine + ": the SQL cell has no query");
        }
        int rows = DEFAULT_ROWS;
        String rowsValue = directives.remove("rows");
        if (rowsValue != null) {
            try {
                rows = Integer.parseInt(rowsValue);
            } catch (NumberFormatException e) {
                rows = -1;
            }
            if (rows < 1) {
                throw new IllegalArgumentException(source + " line " + firstLine + ": rows must be a positive number,"
                        + " not '" + rowsValue + "'");
            }
        }
        ChartSpec chart = directives.isEmpty() ? null : ChartSpec.of(directives, source + " line " + firstLine);
        return new Query(text, sql, chart, rows);
    }
}
