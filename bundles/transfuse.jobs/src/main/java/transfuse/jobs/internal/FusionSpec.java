package transfuse.jobs.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.job.JobContext;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.fusion.FusionOptions;
import transfuse.io.config.ModelDir;

/**
 * The fusion keys {@code fuse} and {@code barrier} share: the models and the engine's and the
 * chosen aligner's options, read from validated values into {@link FusionOptions}.
 */
public final class FusionSpec {
    private FusionSpec() {
    }

    /** The models, then the fusion options (whatever the engine and aligners declare). */
    public static List<OptionDecl> declarations(List<OptionDecl> fusionOptions) {
        List<OptionDecl> all = new ArrayList<>();
        all.add(OptionDecl.inputs("models", "model directories; the first is the anchor, whose shape the result has"));
        all.addAll(fusionOptions);
        return all;
    }

    /** The model directories, resolved and checked to be model directories. */
    public static List<Path> models(OptionValues v, JobContext context) {
        List<Path> models = new ArrayList<>();
        for (String m : v.list("models")) {
            Path p = context.input("models", m);
            if (!ModelDir.isModelDir(p)) {
                throw new TransfuseException(p + ": not a model directory (no config.json)");
            }
            models.add(p);
        }
        return models;
    }

    /** The fusion options as the engine reads them: every given key but the job's own, typed. */
    public static Map<String, Object> given(OptionValues v, List<String> jobKeys) {
        Map<String, Object> options = new LinkedHashMap<>(v.givenValues());
        options.keySet().removeAll(jobKeys);
        return options;
    }
}
