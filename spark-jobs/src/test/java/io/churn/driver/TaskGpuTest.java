package io.churn.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class TaskGpuTest {

    @Test
    void a_task_trains_on_the_first_gpu_address_spark_assigned_it() {
        var gpus = Map.of("gpu", new ResourceInformation("gpu", new String[] {"3", "1"}));
        assertEquals(Optional.of(3), TaskGpu.assigned(gpus));
    }

    @Test
    void a_task_without_a_gpu_binds_nothing() {
        assertEquals(Optional.empty(), TaskGpu.assigned(Map.of()));
        assertEquals(Optional.empty(), TaskGpu.assigned(
                Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"}))));
    }
}
