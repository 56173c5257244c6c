package io.churn.driver;

import io.churn.sink.Placement;
import io.churn.spec.RunSpec;
import io.churn.train.Checkpoint;
import io.churn.train.CheckpointStore;
import io.churn.train.EpochListener;
import io.churn.train.LostInEpoch;
import io.churn.train.RunResult;
import java.io.IOException;
import org.apache.spark.TaskContext;

/** Faults of a task (lost on its first attempt, or slow), injected by decorating what the task is given. */
final class TaskFaults {

    private TaskFaults() {
    }

    /** A sink that passes everything on: the faults override what they break. */
    static class Delegating implements RunSink {
        private final RunSink sink;

        Delegating(RunSink sink) {
            this.sink = sink;
        }

        @Override
        public void starting(RunSpec run) throws Exception {
            sink.starting(run);
        }

        @Override
        public EpochListener epochs() {
            return sink.epochs();
        }

        @Override
        public void finished(RunResult result) throws Exception {
            sink.finished(result);
        }

        @Override
        public void close() throws Exception {
            sink.close();
        }
    }

    static boolean firstAttempt() {
        TaskContext task = TaskContext.get();
        return task != null && task.attemptNumber() == 0;
    }

    /** Sinks whose task, on its first attempt, is lost once {@code results} results are stored. */
    record LostAfterResults(RunSink.Factory sinks, int results) implements RunSink.Factory {
        @Override
        public RunSink open(Placement placement) throws Exception {
            RunSink sink = sinks.open(placement);
            boolean first = firstAttempt();
            return new Delegating(sink) {
                int stored;

                @Override
                public void finished(RunResult result) throws Exception {
                    super.finished(result);
                    if (++stored == results && first) {
                        throw new IllegalStateException("injected fault: task lost after " + stored + " runs");
                    }
                }
            };
        }
    }

    /** A checkpoint store that, on a task's first attempt, is lost in epoch {@code epoch} ({@link LostInEpoch}). */
    record LostInEpochOnFirstAttempt(CheckpointStore store, int epoch) implements CheckpointStore {
        private CheckpointStore current() {
            return firstAttempt() ? new LostInEpoch(store, epoch) : store;
        }

        @Override
        public void save(Checkpoint checkpoint) throws IOException {
            current().save(checkpoint);
        }

        @Override
        public Checkpoint load(String runId) throws IOException {
            return current().load(runId);
        }

        @Override
        public void remove(String runId) throws IOException {
            current().remove(runId);
        }
    }

    /** Sinks whose task on partition {@code partition} pauses {@code millis} before training run {@code runId}. */
    record SlowRun(RunSink.Factory sinks, String runId, int partition, long millis) implements RunSink.Factory {
        @Override
        public RunSink open(Placement placement) throws Exception {
            RunSink sink = sinks.open(placement);
            TaskContext task = TaskContext.get();
            boolean slowed = task != null && task.partitionId() == partition;
            return new Delegating(sink) {
                @Override
                public void starting(RunSpec run) throws Exception {
                    if (slowed && run.runId().equals(runId)) {
                        Thread.sleep(millis);
                    }
                    super.starting(run);
                }
            };
        }
    }

    /** Sinks whose task on partition {@code partition} starts {@code millis} late, as a speculative copy does. */
    record LateStart(RunSink.Factory sinks, int partition, long millis) implements RunSink.Factory {
        @Override
        public RunSink open(Placement placement) throws Exception {
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == partition) {
                Thread.sleep(millis);
            }
            return sinks.open(placement);
        }
    }
}
