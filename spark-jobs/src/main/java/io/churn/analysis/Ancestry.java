package io.churn.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whose weights each member of a PBT population's last generation carries, generation by
 * generation. After generation g a member either keeps its weights or copies a donor's (a
 * {@code pbt_lineage} row); following the copies backwards from the last generation gives the
 * ancestor that trained in every earlier generation, and so the hyperparameter schedule that
 * produced the final member.
 */
public final class Ancestry {

    /** After {@code generation}, {@code member} copied {@code donor}'s weights (and hyperparameters, then explored). */
    public record Copy(int generation, int member, int donor) {
    }

    /** In {@code generation}, the weights {@code finalMember} ends with were trained by {@code member}. */
    public record Link(int finalMember, int generation, int member) {
    }

    private Ancestry() {
    }

    /** The links of every final member (those of generation {@code generations - 1}) back to generation 0. */
    public static List<Link> of(int generations, Collection<Integer> finalMembers, Collection<Copy> copies) {
        Map<List<Integer>, Integer> donors = new HashMap<>();
        for (Copy c : copies) {
            donors.put(List.of(c.generation(), c.member()), c.donor());
        }
        List<Link> links = new ArrayList<>();
        for (int finalMember : finalMembers.stream().sorted().toList()) {
            int member = finalMember;
            for (int g = generations - 1; g >= 0; g--) {
                links.add(new Link(finalMember, g, member));
                if (g > 0) {
                    member = donors.getOrDefault(List.of(g - 1, member), member);
                }
            }
        }
        return links;
    }
}
