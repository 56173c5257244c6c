package io.churn.pbt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Exploit and explore as pure functions of a population snapshot: the same spec, generation and
 * scores always give the same decisions, so a resumed job decides as the interrupted one would.
 */
public final class PbtRules {

    /**
     * How many times a generation whose every member diverged is trained again before the job
     * fails: each time from the weights the generation started from, with re-explored hyperparameters.
     */
    public static final int RESTARTS = 2;

    private PbtRules() {
    }

    /** A member's hyperparameters and score at the end of a generation. */
    public record MemberScore(int member, Map<String, Object> hyperparameters, double score) {
        public MemberScore {
            hyperparameters = Map.copyOf(hyperparameters);
        }
    }

    /**
     * One hyperparameter's move, exactly as done: its values before (the donor's) and after; the
     * factor it was multiplied by (null when resampled); whether it was resampled; the end of its
     * domain the move was clipped to (null: none). {@code how} says it in words: {@code "*1.2"},
     * {@code "resample"}, {@code "*1.2, clipped to the upper bound"}.
     */
    public record Change(String name, Object before, Object after, Double factor, boolean resampled,
                         Domain.Bound clippedTo, String how) {

        static Change resample(String name, Object before, Object after) {
            return new Change(name, before, after, null, true, null, "resample");
        }

        static Change perturb(String name, Object before, double factor, Domain.Move move) {
            String how = "*" + factor + (move.clipped() == null ? ""
                    : ", clipped to the " + move.clipped().name().toLowerCase(java.util.Locale.ROOT) + " bound");
            return new Change(name, before, move.value(), factor, false, move.clipped(), how);
        }
    }

    /**
     * What a member does next generation: keep its own weights and hyperparameters, or load the
     * donor's weights with the donor's hyperparameters explored.
     */
    public record Decision(int member, int donor, Map<String, Object> hyperparameters, List<Change> changes) {
        public Decision {
            hyperparameters = Map.copyOf(hyperparameters);
            changes = List.copyOf(changes);
        }

        public boolean copies() {
            return donor != member;
        }
    }

    /** The seed of a member's initial weights. */
    public static long initSeed(PbtSpec spec, int member) {
        return random(spec.seed(), -2, member).nextLong() & ((1L << 53) - 1);
    }

    /** The seed of a member's data order in a generation. */
    public static long orderSeed(PbtSpec spec, int generation, int member) {
        return random(spec.seed(), generation, member).split().nextLong();
    }

    /** The initial hyperparameters of every member: drawn from each domain. */
    public static List<Map<String, Object>> initial(PbtSpec spec) {
        List<Map<String, Object>> members = new ArrayList<>();
        for (int m = 0; m < spec.population(); m++) {
            SplittableRandom random = random(spec.seed(), -1, m);
            Map<String, Object> h = new LinkedHashMap<>();
            spec.space().forEach((name, domain) -> h.put(name, domain.sample(random)));
            members.add(h);
        }
        return members;
    }

    /** Exploit then explore, for every member of the snapshot, in member order. */
    public static List<Decision> decide(PbtSpec spec, int generation, List<MemberScore> population) {
        List<MemberScore> byMember = new ArrayList<>(population);
        byMember.sort(Comparator.comparingInt(MemberScore::member));
        Map<Integer, Integer> donors = switch (spec.exploit().method()) {
            case TRUNCATION -> truncation(spec, generation, byMember);
            case TOURNAMENT -> tournament(spec, generation, byMember);
        };
        replaceFailed(spec, generation, byMember, donors);
        List<Decision> decisions = new ArrayList<>();
        for (MemberScore m : byMember) {
            int donor = donors.getOrDefault(m.member(), m.member());
            if (donor == m.member()) {
                decisions.add(new Decision(m.member(), donor, m.hyperparameters(), List.of()));
            } else {
                MemberScore d = byMember.stream().filter(x -> x.member() == donor).findFirst().orElseThrow();
                decisions.add(explore(spec, random(spec.seed(), generation, m.member()), m.member(), donor,
                        m.hyperparameters(), d.hyperparameters()));
            }
        }
        return decisions;
    }

    /** Whether no member of the snapshot scored a finite value: the generation diverged as a whole. */
    public static boolean allDiverged(List<MemberScore> population) {
        return population.stream().noneMatch(m -> Double.isFinite(m.score()));
    }

    /**
     * Restart {@code restart} (from 1) of a generation whose every member diverged: each member
     * keeps its place and the weights it started the generation from, its own hyperparameters
     * explored as a copy's would be (by the spec's explore rules, from a random stream of the
     * restart's own, so a resumed job restarts the same way).
     */
    public static List<Decision> restart(PbtSpec spec, int generation, int restart, List<MemberScore> population) {
        List<Decision> decisions = new ArrayList<>();
        for (MemberScore m : population) {
            SplittableRandom random = random(spec.seed() + 0x5851F42D4C957F2DL * restart, generation, m.member());
            decisions.add(explore(spec, random, m.member(), m.member(), m.hyperparameters(), m.hyperparameters()));
        }
        return decisions;
    }

