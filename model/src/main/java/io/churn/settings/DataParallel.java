package io.churn.settings;

import java.io.Serializable;

/**
 * Which runs of a sweep are trained data-parallel, each across the whole cluster, instead of as one
 * task: those whose estimated cost (parameters × training rows × epochs, the cost the planner
 * balances partitions by) is at least {@code minimumCost}. Like the engine, it is not part of a
 * run's identity.
 */
public record DataParallel(double minimumCost) implements Serializable {

    public static final DataParallel NEVER = new DataParallel(Double.POSITIVE_INFINITY);
    public static final DataParallel ALWAYS = new DataParallel(0);
    public static final String ALLOWED = "\"never\", \"always\", or a number >= 0: the least estimated cost"
            + " (parameters x training rows x epochs) of a run trained data-parallel";

    public DataParallel {
        if (!(minimumCost >= 0)) {
            throw new IllegalArgumentException("the least cost must be >= 0, not " + minimumCost);
        }
    }

    /** Whether a run of this estimated cost is trained data-parallel. */
    public boolean selects(double cost) {
        return cost >= minimumCost;
    }

    /** {@code never}, {@code always} or a cost; throws {@link IllegalArgumentException} naming the allowed values. */
    public static DataParallel parse(String value) {
        if ("never".equals(value)) {
            return NEVER;
        }
        if ("always".equals(value)) {
            return ALWAYS;
        }
        try {
            double cost = Double.parseDouble(value);
            if (cost >= 0 && cost < Double.POSITIVE_INFINITY) {
                return new DataParallel(cost);
            }
        } catch (NumberFormatException e) {
            // not a number: reported below
        }
        throw new IllegalArgumentException("'" + value + "' is not allowed; use " + ALLOWED);
    }

    /** How the spec writes it. */
    public String specName() {
        if (equals(NEVER)) return "never";
        if (equals(ALWAYS)) return "always";
        return Double.toString(minimumCost);
    }
}
