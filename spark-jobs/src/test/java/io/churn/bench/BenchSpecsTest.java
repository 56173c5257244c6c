package io.churn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.churn.spec.SpecParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSpecsTest {

    @Test
    void the_recorded_spec_text_reads_back_as_the_sweep_the_benchmark_runs() {
        BenchSpecs.Sweep sweep = BenchSpecs.sweep("bench-test", 3, new BenchSpecs.GridValues("banana",
                List.of("rectangle", "trapezoid"), List.of(3, 4), List.of(256L, 1024L), 0.001, 32, 7));
        assertEquals(sweep.spec(), SpecParser.parse(sweep.json(), "bench"));
    }
}
