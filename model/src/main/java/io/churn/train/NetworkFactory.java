package io.churn.train;

import io.churn.data.PreparedDataset;
import io.churn.network.Layout;
import io.churn.spec.RunSpec;

/** Makes the network that trains a run, and names the engine its result records. */
public interface NetworkFactory {

    /** The {@code engine} recorded with a run of this layout; throws for a layout it cannot train. */
    String engineName(Layout layout);

    /** A new, initialized network for the run's layout and data. */
    TrainableNetwork create(RunSpec run, Layout layout, PreparedDataset data);
}
