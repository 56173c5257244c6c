package io.churn.sink;

import io.churn.pbt.Standing;
import java.time.Instant;
import java.util.Map;

/**
 * A PBT job as {@code churn status} shows it: how it stands ({@code running}, {@code complete} or
 * {@code failed} with its error), its length, members and ranking rule, how its last completed
 * generation scored and who copied whom at the last exploit, how far the generation in training has got,
 * and the generations restarted because every member diverged.
 *
 * @param generations  the job's length; null for a job recorded before it was kept
 * @param completed    generations completed (the last is generation {@code completed}, counted from 1)
 * @param last         how the last completed generation scored; null before the first completes
 * @param copiesAfter  the generation (from 1) after which members last copied others; null: none yet
 * @param copies       then: member to the donor it copied
 * @param scored       members of the generation in training that have a score
 * @param restarts     per generation (from 0) restarted, how many times
 */
public record PbtStatus(String pbt, Instant submittedAt, String status, String error, Integer generations,
                        int completed, int population, String metric, String mode, Standing last,
                        Integer copiesAfter, Map<Integer, Integer> copies, int scored, Map<Integer, Integer> restarts) {

}
