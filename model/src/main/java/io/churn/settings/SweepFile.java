package io.churn.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.churn.spec.SpecException;
import io.churn.spec.SpecParser;
import io.churn.spec.SweepSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep spec file read whole: the sweep it describes (what runs) and the settings it runs with
 * (how). Every problem of either half is reported at once, each naming its key.
 */
public record SweepFile(SweepSpec spec, SweepSettings settings) {

    /** The file at {@code path}: a Churn spec, or a BUTTER config read as the Churn spec it translates to. */
    public static SweepFile read(Path path) {
        return parse(SpecText.read(path).json(), path.toString());
    }

    public static SweepFile parse(String json, String source) {
        JsonNode root = SpecParser.json(json, source);
        List<String> problems = new ArrayList<>();
        SpecParser.unknownKeys(root, "", SpecParser.TOP_KEYS, problems);
        SweepSpec spec = SpecParser.sweep(root, problems);
        SweepSettings settings = SweepSettings.read(root, problems);
        if (!problems.isEmpty()) {
            throw new SpecException(source, problems);
        }
        return new SweepFile(spec, settings);
    }
}
