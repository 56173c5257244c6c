package io.churn.cli;

import io.churn.live.StatsServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code churn ui [STATS-DIR]}: DL4J's training UI on the live view, until Ctrl-C. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Open DL4J's training UI on the live view: the stats files of a --live-view directory, and the"
                + " runs of any sweep or PBT job streaming to it (--live-view http://HOST:PORT). Runs until Ctrl-C.")
final class UiCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9000",
            description = "The UI's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = StatsServer.LOOPBACK,
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
                    + " interface, so executors on other hosts can stream to it: the UI has no authentication).")
    String bind;

    @Parameters(paramLabel = "STATS-DIR", arity = "0..1",
            description = "A live view directory whose stats files to show (default: none, only streamed runs).")
    Path directory;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        StatsServer server = StatsServer.start(bind, port, directory);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                // the JVM is going away: nothing left to tell
            }
        }));
        out.printf("DL4J training UI at %s/train%n", server.address());
        if (!server.loopback()) {
            out.printf("  listening on %s without authentication: anyone who reaches the port sees and sends stats%n",
                    bind);
        }
        if (directory != null) {
            out.printf("  %d runs from %s%s%n", server.fileCount(), directory, server.busyCount() == 0 ? ""
                    : " (" + server.busyCount() + " still training, left out: open the UI again when they end)");
        }
        out.printf("  stream runs to it: churn sweep SPEC --live-view %s%n", server.address());
        out.println("Stop with Ctrl-C.");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
