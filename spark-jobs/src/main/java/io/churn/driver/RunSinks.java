package io.churn.driver;

import io.churn.live.StatsWriter;
import io.churn.network.Layout;
import io.churn.sink.Placement;
import io.churn.spec.LiveView;
import io.churn.spec.RunSpec;
import io.churn.train.CheckpointStore;
import io.churn.train.Checkpointing;
import io.churn.train.EpochListener;
import io.churn.train.EpochMetrics;
import io.churn.train.RunResult;
import io.churn.train.RunStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a sweep's run sinks are composed, for runs in tasks and data-parallel runs alike:
 * the live view when it is on ({@code liveView} null: off), and the removal of a complete run's
 * checkpoint unless {@code keepCheckpoints}. A new sink is added here. The ledger is not a sink:
 * {@link TrainPartition} claims each run before the sinks hear of it and writes its result under
 * the claim before they are told, so a checkpoint is removed only once the result that makes it
 * unneeded is stored, and never by an attempt that lost its run.
 */
public record RunSinks(LiveView liveView, Checkpointing checkpoints, boolean keepCheckpoints)
        implements RunSink.Factory {

    private static final Logger LOG = LoggerFactory.getLogger(RunSinks.class);

    @Override
    public RunSink open(Placement placement) throws Exception {
        List<RunSink> sinks = new ArrayList<>();
        try {
            if (liveView != null) {
                // with the view off nothing of DL4J's UI is loaded
                sinks.add(new View(new StatsWriter(liveView, RunSpec::runId, placement.executor())));
            }
            if (checkpoints.enabled() && !keepCheckpoints) {
                sinks.add(new CheckpointRemoval(checkpoints.store()));
            }
        } catch (Exception | Error e) {
            try {
                new All(sinks).close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return new All(sinks);
    }

    /** The live training view. */
    private record View(StatsWriter stats) implements RunSink {
        @Override
        public EpochListener epochs() {
            return stats;
        }

        @Override
        public void close() {
            stats.close();
        }
    }

    /** A complete or diverged run's checkpoint is no longer needed; one left behind only takes space. */
    private record CheckpointRemoval(CheckpointStore store) implements RunSink {
        @Override
        public void finished(RunResult result) {
            if (result.status() == RunStatus.FAILED) {
                return; // a retry goes on from it
            }
            try {
                store.remove(result.runId());
            } catch (IOException e) {
                LOG.warn("run {} is complete, but its checkpoint could not be removed: {}", result.runId(),
                        e.toString());
            }
        }
    }

    /** Every sink, told in order; all are closed, the first failure to close is thrown. */
    private record All(List<RunSink> sinks) implements RunSink, EpochListener {
        All {
            sinks = List.copyOf(sinks);
        }

        @Override
        public void starting(RunSpec run) throws Exception {
            for (RunSink s : sinks) s.starting(run);
        }

        @Override
        public EpochListener epochs() {
            return this;
        }

        @Override
        public void started(RunSpec run, Layout layout, String engine) {
            for (RunSink s : sinks) s.epochs().started(run, layout, engine);
        }

        @Override
        public void epoch(RunSpec run, int epoch, EpochMetrics metrics) {
            for (RunSink s : sinks) s.epochs().epoch(run, epoch, metrics);
        }

        @Override
        public void ended(RunSpec run) {
            for (RunSink s : sinks) s.epochs().ended(run);
        }

        @Override
        public void finished(RunResult result) throws Exception {
            for (RunSink s : sinks) s.finished(result);
        }

        @Override
        public void close() throws Exception {
            Exception first = null;
            for (RunSink s : sinks) {
                try {
                    s.close();
                } catch (Exception e) {
                    if (first == null) first = e; else first.addSuppressed(e);
                }
            }
            if (first != null) throw first;
        }
    }
}
