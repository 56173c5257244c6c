package io.churn.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.churn.spec.LiveView;
import io.churn.spec.SpecParser;
import io.churn.train.Engine;
import java.io.Serializable;
import java.net.URI;
import java.util.List;

/**
 * How a sweep runs, apart from what it runs: the engine, which runs train data-parallel, checkpoints
 * and the live view ({@code liveView} null: off). None of it is part of any run's identity. Read
 * from the sweep file beside its {@link io.churn.spec.SweepSpec}; the command line overrides each.
 */
public record SweepSettings(Engine engine, DataParallel dataParallel, CheckpointSettings checkpoints,
                            LiveView liveView) implements Serializable {

    /** What a file that says nothing of how it runs gets. */
    public static final SweepSettings DEFAULT = new SweepSettings(Engine.AUTO, DataParallel.NEVER,
            CheckpointSettings.NONE, null);

    public SweepSettings withEngine(Engine other) {
        return new SweepSettings(other, dataParallel, checkpoints, liveView);
    }

    public SweepSettings withDataParallel(DataParallel other) {
        return new SweepSettings(engine, other, checkpoints, liveView);
    }

    public SweepSettings withCheckpoints(CheckpointSettings other) {
        return new SweepSettings(engine, dataParallel, other, liveView);
    }

    public SweepSettings withLiveView(LiveView other) {
        return new SweepSettings(engine, dataParallel, checkpoints, other);
    }

    /**
     * The settings a sweep file's keys {@code engine}, {@code data_parallel}, {@code checkpoint_*} and
     * {@code live_view} give, defaults for those absent; a problem for each bad value.
     */
    static SweepSettings read(JsonNode root, List<String> problems) {
        Engine engine = Engine.AUTO;
        JsonNode engineNode = root.get("engine");
        if (engineNode != null) {
            try {
                engine = Engine.fromSpecName(engineNode.asText());
            } catch (IllegalArgumentException e) {
                problems.add("engine: " + e.getMessage());
            }
        }
        DataParallel dataParallel = DataParallel.NEVER;
        JsonNode dataParallelNode = root.get("data_parallel");
        if (dataParallelNode != null) {
            try {
                dataParallel = DataParallel.parse(dataParallelNode.isValueNode() ? dataParallelNode.asText()
                        : dataParallelNode.toString());
            } catch (IllegalArgumentException e) {
                problems.add("data_parallel: " + e.getMessage());
            }
        }
        return new SweepSettings(engine, dataParallel, checkpoints(root, problems), SpecParser.liveView(root, problems));
    }

    /** {@code checkpoint_epochs}, {@code checkpoint_dir} and {@code keep_checkpoints}. */
    private static CheckpointSettings checkpoints(JsonNode root, List<String> problems) {
        int epochs = (int) SpecParser.integer(root, "checkpoint_epochs", 0, 1, 1_000_000, problems);
        String directory = null;
        JsonNode dir = root.get("checkpoint_dir");
        if (dir != null) {
            try {
                directory = SpecParser.text(dir, s -> {
                    if (s.isBlank()) {
                        throw new IllegalArgumentException("the folder is empty");
                    }
                    URI.create(s.replace(" ", "%20"));
                    return s;
                });
            } catch (IllegalArgumentException e) {
                problems.add("checkpoint_dir: " + e.getMessage() + "; use a path or Hadoop URI (hdfs://, s3a://, file:)");
            }
        }
        boolean keep = false;
        JsonNode keepNode = root.get("keep_checkpoints");
        if (keepNode != null) {
            if (keepNode.isBoolean()) {
                keep = keepNode.asBoolean();
            } else {
                problems.add("keep_checkpoints: " + keepNode + " is not allowed; use true or false");
            }
        }
        return new CheckpointSettings(epochs, directory, keep);
    }
}
