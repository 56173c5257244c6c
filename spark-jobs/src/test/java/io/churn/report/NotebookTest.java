package io.churn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NotebookTest {

    static final String DEFINITION = """
            # Sweep ${name}

            Some text, and a shell example that is not a cell:

            ```bash
            churn report --sweep ${name}
            ```

            ```sql
            -- rows: 5
            SELECT * FROM runs WHERE sweep = '${name}'
            ```

            ## A chart

            ```sql
            -- chart: line
            -- title: Loss
            -- x: epoch
            -- y: best, median
            -- y_log: true
            SELECT epoch, min(loss) AS best, percentile(loss, 0.5) AS median FROM t GROUP BY epoch
            ```
            """;

    @Test
    void sql_blocks_become_cells_and_the_text_between_them_markdown() {
        Notebook nb = Notebook.parse(DEFINITION, "sweep.md", "quickstart");
        assertEquals(4, nb.cells().size());
        Notebook.Markdown intro = assertInstanceOf(Notebook.Markdown.class, nb.cells().get(0));
        assertTrue(intro.text().startsWith("# Sweep quickstart"), intro.text());
        assertTrue(intro.text().contains("```bash\nchurn report --sweep quickstart\n```"), intro.text());
        Notebook.Query table = assertInstanceOf(Notebook.Query.class, nb.cells().get(1));
        assertEquals("SELECT * FROM runs WHERE sweep = 'quickstart'", table.sql());
        assertEquals("-- rows: 5\nSELECT * FROM runs WHERE sweep = 'quickstart'", table.text());
        assertEquals(5, table.rows());
        assertNull(table.chart());
        assertInstanceOf(Notebook.Markdown.class, nb.cells().get(2));
    }

    @Test
    void directives_at_the_top_of_a_cell_describe_its_chart() {
        Notebook.Query q = (Notebook.Query) Notebook.parse(DEFINITION, "sweep.md", "x").cells().get(3);
        ChartSpec c = q.chart();
        assertEquals(ChartSpec.Kind.LINE, c.kind());
        assertEquals("Loss", c.title());
        assertEquals("epoch", c.x());
        assertEquals(List.of("best", "median"), c.y());
        assertTrue(c.yLog());
        assertEquals(Notebook.DEFAULT_ROWS, q.rows());
        assertTrue(q.sql().startsWith("SELECT epoch"), q.sql());
    }

    @Test
    void a_mistyped_directive_is_named_with_its_line() {
        String bad = "text\n\n```sql\n-- chart: line\n-- x: epoch\n-- yy: loss\nSELECT 1\n```\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Notebook.parse(bad, "mine.md", "n"));
        assertTrue(e.getMessage().startsWith("mine.md line 6: unknown directive 'yy'"), e.getMessage());
    }

    @Test
    void a_chart_without_its_required_columns_or_an_unclosed_cell_is_an_error() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Notebook.parse("```sql\n-- chart: heatmap\n-- x: a\n-- y: b\nSELECT 1\n```", "h.md", "n"));
        assertTrue(missing.getMessage().contains("a heatmap chart needs 'value'"), missing.getMessage());
        IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class,
                () -> Notebook.parse("# T\n```sql\nSELECT 1\n", "u.md", "n"));
        assertTrue(unclosed.getMessage().startsWith("u.md line 2: the SQL cell is not closed"), unclosed.getMessage());
    }
}
