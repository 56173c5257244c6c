package io.churn.spec;

import java.util.regex.Pattern;

/**
 * The rule for the names of sweeps and PBT jobs. A name becomes a Parquet partition folder and is
 * quoted into SQL, so it holds only characters safe in both.
 */
public final class Names {

    /** The rule in words, for messages. */
    public static final String RULE = "1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Names() {
    }

    public static boolean allowed(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** {@code name} when it follows the rule; otherwise throws, saying it is not a {@code kind} name. */
    public static String checked(String kind, String name) {
        if (!allowed(name)) {
            throw new IllegalArgumentException("not a " + kind + " name: '" + name + "'");
        }
        return name;
    }
}
