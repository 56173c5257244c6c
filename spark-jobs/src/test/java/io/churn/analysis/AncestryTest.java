package io.churn.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AncestryTest {

    /** member -> generation -> ancestor, from the links. */
    static Map<Integer, Map<Integer, Integer>> byMember(List<Ancestry.Link> links) {
        Map<Integer, Map<Integer, Integer>> m = new HashMap<>();
        for (Ancestry.Link l : links) {
            m.computeIfAbsent(l.finalMember(), k -> new HashMap<>()).put(l.generation(), l.member());
        }
        return m;
    }

    @Test
    void a_member_that_never_copied_is_its_own_ancestor() {
        Map<Integer, Map<Integer, Integer>> a = byMember(Ancestry.of(3, List.of(0, 1), List.of()));
        assertEquals(Map.of(0, 0, 1, 0, 2, 0), a.get(0));
        assertEquals(Map.of(0, 1, 1, 1, 2, 1), a.get(1));
    }

    @Test
    void copies_are_followed_back_through_the_donors_own_copies() {
        // after generation 0, member 2 copies member 1; after generation 1, member 0 copies member 2
        List<Ancestry.Copy> copies = List.of(new Ancestry.Copy(0, 2, 1), new Ancestry.Copy(1, 0, 2));
        Map<Integer, Map<Integer, Integer>> a = byMember(Ancestry.of(3, List.of(0, 1, 2), copies));
        assertEquals(Map.of(2, 0, 1, 2, 0, 1), a.get(0), "0 trained from 2's weights, which were 1's");
        assertEquals(Map.of(2, 1, 1, 1, 0, 1), a.get(1));
        assertEquals(Map.of(2, 2, 1, 2, 0, 1), a.get(2));
    }

    @Test
    void a_copy_after_the_last_generation_plays_no_part() {
        List<Ancestry.Copy> copies = List.of(new Ancestry.Copy(1, 0, 1));
        assertEquals(Map.of(0, 0, 1, 0), byMember(Ancestry.of(2, List.of(0), copies)).get(0));
    }
}
