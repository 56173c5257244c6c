package io.churn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Layouts pinned to what BUTTER's own solver (its 2022 aspect-test code) gives for the same cases. */
class LayoutSolverTest {

    @ParameterizedTest(name = "{2} depth {3} size {4} for {0} in, {1} out")
    @CsvSource(delimiter = ';', value = {
            "2;1;rectangle;3;267;14 14 1;267",
            "2;1;rectangle;3;280;14 14 1;267",
            "10;3;rectangle;2;1000;71 3;997",
            "124;1;rectangle;5;16384;55 55 55 55 1;16171",
            "20;7;trapezoid;4;1024;20 16 11 7;1027",
            "20;7;trapezoid;6;4096;40 33 27 20 14 7;4070",
            "2;1;trapezoid;3;100;10 6 1;103",
            "57;2;trapezoid;10;65536;138 123 108 93 78 62 47 32 17 2;65954",
            "20;7;exponential;4;1024;21 15 10 7;1008",
            "20;7;exponential;6;4096;49 33 22 15 10 7;4009",
            "11;7;exponential;5;2048;37 24 16 11 7;2027",
            "108;2;exponential;8;131072;383 181 85 40 19 9 4 2;131170",
            "20;7;wide_first_2x;4;1024;23 12 12 7;1018",
            "20;7;wide_first_4x;5;2048;49 12 12 12 7;2032",
            "20;7;wide_first_10x;4;4096;116 12 12 7;4087",
            "20;7;wide_first_16x;6;8192;216 14 14 14 14 7;8309",
            "20;7;wide_first_20x;4;16384;390 20 20 7;16577",
            "60;3;wide_first_5x;3;1024;16 3 3;1039",
            "60;3;wide_first_8x;7;32768;284 36 36 36 36 36 3;33023",
            // half-to-even picks these where Math.round's half-up would not
            "20;7;wide_first_2x;4;134;5 2 2 7;144",
            "20;7;wide_first_2x;4;148;5 2 2 7;144",
            // ties go to the candidate the bisection evaluated first: 4w + 1 around 43 and 47
            "2;1;rectangle;2;43;10 1;41",
            "2;1;rectangle;2;47;12 1;49",
            "2;1;rectangle;2;4099;1024 1;4097",
            "2;1;rectangle_residual;3;267;14 14 1;267",
            "124;1;rectangle_residual;5;16384;55 55 55 55 1;16171",
            "60;3;wide_first_8x_residual;7;32768;284 36 36 36 36 36 3;33023",
    })
    void matches_butter(int nIn, int nOut, String shape, int depth, long size, String widths, long params) {
        Layout l = LayoutSolver.solve(shape, depth, size, nIn, nOut);
        assertEquals(Arrays.stream(widths.split(" ")).map(Integer::valueOf).toList(), l.widths());
        assertEquals(params, l.numFreeParameters());
        assertEquals(shape, l.shape());
    }

    @Test
    void a_budget_too_small_for_the_inputs_is_rejected() {
        // BUTTER's closest is [1, 1, 1, 5], 115 parameters: 475% over
        LayoutSolver.NonConformantLayoutException e = assertThrows(LayoutSolver.NonConformantLayoutException.class,
                () -> LayoutSolver.solve("rectangle", 4, 20, 100, 5));
        assertTrue(e.getMessage().startsWith("no rectangle network of depth 4 has about 20 parameters for 100 inputs"),
                e.getMessage());
        assertTrue(e.getMessage().contains("[1, 1, 1, 5], has 115"), e.getMessage());
    }

    @Test
    void widths_round_half_to_even() {
        assertEquals(List.of(10, 8, 7), box(Shape.TRAPEZOID.widths(10, 3, 7)));   // 8.5 -> 8
        assertEquals(List.of(12, 10, 7), box(Shape.TRAPEZOID.widths(12, 3, 7)));  // 9.5 -> 10
        assertEquals(List.of(10, 2, 2, 3), box(Shape.WIDE_FIRST_4X.widths(10, 4, 3))); // 2.5 -> 2
        assertEquals(List.of(25, 12, 2), box(Shape.WIDE_FIRST_2X.widths(25, 3, 2)));  // 12.5 -> 12
        assertEquals(List.of(7, 7, 7, 7), box(Shape.EXPONENTIAL.widths(3, 4, 7)));    // clamped to n_out
    }

    private static List<Integer> box(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }
}
