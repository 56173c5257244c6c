package io.churn.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Optimizers a run may train with; the spec value is the lower-case name. */
public enum Optimizer {
    ADAM, SGD, RMSPROP;

    /** The name used in specs, SQL and Parquet. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optimizer fromSpecName(String value) {
        for (Optimizer o : values()) {
            if (o.specName().equals(value)) {
                return o;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not an optimizer; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Optimizer::specName).collect(Collectors.joining(", "));
    }
}
