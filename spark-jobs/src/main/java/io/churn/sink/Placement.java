package io.churn.sink;

import java.io.Serializable;

/** Which Spark executor of which application trains a run. */
public record Placement(String executor, String applicationId) implements Serializable {
}
