package io.churn.spec;

import java.util.Locale;

/** Optimizers a run may train with; the spec value is the lower-case name. */
public enum Optimizer implements SpecWord {
    ADAM, SGD, RMSPROP;

    /** The name used in specs, SQL and Parquet. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optimizer fromSpecName(String value) {
        return SpecWord.parse(Optimizer.class, value, "an optimizer");
    }

    public static String allowed() {
        return SpecWord.allowed(Optimizer.class);
    }
}
