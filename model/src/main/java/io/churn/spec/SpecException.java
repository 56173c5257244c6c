package io.churn.spec;

import java.util.List;

/** A sweep spec that cannot run; the message lists every problem found, each naming its key. */
public final class SpecException extends RuntimeException {
    private final List<String> problems;

    public SpecException(String source, List<String> problems) {
        super("invalid sweep spec " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
