package transfuse.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.TokenWindow;
import transfuse.api.tensor.Tensor;
import transfuse.core.PluginHandle;
import transfuse.io.config.ModelDir;
import transfuse.io.npy.Npy;

/**
 * {@code transfuse forward --model DIR --input X.npy --out Y.npy [--output logits|hidden]}. A
 * floating input is an image batch ({@code pixel_values} [N, C, H, W], pixels in [0, 1] as in
 * training); an integer input is token ids ({@code input_ids} [N, T], with {@code --mask}).
 */
final class ForwardCommand implements Command {
    @Override
    public String name() {
        return "forward";
    }

    @Override
    public String summary() {
        return "run a model on an .npy batch and write its logits or last hidden state";
    }

    @Override
    public String usage() {
        return """
                transfuse forward --model DIR --input X.npy [--mask M.npy] --out Y.npy [--output logits|hidden] [--batch B] [--json]
                  ViT: X is float32/float64 [N, C, H, W], pixels scaled to [0, 1] (byte / 255) as in training.
                  Text models: X is int64 token ids [N, T], M the attention mask.
                  logits: [N, classes]; hidden: the last hidden state [N, T, d] (ViT: after the final LayerNorm).
                  Y is written as float64.""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("model", "input", "mask", "out", "output", "batch");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        Path out = Path.of(args.require("out"));
        String output = args.get("output", "logits");
        if (!output.equals("logits") && !output.equals("hidden")) {
            throw new UsageException("--output must be logits or hidden, got " + output);
        }
        Tensor x = Npy.read(Path.of(args.require("input")));
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        if (x.dtype().isFloating()) {
            inputs.put("pixel_values", x);
        } else {
            inputs.put("input_ids", x);
            if (args.has("mask")) {
                inputs.put("attention_mask", Npy.read(Path.of(args.get("mask"))));
            }
        }
        try (ModelDir dir = ModelDir.open(Path.of(args.require("model")));
             PluginHandle<Architecture> arch = ctx.catalog().open(Architecture.class, dir.config().modelType())) {
            long start = System.nanoTime();
            ForwardResult r = arch.get().forward(dir.config(), ModelFiles.weights(dir), new ForwardRequest(inputs,
                    output.equals("logits"), output.equals("hidden"), Set.of(), TokenWindow.ALL,
                    args.getInt("batch", 256)));
            Tensor y = output.equals("logits") ? r.logits() : r.hidden();
            if (y == null) {
                throw new TransfuseException(dir.config().modelType() + " returned no " + output);
            }
            Npy.write(out, y, transfuse.api.tensor.DType.F64);
            double seconds = (System.nanoTime() - start) / 1e9;
            ctx.out().printf("%s %s -> %s (%.2f s)%n", output, java.util.Arrays.toString(y.shape()), out, seconds);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("out", out.toString());
            json.put("output", output);
            json.put("shape", java.util.Arrays.stream(y.shape()).boxed().toList());
            json.put("seconds", seconds);
            return json;
        }
    }
}
