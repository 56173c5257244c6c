package io.churn.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CANDLE's output.csv writes numbers as Python 3 prints them; the file itself is tested in CandlePbtTest. */
class CandleOutputTest {

    @Test
    void numbers_are_written_as_python_prints_them() {
        // Python 3: "{}".format(x) for each
        assertEquals("0.0005228859248866328", CandleOutput.pythonFloat(5.228859248866328E-4));
        assertEquals("0.0001", CandleOutput.pythonFloat(1e-4));
        assertEquals("1e-05", CandleOutput.pythonFloat(1e-5));
        assertEquals("-1.5e-07", CandleOutput.pythonFloat(-1.5e-7));
        assertEquals("3.0", CandleOutput.pythonFloat(3));
        assertEquals("0.9420062695924765", CandleOutput.pythonFloat(0.9420062695924765));
        assertEquals("1e+16", CandleOutput.pythonFloat(1e16));
        assertEquals("123456789012345.0", CandleOutput.pythonFloat(123456789012345.0));
        assertEquals("nan", CandleOutput.pythonFloat(Double.NaN));
        assertEquals("0.0", CandleOutput.pythonFloat(0.0));
    }
}
