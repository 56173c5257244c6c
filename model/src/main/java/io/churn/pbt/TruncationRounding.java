package io.churn.pbt;

import io.churn.spec.SpecWord;
import java.util.Locale;

/**
 * How truncation turns its fraction of a population of n into a number of members (the bottom that
 * copies, and the top it copies from); never more than half. {@code floor}: floor(n × fraction), at
 * least one (Churn's default); {@code round}: round(n × fraction), none below 3 members at 0.2
 * (CANDLE's {@code truncation_select}: {@code int(round(size / 5.0))}); {@code ceil}: ceil(n ×
 * fraction) (Ray Tune's {@code PopulationBasedTraining}).
 */
public enum TruncationRounding implements SpecWord {
    FLOOR, ROUND, CEIL;

    /** The number of members truncation replaces in a population of {@code population}. */
    public int count(int population, double fraction) {
        if (population < 2 || fraction <= 0) return 0;
        double exact = population * fraction;
        int n = switch (this) {
            case FLOOR -> Math.max(1, (int) Math.floor(exact));
            case ROUND -> (int) Math.round(exact);
            case CEIL -> (int) Math.ceil(exact);
        };
        return Math.min(population / 2, n);
    }

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TruncationRounding fromSpecName(String value) {
        return SpecWord.parse(TruncationRounding.class, value, null);
    }

    /** Prints as its spec word. */
    @Override
    public String toString() {
        return specName();
    }
}
