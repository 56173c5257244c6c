package io.churn.bench;

/** Seconds since a start, on the monotonic clock. */
final class Stopwatch {

    private final long start = System.nanoTime();

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
