package io.churn.spec;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Predicate;

/**
 * A sweep's runs, made when asked for rather than held: only its experiments (a run without its
 * repetition, held as its repetition-0 run) are kept, so millions of runs cost the memory of one
 * object per grid point. The order is {@link GridExpander}'s: grid by grid (each grid with the
 * experiments no earlier grid named), then repetition by repetition, then experiment by experiment.
 * Every {@link #get} makes a new {@link RunSpec}.
 */
public final class SweepRuns extends AbstractList<RunSpec> implements RandomAccess {

    private final List<List<RunSpec>> experimentsByGrid;
    private final long[] seeds;
    /** The index of the first run of each grid's block of runs, then the run count. */
    private final int[] blockStarts;
    /** The index in {@link #experiments()} of each grid's first experiment. */
    private final int[] experimentStarts;

    /**
     * @param experimentsByGrid for each grid, its experiments not named by an earlier grid, each
     *                          as its repetition-0 run
     * @param seeds             the seed of each repetition
     */
    SweepRuns(List<List<RunSpec>> experimentsByGrid, long[] seeds) {
        this.experimentsByGrid = experimentsByGrid.stream().map(List::copyOf).toList();
        this.seeds = seeds.clone();
        int grids = this.experimentsByGrid.size();
        this.blockStarts = new int[grids + 1];
        this.experimentStarts = new int[grids + 1];
        for (int g = 0; g < grids; g++) {
            int n = this.experimentsByGrid.get(g).size();
            blockStarts[g + 1] = Math.addExact(blockStarts[g], Math.multiplyExact(n, seeds.length));
            experimentStarts[g + 1] = experimentStarts[g] + n;
        }
    }

    @Override
    public int size() {
        return blockStarts[blockStarts.length - 1];
    }

    public int repetitions() {
        return seeds.length;
    }

    /** Every distinct experiment once, as its repetition-0 run, in the order runs first use them. */
    public List<RunSpec> experiments() {
        List<RunSpec> all = new ArrayList<>(experimentStarts[experimentStarts.length - 1]);
        experimentsByGrid.forEach(all::addAll);
        return all;
    }

    public int experimentCount() {
        return experimentStarts[experimentStarts.length - 1];
    }

    @Override
    public RunSpec get(int index) {
        int g = grid(index);
        List<RunSpec> experiments = experimentsByGrid.get(g);
        int offset = index - blockStarts[g];
        int repetition = offset / experiments.size();
        RunSpec first = experiments.get(offset % experiments.size());
        return repetition == 0 ? first : first.withRepetition(repetition, seeds[repetition]);
    }

    /** The index in {@link #experiments()} of the experiment run {@code index} repeats. */
    public int experimentIndex(int index) {
        int g = grid(index);
        return experimentStarts[g] + (index - blockStarts[g]) % experimentsByGrid.get(g).size();
    }

    /** These runs less those of the experiments {@code keep} refuses (it sees repetition-0 runs). */
    public SweepRuns retain(Predicate<RunSpec> keep) {
        return new SweepRuns(experimentsByGrid.stream().map(e -> e.stream().filter(keep).toList()).toList(), seeds);
    }

    private int grid(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("run " + index + " of " + size());
        }
        int found = Arrays.binarySearch(blockStarts, index);
        // an exact hit may be the start of several blocks when grids in between are empty: take the last
        int g = found >= 0 ? found : -found - 2;
        while (experimentsByGrid.get(g).isEmpty() || blockStarts[g + 1] <= index) {
            g++;
        }
        return g;
    }
}