    /** How many members are replaced under truncation rounded down: the fraction, at least one, at most half. */
    public static int truncated(int population, double fraction) {
        return TruncationRounding.FLOOR.count(population, fraction);
    }

    /** Best first; ties go to the lower member id, so the ranking is total and repeatable. */
    static List<MemberScore> ranked(PbtSpec spec, List<MemberScore> population) {
        List<MemberScore> ranked = new ArrayList<>(population);
        ranked.sort((a, b) -> spec.better(a.score(), b.score()) ? -1 : spec.better(b.score(), a.score()) ? 1
                : Integer.compare(a.member(), b.member()));
        return ranked;
    }

    private static Map<Integer, Integer> truncation(PbtSpec spec, int generation, List<MemberScore> population) {
        List<MemberScore> ranked = ranked(spec, population);
        int k = spec.exploit().truncated(ranked.size());
        SplittableRandom random = random(spec.seed(), generation, -1);
        Map<Integer, Integer> donors = new LinkedHashMap<>();
        for (int i = ranked.size() - k; i < ranked.size(); i++) {
            donors.put(ranked.get(i).member(), ranked.get(random.nextInt(k)).member());
        }
        return donors;
    }

    /**
     * A member whose training failed (non-finite score) has no weights to go on from: it always
     * copies one of the best finite-scored members, whatever the exploit rule decided.
     */
    private static void replaceFailed(PbtSpec spec, int generation, List<MemberScore> population,
                                      Map<Integer, Integer> donors) {
        List<MemberScore> finite = ranked(spec, population).stream().filter(m -> Double.isFinite(m.score())).toList();
        if (finite.isEmpty()) return;
        int top = Math.max(1, spec.exploit().truncated(population.size()));
        SplittableRandom random = random(spec.seed(), generation, -3);
        for (MemberScore m : population) {
            if (!Double.isFinite(m.score()) && !donors.containsKey(m.member())) {
                donors.put(m.member(), finite.get(random.nextInt(Math.min(top, finite.size()))).member());
            }
        }
    }

    private static Map<Integer, Integer> tournament(PbtSpec spec, int generation, List<MemberScore> population) {
        SplittableRandom random = random(spec.seed(), generation, -1);
        Map<Integer, Integer> donors = new LinkedHashMap<>();
        if (population.size() < 2) return donors;
        for (int i = 0; i < population.size(); i++) {
            int j = random.nextInt(population.size() - 1);
            if (j >= i) j++;
            if (spec.better(population.get(j).score(), population.get(i).score())) {
                donors.put(population.get(i).member(), population.get(j).member());
            }
        }
        return donors;
    }

    /**
     * The copy's hyperparameters: those the spec explores come from the donor, each resampled or
     * perturbed; the others stay the member's own (all are explored unless the spec lists some),
     * but for those that go with the weights ({@link PbtSpec#WITH_WEIGHTS}), always the donor's.
     */
    private static Decision explore(PbtSpec spec, SplittableRandom random, int member, int donor,
                                    Map<String, Object> own, Map<String, Object> from) {
        PbtSpec.Explore rules = spec.explore();
        Map<String, Object> h = new LinkedHashMap<>(rules.hyperparameters().isEmpty() ? from : own);
        List<Change> changes = new ArrayList<>();
        List<Double> factors = rules.perturbFactors();
        for (String name : PbtSpec.WITH_WEIGHTS) {
            if (from.containsKey(name)) h.put(name, from.get(name));
        }
        spec.space().forEach((name, domain) -> {
            if (!rules.explores(name) || PbtSpec.WITH_WEIGHTS.contains(name)) return;
            Object before = from.get(name);
            Change change;
            if (random.nextDouble() < rules.resampleProbability()) {
                change = Change.resample(name, before, domain.sample(random));
            } else {
                double factor = factors.get(random.nextInt(factors.size()));
                change = Change.perturb(name, before, factor, domain.move(before, factor, rules.clip()));
            }
            h.put(name, change.after());
            changes.add(change);
        });
        return new Decision(member, donor, h, changes);
    }

    /** A generator for one decision: from the job's seed, the generation (-1: initial) and the member (-1: all). */
    static SplittableRandom random(long seed, int generation, int member) {
        long z = seed * 0x9E3779B97F4A7C15L + (generation + 2L) * 0xBF58476D1CE4E5B9L + (member + 2L) * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }
}
