package io.churn.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.churn.butter.ButterConfig;
import io.churn.spec.SpecParser;
import java.nio.file.Path;

/**
 * A sweep file's text as the spec parser reads it: a Churn spec as written, or a BUTTER
 * {@code aspect_test} config (JSON or Python literal) translated to the Churn spec that runs the
 * same sweep ({@code translated} true). The one place that tells the two formats apart.
 */
public record SpecText(String json, boolean translated) {

    public static SpecText read(Path path) {
        return of(SpecParser.fileText(path), path.toString());
    }

    /** {@code text} read from {@code source}; a BUTTER config that cannot be translated is a spec problem. */
    public static SpecText of(String text, String source) {
        JsonNode butter = ButterConfig.recognize(text);
        return butter == null ? new SpecText(text, false) : new SpecText(ButterConfig.translate(butter, source), true);
    }
}
