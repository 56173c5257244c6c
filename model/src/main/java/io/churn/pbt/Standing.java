package io.churn.pbt;

import java.util.Map;

/**
 * How a generation's members scored under the job's mode: the best and worst member (ties to the
 * lower member), the median of the finite scores (the upper one of an even count) and how many
 * diverged (a non-finite score). The driver prints it after each generation; status shows it.
 * {@code best} and {@code worst} are -1 when there are no scores.
 */
public record Standing(int best, double bestScore, double median, int worst, double worstScore, int diverged) {

    public static Standing of(boolean maximize, Map<Integer, Double> scores) {
        int best = -1, worst = -1;
        double bestScore = Double.NaN, worstScore = Double.NaN;
        for (Map.Entry<Integer, Double> e : new java.util.TreeMap<>(scores).entrySet()) {
            double s = e.getValue();
            if (best < 0 || PbtSpec.better(maximize, s, bestScore)) {
                best = e.getKey();
                bestScore = s;
            }
            if (worst < 0 || PbtSpec.better(maximize, worstScore, s)) {
                worst = e.getKey();
                worstScore = s;
            }
        }
        double[] finite = scores.values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite)
                .sorted().toArray();
        return new Standing(best, bestScore, finite.length == 0 ? Double.NaN : finite[finite.length / 2], worst,
                worstScore, scores.size() - finite.length);
    }
}
