package io.churn.spec;

import java.io.Serializable;

/**
 * An L1/L2 penalty, on the dense layers' weights ({@code kernel_regularizer}) or biases
 * ({@code bias_regularizer}). Spec syntax: {@code none}, {@code l1:RATE},
 * {@code l2:RATE} or {@code l1l2:L1RATE:L2RATE}; {@link #toString()} gives the canonical form.
 */
public record KernelRegularizer(double l1, double l2) implements Serializable {

    public static final KernelRegularizer NONE = new KernelRegularizer(0, 0);
    public static final String SYNTAX = "none, l1:RATE, l2:RATE or l1l2:L1RATE:L2RATE with RATE >= 0";

    public KernelRegularizer {
        if (!(l1 >= 0) || !(l2 >= 0) || Double.isInfinite(l1) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("regularization rates must be finite and >= 0");
        }
    }

    public static KernelRegularizer parse(String value) {
        String[] parts = value.trim().split(":", -1);
        try {
            switch (parts[0]) {
                case "none":
                    if (parts.length == 1) return NONE;
                    break;
                case "l1":
                    if (parts.length == 2) return new KernelRegularizer(Double.parseDouble(parts[1]), 0);
                    break;
                case "l2":
                    if (parts.length == 2) return new KernelRegularizer(0, Double.parseDouble(parts[1]));
                    break;
                case "l1l2":
                    if (parts.length == 3) {
                        return new KernelRegularizer(Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
                    }
                    break;
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the syntax message below
        }
        throw new IllegalArgumentException("'" + value + "' is not a kernel regularizer; allowed: " + SYNTAX);
    }

    @Override
    public String toString() {
        if (l1 == 0 && l2 == 0) return "none";
        if (l2 == 0) return "l1:" + l1;
        if (l1 == 0) return "l2:" + l2;
        return "l1l2:" + l1 + ":" + l2;
    }
}
