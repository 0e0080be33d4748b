package transfuse.jobs.kinds;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.TokenWindow;
import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.model.ModelConfig;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ModelDir;
import transfuse.io.files.OutputCheck;
import transfuse.io.npy.Npy;
import transfuse.jobs.internal.FiniteWeights;
import transfuse.jobs.internal.Outputs;
import transfuse.jobs.internal.Result;

/**
 * {@code forward --model DIR --input X.npy --out Y.npy}: runs a model on a batch from files. The
 * architecture names its file inputs ({@link Architecture#fileInputs()}), so this job knows no
 * architecture: X goes under the first name, the mask under the second where there is one.
 */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=forward")
public final class ForwardJob implements Job<ForwardJob.Spec> {
    record Spec(Path model, ModelConfig config, Map<String, Tensor> inputs, boolean logits, int batch, Path out) {
    }

    @Override
    public String name() {
        return "forward";
    }

    @Override
    public String description() {
        return "run a model on an .npy batch and write its logits or last hidden state";
    }

    @Override
    public String usage() {
        return """
                transfuse forward --model DIR --input X.npy [--mask M.npy] --out Y.npy [--output logits|hidden] [--batch B] [--json]
                  ViT: X is float32/float64 [N, C, H, W], pixels scaled to [0, 1] (byte / 255) as in training; no mask.
                  Text models: X is int64 token ids [N, T], M the attention mask.
                  logits: [N, classes]; hidden: the last hidden state [N, T, d] (ViT: after the final LayerNorm).
                  Y is written as float64.""";
    }

    @Override
    public List<OptionDecl> options() {
        return List.of(
                OptionDecl.input("model", "the model directory"),
                OptionDecl.input("input", "the batch (.npy)"),
                OptionDecl.input("mask", "the attention mask (.npy; text models)"),
                OptionDecl.output("out", "where the output goes (.npy, float64)"),
                OptionDecl.choice("output", "logits", List.of("logits", "hidden"), "the head's logits or the last hidden state"),
                OptionDecl.integer("batch", 256L, 1, 1 << 20, "examples per forward pass"));
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        Path model = Outputs.requiredInput(v, context, "model");
        Path input = Outputs.requiredInput(v, context, "input");
        Path out = Outputs.required(v, context, "out", "output.npy");
        OutputCheck.file(out);
        ModelConfig config;
        try (ModelDir dir = ModelDir.open(model)) {
            config = dir.config();
        }
        List<String> names = context.plugin(Architecture.class, config.modelType()).fileInputs();
        if (names.isEmpty()) {
            throw new TransfuseException(model + ": the " + config.modelType() + " architecture cannot run on files");
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put(names.get(0), Npy.read(input));
        if (v.has("mask")) {
            if (names.size() < 2) {
                throw new TransfuseException(v.key("mask") + ": the " + config.modelType() + " architecture takes no mask");
            }
            inputs.put(names.get(1), Npy.read(Outputs.input(v, context, "mask")));
        }
        return new Spec(model, config, inputs, v.text("output").equals("logits"), v.intValue("batch"), out);
    }

    @Override
    public JobResult run(Spec s, JobContext context) {
        Architecture arch = context.plugin(Architecture.class, s.config().modelType());
        Map<String, Tensor> weights = FiniteWeights.check(s.model(), ModelDir.loadWeights(s.model()));
        String output = s.logits() ? "logits" : "hidden";
        long n = s.inputs().values().iterator().next().shape()[0];
        context.log("forward " + s.model() + " on " + n + " examples -> " + output);
        context.progress("forward").progress("forward", 0, n, "");
        long start = System.nanoTime();
        ForwardResult r = arch.forward(s.config(), weights, new ForwardRequest(s.inputs(), s.logits(), !s.logits(),
                Set.of(), TokenWindow.ALL, s.batch()));
        Tensor y = s.logits() ? r.logits() : r.hidden();
        if (y == null) {
            throw new TransfuseException(s.config().modelType() + " returned no " + output);
        }
        context.progress("forward").progress("forward", n, n, "");
        Npy.write(s.out(), y, DType.F64);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("out", s.out().toString());
        json.put("output", output);
        json.put("shape", Arrays.stream(y.shape()).boxed().toList());
        json.put("seconds", seconds);
        return new Result(json, String.format("%s %s -> %s (%.2f s)%n", output, Arrays.toString(y.shape()), s.out(),
                seconds));
    }
}
