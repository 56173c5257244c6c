package io.churn.network;

import java.util.Arrays;

/**
 * Sizes a shape to a parameter budget as BUTTER's sweeps did (its 2022 aspect-test code): integer
 * bisection on the first layer's width over [1, 2^30), stopping at an exact match and keeping the
 * first-seen layout closest to the budget; a layout more than 20% off is rejected.
 */
public final class LayoutSolver {

    /** A layout further than this fraction from its budget is not a conformant network. */
    public static final double MAX_RELATIVE_ERROR = 0.2;
    private static final long MAX_FIRST_WIDTH = 1L << 30;

    private LayoutSolver() {
    }

    /** Solves for a shape name, residual or not: skip connections add no parameters. */
    public static Layout solve(String shapeName, int depth, long size, int nIn, int nOut) {
        Layout plain = solve(Shape.fromSpecName(shapeName), depth, size, nIn, nOut);
        return new Layout(shapeName, depth, nIn, nOut, plain.widths(), plain.numFreeParameters());
    }

    public static Layout solve(Shape shape, int depth, long size, int nIn, int nOut) {
        if (depth < 1 || nIn < 1 || nOut < 1 || size < 1) {
            throw new IllegalArgumentException("depth, size, inputs and outputs must all be >= 1");
        }
        // BUTTER's binary_search_int, step for step: the order of evaluation decides ties
        long lo = 1;
        long hi = MAX_FIRST_WIDTH;
        int[] best = null;
        long bestDelta = Long.MAX_VALUE;
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            int[] widths = shape.widths(mid, depth, nOut);
            long count = Layout.countParameters(nIn, widths);
            long delta = count == Long.MAX_VALUE ? Long.MAX_VALUE : count - size;
            if (best == null || Math.abs(delta) < Math.abs(bestDelta)) {
                best = widths;
                bestDelta = delta;
            }
            if (delta < 0) {
                lo = mid + 1;
            } else if (delta > 0) {
                hi = mid;
            } else {
                break;
            }
        }
        long count = Layout.countParameters(nIn, best);
        if (Math.abs((double) count - size) > MAX_RELATIVE_ERROR * size) {
            throw new NonConformantLayoutException(String.format(
                    "no %s network of depth %d has about %d parameters for %d inputs and %d outputs: "
                            + "the closest, widths %s, has %d (more than %.0f%% away)",
                    shape.specName(), depth, size, nIn, nOut, Arrays.toString(best), count,
                    MAX_RELATIVE_ERROR * 100));
        }
        return new Layout(shape.specName(), depth, nIn, nOut, Arrays.stream(best).boxed().toList(), count);
    }

    /** No layout of the shape and depth comes within {@link #MAX_RELATIVE_ERROR} of the budget. */
    public static final class NonConformantLayoutException extends IllegalArgumentException {
        public NonConformantLayoutException(String message) {
            super(message);
        }
    }
}
