package io.churn.bench;

import io.churn.network.Layout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The PyTorch peer ({@code torch_mlp.py}): trains one dense network the way a per-run sweep worker
 * would, one thread, Adam, on synthetic data of the same size, and reports its time per step.
 */
record TorchPeer(Path script, int inputs, int outputs, int rows, int epochs) {

    private static final Pattern MICROS = Pattern.compile("us_per_step=([0-9.]+)");
    private static final Pattern ENGINE = Pattern.compile("engine=(\\S+)");
    private static final Pattern BLAS = Pattern.compile("blas=(\\S+)");
    /** What OpenBLAS prints of the kernels it picked, when {@code OPENBLAS_VERBOSE=2}. */
    private static final Pattern CORE = Pattern.compile("Core: (\\S+)");

    /** The widths of a network's hidden layers: all but the output layer, which the peer adds itself. */
    static List<Integer> hiddenWidths(Layout layout) {
        return layout.widths().subList(0, layout.widths().size() - 1);
    }

    /** Microseconds per step of the peer's copy of {@code layout}, at {@code batch} rows per step. */
    double microsPerStep(Layout layout, int batch) throws IOException, InterruptedException {
        return Double.parseDouble(find(MICROS, run(layout, batch, false)));
    }

    /**
     * What the peer runs on, from one run of {@code layout}: its PyTorch, its BLAS library and the
     * kernels that OpenBLAS picked for this CPU ({@code torch-1.13.0a0 on openblas-pthread, core
     * Cooperlake}): a peer on slower kernels than the engines' is no fair peer.
     */
    String platform(Layout layout, int batch) throws IOException, InterruptedException {
        String text = run(layout, batch, true);
        Matcher core = CORE.matcher(text);
        return find(ENGINE, text) + " on " + find(BLAS, text) + (core.find() ? ", OpenBLAS core " + core.group(1) : "");
    }

    private String run(Layout layout, int batch, boolean verbose) throws IOException, InterruptedException {
        ProcessBuilder peer = new ProcessBuilder("/usr/bin/python3", script.toString(), "--inputs",
                Integer.toString(inputs), "--outputs", Integer.toString(outputs), "--widths",
                hiddenWidths(layout).stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--rows", Integer.toString(rows), "--batch", Integer.toString(batch),
                "--epochs", Integer.toString(epochs))
                .redirectErrorStream(true);
        if (verbose) peer.environment().put("OPENBLAS_VERBOSE", "2");
        Process p = peer.start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        if (!MICROS.matcher(text).find()) {
            throw new IllegalStateException("the PyTorch peer printed no timing: " + text.strip());
        }
        return text;
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "?";
    }
}
