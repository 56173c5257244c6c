package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LayoutCommandTest {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int churn(String... args) {
        CommandLine cli = Churn.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void prints_the_layout_for_a_bundled_dataset_as_json() throws Exception {
        assertEquals(0, churn("layout", "--dataset", "wine_quality_white", "--shape", "rectangle", "--depth", "3",
                "--size", "1024"), err.toString());
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertEquals("multiclass", j.get("task").asText());
        assertEquals(11, j.get("n_in").asInt());
        assertEquals(7, j.get("n_out").asInt());
        assertEquals(3, j.get("widths").size());
        assertEquals(7, j.get("widths").get(2).asInt());
        int w = j.get("widths").get(0).asInt();
        assertEquals((11 + 1) * w + (w + 1) * w + (w + 1) * 7, j.get("num_free_parameters").asLong());
    }

    @Test
    void takes_input_and_output_counts_instead_of_a_dataset() throws Exception {
        assertEquals(0, churn("layout", "--inputs", "2", "--outputs", "1", "--shape", "rectangle", "--depth", "3",
                "--size", "267"), err.toString());
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertEquals(List.of(14, 14, 1), List.of(j.get("widths").get(0).asInt(), j.get("widths").get(1).asInt(),
                j.get("widths").get(2).asInt()));
        assertEquals(267, j.get("num_free_parameters").asLong());
        assertTrue(j.get("task").isNull());
    }

    @Test
    void exits_2_with_a_message_when_no_conformant_layout_exists() {
        assertEquals(Churn.BAD_INPUT, churn("layout", "--inputs", "100", "--outputs", "5", "--shape", "rectangle",
                "--depth", "4", "--size", "20"));
        assertTrue(err.toString().contains("no rectangle network of depth 4 has about 20 parameters"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void an_unknown_shape_names_the_allowed_ones() {
        assertEquals(Churn.BAD_INPUT, churn("layout", "--inputs", "3", "--outputs", "1", "--shape", "round",
                "--depth", "3", "--size", "100"));
        assertTrue(err.toString().contains("'round' is not a shape; allowed: rectangle, trapezoid"), err.toString());
    }

    @Test
    void dataset_and_counts_are_exclusive() {
        assertEquals(2, churn("layout", "--dataset", "banana", "--inputs", "3", "--outputs", "1", "--shape",
                "rectangle", "--depth", "3", "--size", "100"));
        assertTrue(err.toString().contains("mutually exclusive"), err.toString());
    }

    @Test
    void datasets_lists_the_catalog() {
        assertEquals(0, churn("datasets"));
        assertTrue(out.toString().contains("wine_quality_white     multiclass     4898    11      7"), out.toString());
        assertTrue(out.toString().contains("529_pollen             regression     3848     4      1"), out.toString());
    }
}
