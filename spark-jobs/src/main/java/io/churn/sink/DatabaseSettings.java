package io.churn.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** How to reach the results database. Shipped to executors; {@link #toString()} never shows the password. */
public record DatabaseSettings(String url, String user, String password) implements Serializable {

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    @Override
    public String toString() {
        return url + (user == null ? "" : " as " + user);
    }
}
