package io.churn.driver;

import org.apache.spark.api.java.function.Function;

/**
 * Member training in which the results database restarts as one generation's member 0 begins (on
 * its first attempt): connections opened before, the driver's among them, are lost mid-job.
 * {@link #RESTART} does the restart; tasks run in the test's JVM (local mode), so they see it.
 */
record RestartingDatabase(Function<MemberTask, Double> members, int generation)
        implements Function<MemberTask, Double> {

    static volatile Runnable RESTART = () -> { };

    @Override
    public Double call(MemberTask t) throws Exception {
        if (t.generation() == generation && t.member() == 0 && TaskFaults.firstAttempt()) {
            RESTART.run();
        }
        return members.call(t);
    }
}
