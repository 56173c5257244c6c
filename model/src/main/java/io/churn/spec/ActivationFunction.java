package io.churn.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The hidden layers' activation; the output layer's follows from the task. The last five are Keras
 * activations that CANDLE parameter files list ({@code linear} is the identity, {@code hard_sigmoid}
 * Keras 2's {@code clip(0.2 x + 0.5, 0, 1)}, as DL4J's). Both training engines train all but
 * {@code softmax}, which specs name but which is refused until the fused engine trains it ({@link #trainable}).
 */
public enum ActivationFunction implements SpecWord {
    RELU, ELU, SELU, LEAKY_RELU, TANH, SIGMOID, SWISH, SOFTPLUS, SOFTSIGN, HARD_SIGMOID, LINEAR, SOFTMAX;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActivationFunction fromSpecName(String value) {
        return SpecWord.parse(ActivationFunction.class, value, "an activation");
    }

    /** Whether both training engines (fused and DL4J) train this activation. */
    public boolean trained() {
        return switch (this) {
            case RELU, ELU, SELU, LEAKY_RELU, TANH, SIGMOID, SWISH, SOFTPLUS, SOFTSIGN, HARD_SIGMOID, LINEAR -> true;
            case SOFTMAX -> false;
        };
    }

    /** {@link #fromSpecName}, refusing an activation the training engines do not train yet. */
    public static ActivationFunction trainable(String value) {
        ActivationFunction a = fromSpecName(value);
        if (!a.trained()) {
            throw new IllegalArgumentException("'" + value + "' is a known activation, but the training engines do not"
                    + " train it yet; trained now: " + Arrays.stream(values()).filter(ActivationFunction::trained)
                    .map(ActivationFunction::specName).collect(Collectors.joining(", ")));
        }
        return a;
    }

    public static String allowed() {
        return SpecWord.allowed(ActivationFunction.class);
    }
}
