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

    /** The widths of a network's hidden layers: all but the output layer, which the peer adds itself. */
    static List<Integer> hiddenWidths(Layout layout) {
        return layout.widths().subList(0, layout.widths().size() - 1);
    }

    /** Microseconds per step of the peer's copy of {@code layout}, at {@code batch} rows per step. */
    double microsPerStep(Layout layout, int batch) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--inputs", Integer.toString(inputs),
                "--outputs", Integer.toString(outputs), "--widths",
                hiddenWidths(layout).stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--rows", Integer.toString(rows), "--batch", Integer.toString(batch),
                "--epochs", Integer.toString(epochs))
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher m = MICROS.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("the PyTorch peer printed no timing: " + text.strip());
        }
        return Double.parseDouble(m.group(1));
    }
}
