package io.churn.report;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Programs some tests run: headless Chromium and Python's nbformat, Debian packages that
 * {@code .ci/run} installs. Where one is missing those tests are skipped, except in CI
 * (variable {@code CI} set), where they fail.
 */
final class ExternalTools {

    private ExternalTools() {
    }

    /** Debian's chromium. */
    static Path chromium() {
        return require(onPath("chromium").or(() -> onPath("chromium-browser")), "chromium");
    }

    /** A Python with nbformat: Debian's python3 first, as another python3 on PATH may lack it. */
    static Path pythonWithNbformat() {
        for (Optional<Path> candidate : List.of(Optional.of(Path.of("/usr/bin/python3")), onPath("python3"))) {
            if (candidate.isPresent() && Files.isExecutable(candidate.get()) && imports(candidate.get())) {
                return candidate.get();
            }
        }
        return require(Optional.empty(), "python3-nbformat");
    }

    private static boolean imports(Path python) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import nbformat").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static Path require(Optional<Path> tool, String debianPackage) {
        if (tool.isEmpty()) {
            String message = debianPackage + " is not installed (apt-get install " + debianPackage + ")";
            if (System.getenv("CI") != null) fail(message);
            assumeTrue(false, message);
        }
        return tool.get();
    }
}
