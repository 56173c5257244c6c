package io.churn.butter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PythonLiteralTest {

    private static String rejected(String text) {
        return assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse(text)).getMessage();
    }

    @Test
    void python_literals_read_as_the_json_of_the_same_values() throws Exception {
        String python = """
                {'a': (1, 2.5, -3, 1e-3, 1_000),   # a tuple is a list
                 "b": [True, False, None, true, NONE],
                 'c': 'it\\'s "quoted"', 'd': {'e': ()}, 'big': 12345678901,
                 mode: direct,
                }
                """;
        String json = """
                {"a": [1, 2.5, -3, 0.001, 1000], "b": [true, false, null, true, null],
                 "c": "it's \\"quoted\\"", "d": {"e": []}, "big": 12345678901, "mode": "direct"}
                """;
        assertEquals(new ObjectMapper().readTree(json), PythonLiteral.parse(python));
    }

    @Test
    void what_is_not_a_literal_is_refused_naming_its_line_and_column() {
        assertEquals("not a Python literal: the key 'a' is given twice at line 2, column 2",
                rejected("{'a': 1,\n 'a': 2}"));
        assertTrue(rejected("{'a': {1, 2}}").contains("a config key must be a string, not 1 at line 1, column 8"));
        assertTrue(rejected("{'a': 'open}").contains("a string that is never closed at line 1, column 7"));
        assertTrue(rejected("{'a': 1 + 2}").contains("expected ',' or '}' in a dict at line 1, column 9"));
        assertTrue(rejected("{'a': [1, 2}").contains("expected ',' or ']' after an item of a list"));
        assertTrue(rejected("{'a': 1} x").contains("unexpected 'x' after the value"));
        assertTrue(rejected("{'a': 1.2.3}").contains("'1.2.3' is not a number"));
    }
}
