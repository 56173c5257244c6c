package io.churn.driver;

import io.churn.sink.ClaimRules;
import java.time.Duration;
import java.time.Instant;

/**
 * How one application works a sweep that others may be working at the same time: the lease of
 * its claims, the attempts after which a run whose workers keep dying is failed, and the time by
 * which it must have exported and ended (null: none).
 */
public record Cooperation(Duration lease, int maxAttempts, Instant endBy) {

    public static final Cooperation DEFAULT = new Cooperation(ClaimRules.DEFAULT_LEASE,
            ClaimRules.DEFAULT_MAX_ATTEMPTS, null);

    public Cooperation withEndBy(Instant end) {
        return new Cooperation(lease, maxAttempts, end);
    }
}
