package io.churn.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The hidden layers' activation; the output layer's follows from the task. */
public enum ActivationFunction {
    RELU, ELU, SELU, LEAKY_RELU, TANH, SIGMOID, SWISH;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActivationFunction fromSpecName(String value) {
        for (ActivationFunction a : values()) {
            if (a.specName().equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not an activation; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(ActivationFunction::specName).collect(Collectors.joining(", "));
    }
}
