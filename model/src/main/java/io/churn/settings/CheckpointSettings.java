package io.churn.settings;

import java.io.Serializable;

/**
 * A sweep's checkpoints: every {@code epochs} epochs (0: none) into {@code directory} (any Hadoop
 * URI; null until the command line settles it), deleted once a run is complete unless {@code keep}.
 * Not part of any run's identity.
 */
public record CheckpointSettings(int epochs, String directory, boolean keep) implements Serializable {

    public static final CheckpointSettings NONE = new CheckpointSettings(0, null, false);

    public boolean enabled() {
        return epochs > 0;
    }
}
