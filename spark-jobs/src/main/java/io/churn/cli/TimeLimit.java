package io.churn.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * When a sweep command must have ended: {@code --time-limit} from its start, else, inside a Slurm
 * job, the job's own end time ({@code SLURM_JOB_END_TIME}, else what {@code squeue} says), else
 * never.
 */
final class TimeLimit {

    private static final Pattern PARTS = Pattern.compile("(\\d+)([dhms])");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+)");

    private TimeLimit() {
    }

    /** The end for a command started {@code now}: {@code limit} after it, or the Slurm job's end, or null. */
    static Instant end(Duration limit, Instant now, Map<String, String> environment) {
        if (limit != null) {
            return now.plus(limit);
        }
        return slurmJobEnd(environment).orElse(null);
    }

    /** The Slurm job's end time, when this runs inside a job that has one. */
    static Optional<Instant> slurmJobEnd(Map<String, String> environment) {
        String job = environment.get("SLURM_JOB_ID");
        if (job == null) {
            return Optional.empty();
        }
        String end = environment.get("SLURM_JOB_END_TIME");
        if (end != null && end.matches("\\d+")) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(end)));
        }
        try {
            Process squeue = new ProcessBuilder("squeue", "--noheader", "--jobs", job, "--format", "%e")
                    .redirectErrorStream(true).start();
            String text = new String(squeue.getInputStream().readAllBytes()).strip();
            if (!squeue.waitFor(10, TimeUnit.SECONDS) || squeue.exitValue() != 0) {
                return Optional.empty();
            }
            // a job without a time limit ends "N/A" or "Unknown"
            return Optional.of(LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A duration as people write it: 90s, 45m, 2h, 1h30m, 1d; or as Slurm does: 30:00, 2:00:00, 1-12:00:00. */
    static Duration parse(String text) {
        String t = text.strip().toLowerCase();
        Matcher clock = CLOCK.matcher(t);
        if (clock.matches()) {
            long days = clock.group(1) == null ? 0 : Long.parseLong(clock.group(1));
            long hours = clock.group(2) == null ? 0 : Long.parseLong(clock.group(2));
            return Duration.ofDays(days).plusHours(hours).plusMinutes(Long.parseLong(clock.group(3)))
                    .plusSeconds(Long.parseLong(clock.group(4)));
        }
        Matcher parts = PARTS.matcher(t);
        Duration d = Duration.ZERO;
        int at = 0;
        while (parts.find() && parts.start() == at) {
            long n = Long.parseLong(parts.group(1));
            d = d.plus(switch (parts.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            at = parts.end();
        }
        if (at == 0 || at != t.length() || d.isZero()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 90s, 45m, 2h, 1h30m, 2:00:00)");
        }
        return d;
    }

    static final class Converter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
