package transfuse.jobs.kinds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.ImportedModel;
import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;
import transfuse.jobs.internal.Outputs;
import transfuse.jobs.internal.Result;

/**
 * {@code import --onnx FILE --arch bert --out DIR}: converts an ONNX model into a model directory
 * through the named architecture. Without {@code --tokenizer}, a {@code tokenizer.json} or
 * {@code STEM-tokenizer.json} beside the ONNX file is used.
 */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=import")
public final class ImportJob implements Job<ImportJob.Spec> {
    record Spec(Path onnx, String arch, Path tokenizer, Path out) {
    }

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String description() {
        return "convert an ONNX model (e.g. a pretrained BERT encoder) into a model directory";
    }

    @Override
    public String usage() {
        return """
                transfuse import --onnx FILE --arch ARCH --out DIR [--tokenizer tokenizer.json] [--json]
                  --tokenizer  the HF tokenizer.json to copy into DIR (default: tokenizer.json or
                               STEM-tokenizer.json beside FILE, as the langchain4j model jars ship them)""";
    }

    @Override
    public List<OptionDecl> options() {
        return List.of(
                OptionDecl.input("onnx", "the ONNX model file"),
                OptionDecl.text("arch", null, "the architecture that reads it (e.g. bert)"),
                OptionDecl.input("tokenizer", "the HF tokenizer.json to copy (default: found beside the ONNX file)"),
                OptionDecl.output("out", "the model directory to write"));
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        Path onnx = Outputs.requiredInput(v, context, "onnx");
        if (!Files.isRegularFile(onnx)) {
            throw new TransfuseException(onnx + ": no such ONNX file");
        }
        String arch = v.require("arch");
        context.plugin(Architecture.class, arch);
        Path tokenizer = v.has("tokenizer") ? Outputs.input(v, context, "tokenizer") : besideOnnx(onnx);
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw new TransfuseException(tokenizer + ": no such tokenizer file");
        }
        Path out = Outputs.required(v, context, "out", "model");
        ModelDir.checkSavable(out);
        return new Spec(onnx, arch, tokenizer, out);
    }

    @Override
    public JobResult run(Spec s, JobContext context) {
        long start = System.nanoTime();
        ImportedModel m = context.plugin(Architecture.class, s.arch()).importOnnx(s.onnx(), s.tokenizer(),
                context.progress("import"));
        m.notes().forEach(context::log);
        context.checkCancelled();
        ModelDir.save(s.out(), m.config(), m.weights().entrySet().stream()
                        .map(e -> TensorSource.of(e.getKey(), e.getValue())).toList(),
                Map.of("transfuse.imported_from", s.onnx().getFileName().toString()), m.files());
        double seconds = (System.nanoTime() - start) / 1e9;
        long params = m.weights().values().stream().mapToLong(t -> t.numel()).sum();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("out", s.out().toString());
        json.put("arch", s.arch());
        json.put("tensors", m.weights().size());
        json.put("parameters", params);
        json.put("tokenizer", s.tokenizer() == null ? null : s.tokenizer().toString());
        json.put("config", m.config().fields());
        json.put("seconds", seconds);
        String text = String.format(Locale.ROOT, "imported %s as %s (%d tensors, %,d parameters%s) -> %s in %.1f s%n",
                s.onnx().getFileName(), s.arch(), m.weights().size(), params,
                s.tokenizer() == null ? ", no tokenizer" : ", tokenizer " + s.tokenizer().getFileName(), s.out(), seconds);
        return new Result(json, text);
    }

    private static Path besideOnnx(Path onnx) {
        String file = onnx.getFileName().toString();
        String stem = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        for (String candidate : new String[] {stem + "-tokenizer.json", "tokenizer.json"}) {
            Path p = onnx.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
