package io.churn.driver;

import java.util.Map;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceUtils;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU Spark's resource scheduling assigned a task ({@code spark.task.resource.gpu.amount}).
 * ND4J's CUDA backend would otherwise spread threads over every GPU it sees, whatever Spark
 * assigned; binding the task's thread to the assigned GPU keeps tasks that share an executor's
 * GPUs from landing on one another's. A task without a GPU (the CPU backend) binds nothing.
 */
final class TaskGpu {

    private static final Logger LOG = LoggerFactory.getLogger(TaskGpu.class);

    private TaskGpu() {
    }

    /** The CUDA device of the first GPU address among a task's resources, if it was given one. */
    static Optional<Integer> assigned(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources.get(ResourceUtils.GPU());
        if (gpu == null || gpu.addresses().length == 0) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(gpu.addresses()[0].trim()));
    }

    /** Makes ND4J allocate and compute on the task's GPU from this thread, when it has one. */
    static void bind(TaskContext task) {
        if (task == null) {
            return;
        }
        assigned(task.resourcesJMap()).ifPresent(device -> {
            Nd4j.getAffinityManager().unsafeSetDevice(device);
            LOG.info("task {} (partition {}) trains on GPU {}", task.taskAttemptId(), task.partitionId(), device);
        });
    }
}
