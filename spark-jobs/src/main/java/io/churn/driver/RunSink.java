package io.churn.driver;

import io.churn.sink.Placement;
import io.churn.spec.RunSpec;
import io.churn.train.EpochListener;
import io.churn.train.RunResult;
import java.io.Serializable;

/**
 * One destination of what training produces, told of every run a task (or a data-parallel job)
 * trains: before the run trains, of its epochs as they are measured, and of its result. A sink that
 * throws fails the task, for Spark to retry. {@link RunSinks} composes the sinks of a sweep.
 */
public interface RunSink extends AutoCloseable {

    /** Before {@code run} trains. */
    default void starting(RunSpec run) throws Exception {
    }

    /** Where the run's epochs go as they are measured; must not throw. */
    default EpochListener epochs() {
        return EpochListener.NONE;
    }

    /** After the run trained: complete, diverged or failed. */
    default void finished(RunResult result) throws Exception {
    }

    @Override
    default void close() throws Exception {
    }

    /** Opens the sinks of one task on its executor, or of a data-parallel run on the driver; shipped to executors. */
    interface Factory extends Serializable {
        RunSink open(Placement placement) throws Exception;
    }
}
