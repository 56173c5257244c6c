package io.churn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScratchTest {

    @Test
    void a_scratch_database_is_named_in_the_servers_url_with_its_parameters_kept() {
        assertEquals("jdbc:postgresql://db:5432/churn_bench_1",
                Scratch.withDatabase("jdbc:postgresql://db:5432/churn", "churn_bench_1"));
        assertEquals("jdbc:postgresql://db/churn_bench_1?sslmode=require&user=x",
                Scratch.withDatabase("jdbc:postgresql://db/churn?sslmode=require&user=x", "churn_bench_1"));
        assertEquals("jdbc:postgresql://db:5432/churn_bench_1",
                Scratch.withDatabase("jdbc:postgresql://db:5432", "churn_bench_1"));
        assertEquals("jdbc:postgresql://a:1,b:2/churn_bench_1",
                Scratch.withDatabase("jdbc:postgresql://a:1,b:2/", "churn_bench_1"));
        assertThrows(IllegalArgumentException.class, () -> Scratch.withDatabase("jdbc:mysql://db/x", "y"));
    }
}
