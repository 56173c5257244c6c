package io.churn.network;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * BUTTER's layer-width profiles. Depth counts every dense layer including the output layer;
 * a profile maps the first layer's width {@code w0} to all {@code depth} widths.
 */
public enum Shape {
    RECTANGLE(0),
    TRAPEZOID(0),
    EXPONENTIAL(0),
    WIDE_FIRST(10),
    WIDE_FIRST_2X(2),
    WIDE_FIRST_4X(4),
    WIDE_FIRST_5X(5),
    WIDE_FIRST_8X(8),
    WIDE_FIRST_10X(10),
    WIDE_FIRST_16X(16),
    WIDE_FIRST_20X(20);

    /** For wide_first shapes: how many times wider the first layer is than the later hidden layers. */
    private final int wideFactor;

    Shape(int wideFactor) {
        this.wideFactor = wideFactor;
    }

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Suffix of a shape name whose hidden layers add skip connections (same widths, no extra parameters). */
    public static final String RESIDUAL = "_residual";

    /** The width profile of a shape name, with or without {@value #RESIDUAL}. */
    public static Shape fromSpecName(String value) {
        String profile = isResidual(value) ? value.substring(0, value.length() - RESIDUAL.length()) : value;
        for (Shape s : values()) {
            if (s.specName().equals(profile)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not a shape; allowed: " + allowed());
    }

    public static boolean isResidual(String shapeName) {
        return shapeName.endsWith(RESIDUAL);
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Shape::specName).collect(Collectors.joining(", "))
                + ", and each of these with " + RESIDUAL;
    }


    /**
     * The widths of all {@code depth} layers for a first-layer width {@code w0}; the last is
     * {@code nOut}. A new shape does not compile until it has a profile here.
     */
    public int[] widths(long w0, int depth, int nOut) {
        int[] w = new int[depth];
        w[depth - 1] = nOut;
        if (depth == 1) {
            return w;
        }
        w[0] = (int) w0;
        return switch (this) {
            case RECTANGLE -> rectangle(w, w0);
            case TRAPEZOID -> trapezoid(w, w0, nOut);
            case EXPONENTIAL -> exponential(w, w0, nOut);
            case WIDE_FIRST, WIDE_FIRST_2X, WIDE_FIRST_4X, WIDE_FIRST_5X, WIDE_FIRST_8X, WIDE_FIRST_10X,
                    WIDE_FIRST_16X, WIDE_FIRST_20X -> wideFirst(w, w0);
        };
    }

    private static int[] rectangle(int[] w, long w0) {
        Arrays.fill(w, 0, w.length - 1, (int) w0);
        return w;
    }

    private static int[] trapezoid(int[] w, long w0, int nOut) {
        double beta = (double) (w0 - nOut) / (w.length - 1);
        for (int k = 0; k < w.length - 1; k++) {
            w[k] = (int) Math.rint(w0 - beta * k);
        }
        return w;
    }

    private static int[] exponential(int[] w, long w0, int nOut) {
        double beta = Math.exp(Math.log((double) nOut / w0) / (w.length - 1));
        for (int k = 0; k < w.length - 1; k++) {
            w[k] = (int) Math.max(nOut, Math.rint(w0 * Math.pow(beta, k)));
        }
        return w;
    }

    private int[] wideFirst(int[] w, long w0) {
        int narrow = (int) Math.max(1, Math.rint((double) w0 / wideFactor));
        for (int k = 1; k < w.length - 1; k++) {
            w[k] = narrow;
        }
        return w;
    }
}
