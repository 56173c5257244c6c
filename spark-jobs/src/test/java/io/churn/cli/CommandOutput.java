package io.churn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the {@code churn} command line in this JVM, as a test sees it: its exit code and what it printed. */
record CommandOutput(int code, String out, String err) {

    /** Runs {@code churn ARGS...}, capturing its standard output and error. */
    static CommandOutput churn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Churn.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new CommandOutput(code, out.toString(), err.toString());
    }
}
