package io.churn.sink;

import io.churn.train.RunStatus;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Which runs an application may claim, for whom, and for how long a claim holds without a
 * heartbeat. Claims are made for {@code holder}, the application's hold on the sweep
 * ({@link Applications#join}), so what it holds can be given back and counted even where Spark's
 * application ids are alike. A complete run is never claimed. Among the others, by
 * {@code statuses}: {@code queued} runs, and {@code running} runs whose lease lapsed (their holder
 * died), while they have had fewer than {@code maxAttempts} attempts; {@code failed} and
 * {@code diverged} runs that ended before the application started at {@code since} (so one
 * application does not retrain another's failures as they happen); {@code running} runs claimed
 * before {@code since}, lease or not (a dead application's, taken over at once).
 */
public record ClaimRules(String holder, Set<RunStatus> statuses, Instant since, Duration lease, int maxAttempts)
        implements Serializable {

    /** Lease of a claim without a heartbeat; renewed every quarter of it. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    /** Attempts after which a run whose workers keep dying is failed. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public ClaimRules {
        if (holder == null || holder.isBlank()) {
            throw new IllegalArgumentException("claims need a holder");
        }
        statuses = Set.copyOf(statuses);
        if (lease.toMillis() < 100) {
            throw new IllegalArgumentException("a lease is at least 100 ms, not " + lease.toMillis() + " ms");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, not " + maxAttempts);
        }
    }

    /** How often a holder renews its lease: a quarter of it, so three beats may be missed. */
    public Duration heartbeat() {
        return lease.dividedBy(4);
    }

    /** Whether runs in {@code status} are among those claimed. */
    public boolean claims(RunStatus status) {
        return statuses.contains(status);
    }
}
