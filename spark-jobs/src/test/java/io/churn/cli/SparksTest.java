package io.churn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparksTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "local          | local[1,4]",
            "local[*]       | local[*,4]",
            "local[2]       | local[2,4]",
            "local[2,3]     | local[2,3]",
            "local-cluster[2,1,1024] | local-cluster[2,1,1024]",
            "spark://m:7077 | spark://m:7077",
            "yarn           | yarn",
    })
    void a_local_master_retries_failed_tasks_as_a_cluster_does(String master, String expected) {
        assertEquals(expected, Sparks.withTaskRetries(master));
    }
}
