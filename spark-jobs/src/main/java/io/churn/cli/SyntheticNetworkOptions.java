package io.churn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The synthetic data the step-timing benchmarks train on, and the PyTorch peer they compare with. */
final class SyntheticNetworkOptions {

    @Option(names = "--inputs", defaultValue = "26", description = "Input columns (default: ${DEFAULT-VALUE}).")
    int inputs;
    @Option(names = "--outputs", defaultValue = "4", description = "Classes (default: ${DEFAULT-VALUE}).")
    int outputs;
    @Option(names = "--rows", defaultValue = "12958", description = "Rows per epoch (default: ${DEFAULT-VALUE}).")
    int rows;
    @Option(names = "--torch", paramLabel = "SCRIPT",
            description = "The PyTorch peer script, run with /usr/bin/python3 (e.g. ../shared/peers/torch_mlp.py).")
    Path torch;
}
