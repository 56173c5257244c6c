package io.churn.pbt;

import io.churn.spec.SpecWord;
import java.util.List;
import java.util.Locale;

/**
 * Named exploit and explore rules; a spec's own {@code exploit} and {@code explore} keys override
 * a preset's values one by one.
 *
 * <ul>
 *   <li>{@code paper} (the default): Jaderberg et al. 2017, "Population Based Training of Neural
 *       Networks": the bottom 20% (rounded down, at least one) copies a random member of the top
 *       20%, each hyperparameter resampled with probability 0.25, else multiplied by 0.8 or 1.2 and
 *       clipped to its range.
 *   <li>{@code ray}: Ray Tune's {@code PopulationBasedTraining} defaults: quantile 0.25 rounded up
 *       (at most half), factors 1.2 or 0.8, resample probability 0.25, no clipping.
 *   <li>{@code candle}: CANDLE's PBT workflow ({@code Supervisor/workflows/pbt}, {@code tc1_pbt.py}):
 *       the bottom {@code round(n / 5)} copies the weights of a random member of the top
 *       {@code round(n / 5)}, takes its learning rate multiplied by 0.8, 1.2 or 1 (a third each, as
 *       {@code ModelWorker.update} draws) and keeps its own other hyperparameters; no resampling, no
 *       clipping.
 * </ul>
 */
public enum Preset implements SpecWord {
    PAPER(new PbtSpec.Exploit(ExploitMethod.TRUNCATION, 0.2, TruncationRounding.FLOOR),
            new PbtSpec.Explore(List.of(0.8, 1.2), 0.25, true, List.of())),
    RAY(new PbtSpec.Exploit(ExploitMethod.TRUNCATION, 0.25, TruncationRounding.CEIL),
            new PbtSpec.Explore(List.of(1.2, 0.8), 0.25, false, List.of())),
    CANDLE(new PbtSpec.Exploit(ExploitMethod.TRUNCATION, 0.2, TruncationRounding.ROUND),
            new PbtSpec.Explore(List.of(0.8, 1.2, 1.0), 0, false, List.of("learning_rate")));

    private final PbtSpec.Exploit exploit;
    private final PbtSpec.Explore explore;

    Preset(PbtSpec.Exploit exploit, PbtSpec.Explore explore) {
        this.exploit = exploit;
        this.explore = explore;
    }

    /** Who copies whom under this preset. */
    public PbtSpec.Exploit exploit() {
        return exploit;
    }

    /** How copies move under this preset. */
    public PbtSpec.Explore explore() {
        return explore;
    }

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Preset fromSpecName(String value) {
        return SpecWord.parse(Preset.class, value, null);
    }

    /** Prints as its spec word. */
    @Override
    public String toString() {
        return specName();
    }
}
