package io.churn.cli;

import picocli.CommandLine.Command;

/**
 * {@code churn bench}: measurements that print figures (never asserted in tests). Each subcommand
 * turns its flags into a benchmark of {@code io.churn.bench}, starts Spark where it needs it, and
 * prints the result.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
        subcommands = {BenchEnginesCommand.class, BenchButterCommand.class, BenchSweepCommand.class,
                BenchScaleCommand.class, BenchPbtCommand.class, BenchDataParallelCommand.class})
final class BenchCommand {
}
