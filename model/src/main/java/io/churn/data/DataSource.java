package io.churn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens dataset files named by path or URI. The model reads local files; the Spark jobs pass one
 * that reads any Hadoop file system (HDFS, S3, ...), so executors read where the cluster keeps data.
 */
@FunctionalInterface
public interface DataSource extends Serializable {

    InputStream open(String location) throws IOException;

    /** Local paths and {@code file:} URIs. */
    DataSource LOCAL = location -> Files.newInputStream(
            location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location));
}
