package io.churn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutSolverTest {

    @Test
    void rectangle_hits_an_exact_budget() {
        // 2 inputs, 1 output, depth 3: 3w + (w+1)w + (w+1) = w^2 + 5w + 1; w = 14 gives 267
        Layout l = LayoutSolver.solve(Shape.RECTANGLE, 3, 267, 2, 1);
        assertEquals(List.of(14, 14, 1), l.widths());
        assertEquals(267, l.numFreeParameters());
    }

    @Test
    void rectangle_keeps_the_closest_layout_when_none_is_exact() {
        // w = 14 gives 267, w = 15 gives 301: 280 is closer to 267
        Layout l = LayoutSolver.solve(Shape.RECTANGLE, 3, 280, 2, 1);
        assertEquals(List.of(14, 14, 1), l.widths());
    }

    @Test
    void depth_two_is_one_hidden_layer() {
        Layout l = LayoutSolver.solve(Shape.RECTANGLE, 2, 1000, 10, 3);
        // (10+1)w + (w+1)3 = 14w + 3: w = 71 gives 997
        assertEquals(List.of(71, 3), l.widths());
        assertEquals(997, l.numFreeParameters());
    }

    @Test
    void a_budget_too_small_for_the_inputs_is_rejected() {
        LayoutSolver.NonConformantLayoutException e = assertThrows(LayoutSolver.NonConformantLayoutException.class,
                () -> LayoutSolver.solve(Shape.RECTANGLE, 4, 20, 100, 5));
        assertTrue(e.getMessage().startsWith("no rectangle network of depth 4 has about 20 parameters for 100 inputs"),
                e.getMessage());
    }

    @Test
    void widths_follow_each_profile() {
        assertEquals(List.of(10, 7, 4, 1), List.of(box(Shape.TRAPEZOID.widths(10, 4, 1))));
        assertEquals(List.of(16, 8, 4, 2), List.of(box(Shape.EXPONENTIAL.widths(16, 4, 2))));
        assertEquals(List.of(40, 10, 10, 3), List.of(box(Shape.WIDE_FIRST_4X.widths(40, 4, 3))));
        // round half to even: 25 / 10 = 2.5 -> 2
        assertEquals(List.of(25, 2, 2, 3), List.of(box(Shape.WIDE_FIRST.widths(25, 4, 3))));
    }

    private static Integer[] box(int[] a) {
        return java.util.Arrays.stream(a).boxed().toArray(Integer[]::new);
    }
}
