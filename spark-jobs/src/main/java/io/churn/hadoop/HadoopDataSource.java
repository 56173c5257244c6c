package io.churn.hadoop;

import io.churn.data.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads dataset files from any Hadoop file system (hdfs://, s3a://, file:, or a plain path on the
 * default file system), with the Hadoop configuration of the JVM it runs in.
 */
public final class HadoopDataSource implements DataSource {

    @Override
    public InputStream open(String location) throws IOException {
        Path path = new Path(URI.create(location.replace(" ", "%20")));
        FileSystem fs = path.getFileSystem(new Configuration());
        return fs.open(path);
    }
}
