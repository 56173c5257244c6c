package io.churn.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A constant that specs, the CLI, Parquet and SQL name by one word: its {@link #specName}. */
public interface SpecWord {

    String specName();

    /**
     * The constant of {@code type} whose word is {@code value}; otherwise throws, saying it is not
     * {@code what} (e.g. "an optimizer"; null: not allowed) and listing the allowed words.
     */
    static <E extends Enum<E> & SpecWord> E parse(Class<E> type, String value, String what) {
        for (E e : type.getEnumConstants()) {
            if (e.specName().equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not " + (what == null ? "allowed" : what)
                + "; allowed: " + allowed(type));
    }

    /** The words of {@code type}'s constants, in declaration order, comma-separated. */
    static <E extends Enum<E> & SpecWord> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(SpecWord::specName).collect(Collectors.joining(", "));
    }
}
