package io.churn.cli;

import static io.churn.cli.CommandOutput.churn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutCommandTest {

    @Test
    void prints_the_layout_for_a_bundled_dataset_as_json() throws Exception {
        CommandOutput r = churn("layout", "--dataset", "wine_quality_white", "--shape", "rectangle", "--depth", "3",
                "--size", "1024");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
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
        CommandOutput r = churn("layout", "--inputs", "2", "--outputs", "1", "--shape", "rectangle", "--depth", "3",
                "--size", "267");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(List.of(14, 14, 1), List.of(j.get("widths").get(0).asInt(), j.get("widths").get(1).asInt(),
                j.get("widths").get(2).asInt()));
        assertEquals(267, j.get("num_free_parameters").asLong());
        assertTrue(j.get("task").isNull());
    }

    @Test
    void exits_2_with_a_message_when_no_conformant_layout_exists() {
        CommandOutput r = churn("layout", "--inputs", "100", "--outputs", "5", "--shape", "rectangle",
                "--depth", "4", "--size", "20");
        assertEquals(Churn.BAD_INPUT, r.code());
        assertTrue(r.err().contains("no rectangle network of depth 4 has about 20 parameters"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void an_unknown_shape_names_the_allowed_ones() {
        CommandOutput r = churn("layout", "--inputs", "3", "--outputs", "1", "--shape", "round",
                "--depth", "3", "--size", "100");
        assertEquals(Churn.BAD_INPUT, r.code());
        assertTrue(r.err().contains("'round' is not a shape; allowed: rectangle, trapezoid"), r.err());
    }

    @Test
    void dataset_and_counts_are_exclusive() {
        CommandOutput r = churn("layout", "--dataset", "banana", "--inputs", "3", "--outputs", "1", "--shape",
                "rectangle", "--depth", "3", "--size", "100");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void datasets_lists_the_catalog() {
        CommandOutput r = churn("datasets");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("wine_quality_white     multiclass     4898    11      7"), r.out());
        assertTrue(r.out().contains("529_pollen             regression     3848     4      1"), r.out());
    }
}
