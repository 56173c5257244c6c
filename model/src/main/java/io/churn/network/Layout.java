package io.churn.network;

import java.io.Serializable;
import java.util.List;

/** A concrete dense network: its input count and the width of every layer, output layer last. */
public record Layout(String shape, int depth, int nIn, int nOut, List<Integer> widths, long numFreeParameters)
        implements Serializable {

    public Layout {
        widths = List.copyOf(widths);
    }

    /** Weights plus biases of a dense stack: each layer has {@code (inputs + 1) * width}. */
    public static long countParameters(int nIn, int[] widths) {
        long total = 0;
        long inputs = nIn;
        try {
            for (int w : widths) {
                total = Math.addExact(total, Math.multiplyExact(inputs + 1, (long) w));
                inputs = w;
            }
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return total;
    }
}
