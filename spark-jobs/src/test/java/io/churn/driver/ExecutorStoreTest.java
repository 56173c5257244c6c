package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.churn.TestDatabase;
import io.churn.sink.DatabaseSettings;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ExecutorStoreTest {

    @Test
    void the_connection_bound_defaults_to_two_and_a_bad_one_is_refused_naming_the_setting() {
        assertEquals(2, ExecutorStore.connections(new SparkConf(false)));
        assertEquals(5, ExecutorStore.connections(new SparkConf(false).set(ExecutorStore.CONNECTIONS, "5")));
        for (String bad : new String[] {"0", "-1", "two", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecutorStore.connections(new SparkConf(false).set(ExecutorStore.CONNECTIONS, bad)));
            assertTrue(e.getMessage().startsWith("spark.churn.executor.connections: '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        }
    }

    @Test
    void an_executors_tasks_share_one_store_until_the_last_gives_it_back() throws Exception {
        DatabaseSettings db = TestDatabase.create(ExecutorStoreTest.class);
        ExecutorStore first = ExecutorStore.acquire(db, 2);
        ExecutorStore second = ExecutorStore.acquire(db, 2);
        assertSame(first.store(), second.store());
        first.close();
        // still open for the second task
        assertTrue(second.store().ledger().completed(java.util.Set.of("none")).isEmpty());
        second.close();
        try (ExecutorStore next = ExecutorStore.acquire(db, 2)) {
            assertNotSame(first.store(), next.store(), "the last task closed it: the next one opens a new one");
        }
    }
}
