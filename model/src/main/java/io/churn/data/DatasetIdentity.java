package io.churn.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a run's dataset is: its {@linkplain Datasets#name name} and the SHA-256 of its content, so
 * a file named by path or by URI is one dataset and a file rewritten is another. {@code source}
 * is what the spec named it by, where it is read from; provenance, not identity.
 *
 * @param sha256 null while the content is unknown (not yet read)
 */
public record DatasetIdentity(String name, String source, String sha256) implements Serializable {

    public DatasetIdentity {
        Objects.requireNonNull(name, "dataset");
        Objects.requireNonNull(source, "dataset_source");
    }

    /** The dataset {@code dataset} names, its content not yet read. */
    public static DatasetIdentity named(String dataset) {
        return new DatasetIdentity(Datasets.name(dataset), dataset, null);
    }

    /** The dataset {@code dataset} names, with the digest of {@code data}, read from it. */
    public static DatasetIdentity of(String dataset, PreparedDataset data) {
        return new DatasetIdentity(Datasets.name(dataset), dataset, data.sha256());
    }

    /**
     * Whether it is a bundled dataset, named by its name alone: its content is the jar's, so its
     * name says which it is and its digest is provenance (its runs keep the ids they always had).
     */
    public boolean bundled() {
        return name.equals(source);
    }
}
