package io.churn.train;

import java.util.Locale;

/** How a run ended. A failed run is a result too: it carries its error. */
public enum RunStatus {
    COMPLETE, FAILED;

    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
