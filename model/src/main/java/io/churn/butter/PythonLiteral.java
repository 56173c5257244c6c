package io.churn.butter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;

/**
 * Reads the Python literal text BUTTER's docs and command lines use for configs into the JSON tree
 * a JSON file of the same config gives: dicts with string keys, lists and tuples (both become
 * arrays), strings in single or double quotes, whole and decimal numbers, {@code True}/{@code False}
 * and {@code None} (null), {@code #} comments and trailing commas. BUTTER's own config reader also
 * takes bare words as strings ({@code {mode: direct}}) and {@code true}/{@code false}/{@code null}/
 * {@code none} in any case, so this one does too. Anything else (sets, expressions, a duplicate key)
 * is an error naming its line and column.
 */
public final class PythonLiteral {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** The value {@code text} holds; throws {@link IllegalArgumentException} naming where it is not a literal. */
    public static JsonNode parse(String text) {
        PythonLiteral reader = new PythonLiteral(text);
        JsonNode value = reader.value();
        reader.skipBlank();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected '" + text.charAt(reader.pos) + "' after the value");
        }
        return value;
    }

    private JsonNode value() {
        skipBlank();
        if (pos >= text.length()) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(pos);
        if (c == '{') return dict();
        if (c == '[') return sequence('[', ']');
        if (c == '(') return sequence('(', ')');
        if (c == '\'' || c == '"') return NODES.textNode(string());
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) return number();
        if (Character.isLetter(c) || c == '_') return word();
        throw error("'" + c + "' cannot start a value");
    }

    private ObjectNode dict() {
        ObjectNode dict = NODES.objectNode();
        pos++;
        while (true) {
            skipBlank();
            if (peek('}')) {
                pos++;
                return dict;
            }
            int keyAt = pos;
            JsonNode key = value();
            if (!key.isTextual()) {
                pos = keyAt;
                throw error("a config key must be a string, not " + key);
            }
            if (dict.has(key.asText())) {
                pos = keyAt;
                throw error("the key '" + key.asText() + "' is given twice");
            }
            skipBlank();
            expect(':');
            dict.set(key.asText(), value());
            if (!separator('}')) {
                throw error("expected ',' or '}' in a dict");
            }
        }
    }

    private ArrayNode sequence(char open, char close) {
        ArrayNode list = NODES.arrayNode();
        pos++;
        while (true) {
            skipBlank();
            if (peek(close)) {
                pos++;
                return list;
            }
            list.add(value());
            if (!separator(close)) {
                throw error("expected ',' or '" + close + "' after an item of a " + (open == '[' ? "list" : "tuple"));
            }
        }
    }

    /** After an item: true when a ',' follows (the closing bracket may come next), false when neither does. */
    private boolean separator(char close) {
        skipBlank();
        if (peek(',')) {
            pos++;
            return true;
        }
        return peek(close);
    }

    private String string() {
        char quote = text.charAt(pos);
        int start = pos;
        pos++;
        StringBuilder s = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return s.toString();
            }
            if (c == '\n') {
                break;
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (pos >= text.length()) break;
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> s.append('\n');
                case 't' -> s.append('\t');
                case 'r' -> s.append('\r');
                case '\\', '\'', '"' -> s.append(e);
                case 'u' -> {
                    if (pos + 4 > text.length()) throw error("a \\u escape needs four hex digits");
                    try {
                        s.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException bad) {
                        throw error("a \\u escape needs four hex digits");
                    }
                    pos += 4;
                }
                default -> throw error("unknown escape '\\" + e + "' in a string");
            }
        }
        pos = start;
        throw error("a string that is never closed");
    }

    private JsonNode number() {
        int start = pos;
        if (peek('-') || peek('+')) pos++;
        boolean decimal = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isDigit(c) || c == '_') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E') {
                decimal = true;
                pos++;
                if ((c == 'e' || c == 'E') && (peek('-') || peek('+'))) pos++;
            } else {
                break;
            }
        }
        String literal = text.substring(start, pos).replace("_", "");
        try {
            if (decimal) {
                return NODES.numberNode(Double.parseDouble(literal));
            }
            BigInteger whole = new BigInteger(literal.startsWith("+") ? literal.substring(1) : literal);
            // the node types Jackson gives the same digits, so both forms of a config read alike
            if (whole.bitLength() < 32) return NODES.numberNode(whole.intValue());
            return whole.bitLength() < 64 ? NODES.numberNode(whole.longValue()) : NODES.numberNode(whole);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("'" + text.substring(start, Math.max(start + 1, start + literal.length())) + "' is not a number");
        }
    }

    private JsonNode word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> NODES.booleanNode(true);
            case "false" -> NODES.booleanNode(false);
            case "none", "null" -> NODES.nullNode();
            default -> NODES.textNode(word);
        };
    }

    private void skipBlank() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else {
                return;
            }
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("not a Python literal: " + what + " at line " + line + ", column " + column);
    }
}
