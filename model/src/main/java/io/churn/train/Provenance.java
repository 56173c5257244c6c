package io.churn.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;

/** Where and with what a result was made: host, Java, DL4J and Churn's own revision. */
public record Provenance(String host, String javaVersion, String dl4jVersion, String churnRevision)
        implements Serializable {

    /** This JVM's provenance. */
    public static final Provenance CURRENT = new Provenance(hostName(), System.getProperty("java.version"),
            property("/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties", "version"),
            property("/io/churn/git.properties", "git.commit.id.describe"));

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
