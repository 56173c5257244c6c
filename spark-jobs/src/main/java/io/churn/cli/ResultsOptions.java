package io.churn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the Parquet results are, for commands that only read them. */
final class ResultsOptions {

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "churn-work",
            description = "Local work folder; the results default to DIR/results (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--results", paramLabel = "URI",
            description = "Parquet results, any Hadoop URI: hdfs://..., s3a://..., file:... (default: WORK-DIR/results).")
    String results;

    String uri() {
        return uri(results, workDir);
    }

    /** {@code results} when given, else WORK-DIR/results: where every command puts and finds the Parquet results. */
    static String uri(String results, Path workDir) {
        return results != null ? results : workDir.resolve("results").toAbsolutePath().toUri().toString();
    }
}
