package io.churn.train;

import io.churn.data.PreparedDataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;

/**
 * Where and with what a result was made: host, Java, operating system and architecture (the fused
 * engine's {@code Math.exp} and {@code tanh} may differ by platform), DL4J, Spark and Churn's own
 * revision, and the SHA-256 of the dataset's bytes as read (the digest it was planned with when
 * the run failed before reading it; null when neither is known). Versions not on the class path read {@code unknown}.
 */
public record Provenance(String host, String javaVersion, String osName, String osArch, String dl4jVersion,
                         String sparkVersion, String churnRevision, String datasetSha256) implements Serializable {

    /** This JVM's provenance, before any dataset. */
    public static final Provenance CURRENT = new Provenance(hostName(), System.getProperty("java.version"),
            System.getProperty("os.name"), System.getProperty("os.arch"),
            property("/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties", "version"),
            // read as a resource: the model never links against Spark
            property("/META-INF/maven/org.apache.spark/spark-core_2.12/pom.properties", "version"),
            property("/io/churn/git.properties", "git.commit.id.describe"), null);

    /** This JVM's provenance for a result made from {@code data} (null: none was read). */
    public static Provenance of(PreparedDataset data) {
        return of(data == null ? null : data.sha256());
    }

    /** This JVM's provenance for a result made from a dataset with this digest (null: not known). */
    public static Provenance of(String datasetSha256) {
        Provenance p = CURRENT;
        return new Provenance(p.host, p.javaVersion, p.osName, p.osArch, p.dl4jVersion, p.sparkVersion,
                p.churnRevision, datasetSha256);
    }

    private static String property(String resource, String key) {
        try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
