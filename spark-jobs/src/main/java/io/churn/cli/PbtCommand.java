package io.churn.cli;

import io.churn.driver.PbtDriver;
import io.churn.pbt.PbtSpec;
import io.churn.pbt.PbtSpecParser;
import io.churn.sink.CandleOutput;
import io.churn.sink.ResultDataset;
import io.churn.sink.RunStore;
import io.churn.sink.SchemaMigration;
import io.churn.spec.LiveView;
import io.churn.train.Engine;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn pbt SPEC}: Population Based Training, one Spark stage per generation; resumes where it stopped. */
@Command(name = "pbt", mixinStandardHelpOptions = true,
        description = "Run Population Based Training: each generation is a Spark stage, weights are shared through"
                + " a Hadoop file system, and a job run again resumes after its last completed generation.")
final class PbtCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Parameters(paramLabel = "SPEC", description = "The PBT spec (JSON), e.g. conf/pbt/wine.json.")
    Path specFile;

    @Option(names = "--weights", paramLabel = "URI",
            description = "Weight store, any Hadoop URI (hdfs://...) (default: WORK-DIR/weights).")
    String weights;

    @Option(names = "--results", paramLabel = "URI",
            description = "Parquet results, any Hadoop URI (default: WORK-DIR/results).")
    String results;

    @Option(names = "--replay", description = "Then train the best member's hyperparameter schedule again from"
            + " fresh weights (job NAME.replay) and report it beside the PBT result.")
    boolean replay;

    @Option(names = "--live-view", paramLabel = "DIR|URL", converter = SweepJob.LiveViewConverter.class,
            description = "Show every member's epochs in DL4J's training UI: a stats file per member under this local"
                    + " directory, or streamed to a running churn ui at http://HOST:PORT (default: the spec's"
                    + " live_view, off unless it says).")
    LiveView liveView;

    @Option(names = "--engine", paramLabel = "E", converter = SweepJob.EngineConverter.class,
            description = "Train the members on this engine: auto, fused or dl4j (default: auto, as a sweep's runs)."
                    + " A member that goes on from saved weights trains on the engine that saved them.")
    Engine engine = Engine.AUTO;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        PbtSpec read = PbtSpecParser.read(specFile);
        PbtSpec spec = liveView == null ? read : read.withLiveView(liveView);
        String master = SweepJob.master(database);
        String weightsUri = weights != null ? weights
                : database.workDir.resolve("weights").toAbsolutePath().toUri().toString();
        String resultsUri = ResultsOptions.uri(results, database.workDir);
        try (DatabaseOptions.Open db = database.open(out)) {
            SchemaMigration.migrate(db.settings());
            SparkSession spark = Sparks.start(master, "churn pbt " + spec.name());
            try {
                PbtDriver.Summary s = PbtDriver.run(spark, spec, Files.readString(specFile), db.settings(), weightsUri,
                        resultsUri, new PrintStream(System.out, true), engine);
                if (replay) {
                    PbtDriver.replay(spark, spec, Files.readString(specFile), db.settings(), weightsUri, resultsUri, s,
                            new PrintStream(System.out, true), engine);
                }
                out.printf("%n[%s] done: best member %d, %s %.4f after %d generations%n", s.job(), s.bestMember(),
                        spec.metric(), s.bestScore(), s.generations());
                out.printf("Results:%n  Parquet     %s (per member, per epoch)%n",
                        ResultDataset.PBT_EPOCH.partitionUri(resultsUri, s.job()));
                out.printf("              %s (who copied whom)%n",
                        ResultDataset.PBT_LINEAGE.partitionUri(resultsUri, s.job()));
                out.printf("  CANDLE      %s (CANDLE's columns, per member, per epoch)%n",
                        CandleOutput.uri(resultsUri, s.job()));
                out.printf("  PostgreSQL  %s  (tables pbt, pbt_member, pbt_epoch, pbt_score, pbt_lineage)%n",
                        db.settings());
                out.printf("  Weights     %s/%s/gen-G/member-M%n", weightsUri.replaceAll("/+$", ""), s.job());
                out.flush();
                return 0;
            } finally {
                spark.stop();
            }
        }
    }
}
