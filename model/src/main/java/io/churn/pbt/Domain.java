package io.churn.pbt;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The values a hyperparameter may take and how PBT moves it. Numbers in a range are perturbed by a
 * factor and (unless told not to) clipped to the range; listed values move to a neighbour in the
 * list (stopping at its ends) or are resampled.
 */
public sealed interface Domain permits Domain.Range, Domain.Choice {

    /** Which end of a domain a move was clipped to. */
    enum Bound {
        LOWER, UPPER
    }

    /** A perturbed value, and the end it was clipped to (null: moved as asked). */
    record Move(Object value, Bound clipped) {
    }

    /** A value drawn uniformly (log-uniformly for a log range). */
    Object sample(SplittableRandom random);

    /**
     * The value after a perturbation by {@code factor} (below 1 moves down, above 1 up); a range
     * clips it to its bounds when {@code clip}, a list always stops at its ends.
     */
    Move move(Object value, double factor, boolean clip);

    /** The value after a perturbation by {@code factor}, within the domain. */
    default Object perturb(Object value, double factor) {
        return move(value, factor, true).value();
    }

    /** Whether {@code value} lies in the domain. */
    boolean contains(Object value);

    /** Numbers in [lower, upper]; {@code integer} rounds to whole numbers; {@code log} samples log-uniformly. */
    record Range(double lower, double upper, boolean integer, boolean log) implements Domain {
        public Range {
            if (!(lower <= upper) || (log && lower <= 0)) {
                throw new IllegalArgumentException("a range needs lower <= upper" + (log ? " and lower > 0 on a log scale" : ""));
            }
        }

        @Override
        public Object sample(SplittableRandom random) {
            double u = random.nextDouble();
            double v = log ? Math.exp(Math.log(lower) + u * (Math.log(upper) - Math.log(lower)))
                    : lower + u * (upper - lower);
            return clip(v);
        }

        @Override
        public Move move(Object value, double factor, boolean clip) {
            double v = ((Number) value).doubleValue() * factor;
            Bound clipped = !clip ? null : v < lower ? Bound.LOWER : v > upper ? Bound.UPPER : null;
            return new Move(clip ? clip(v) : whole(v), clipped);
        }

        @Override
        public boolean contains(Object value) {
            return value instanceof Number n && n.doubleValue() >= lower && n.doubleValue() <= upper
                    && (!integer || n.doubleValue() == Math.rint(n.doubleValue()));
        }

        private Object clip(double v) {
            return whole(Math.max(lower, Math.min(upper, v)));
        }

        private Object whole(double v) {
            return integer ? (Object) (long) Math.rint(v) : (Object) v;
        }
    }

    /** One of listed values, in order (ordinal: neighbours are adjacent entries). */
    record Choice(List<Object> values) implements Domain {
        public Choice {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a choice needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public Object sample(SplittableRandom random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public Move move(Object value, double factor, boolean clip) {
            int i = indexOf(value);
            int j = factor < 1 ? i - 1 : factor > 1 ? i + 1 : i;
            Bound clipped = j < 0 ? Bound.LOWER : j >= values.size() ? Bound.UPPER : null;
            return new Move(values.get(Math.max(0, Math.min(values.size() - 1, j))), clipped);
        }

        @Override
        public boolean contains(Object value) {
            return indexOf(value) >= 0;
        }

        private int indexOf(Object value) {
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (v.equals(value) || (v instanceof Number a && value instanceof Number b
                        && a.doubleValue() == b.doubleValue())) {
                    return i;
                }
            }
            return -1;
        }
    }
}
