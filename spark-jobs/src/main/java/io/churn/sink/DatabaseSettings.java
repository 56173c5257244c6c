package io.churn.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How to reach the results database. Shipped to executors (in task closures: on a cluster, turn
 * on Spark's authentication and encryption); {@link #toString()} never shows the password.
 */
public record DatabaseSettings(String url, String user, String password) implements Serializable {

    /** A password as a JDBC URL may carry it: a {@code password=} property, or {@code //USER:PASSWORD@}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*|(//[^/:@\\s]*:)[^@/\\s]*(@)");

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    /** {@code text} (a URL, or a message that may quote one) with every password in it shown as {@code ***}. */
    public String redact(String text) {
        if (text == null) return null;
        String redacted = URL_PASSWORD.matcher(text).replaceAll(m -> m.group(1) != null ? "$1***" : "$2***$3");
        return password == null || password.isEmpty() ? redacted : redacted.replace(password, "***");
    }

    @Override
    public String toString() {
        return redact(url) + (user == null ? "" : " as " + user);
    }
}
