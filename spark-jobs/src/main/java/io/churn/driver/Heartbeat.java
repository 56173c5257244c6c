package io.churn.driver;

import io.churn.sink.Claim;
import io.churn.sink.ClaimRules;
import io.churn.sink.RunStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of the claims a task holds while it trains them: one daemon thread per task,
 * one UPDATE per beat, on the store the task writes with (an executor's tasks share its
 * connections). A claim found taken by another (its lease lapsed, say in a long pause) is logged
 * as lost; the run's result will then be refused.
 */
final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final RunStore store;
    private final ClaimRules rules;
    private final Set<Claim> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "churn-lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    Heartbeat(RunStore store, ClaimRules rules) {
        this.store = store;
        this.rules = rules;
        long ms = rules.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(this::beat, ms, ms, TimeUnit.MILLISECONDS);
    }

    void hold(Claim claim) {
        held.add(claim);
    }

    void drop(Claim claim) {
        held.remove(claim);
    }

    private synchronized void beat() {
        if (held.isEmpty()) return;
        try {
            for (Claim lost : store.ledger().renew(Set.copyOf(held), rules.lease())) {
                held.remove(lost);
                LOG.warn("lost run {}: its lease lapsed and another claim took it; executor {} of {} goes on but"
                        + " its result will not be written", lost.runId(), lost.placement().executor(),
                        lost.placement().applicationId());
            }
        } catch (Exception e) {
            // the next beat tries again; the lease outlives three missed beats
            LOG.warn("cannot renew the leases of {} runs: {}", held.size(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
    }
}
