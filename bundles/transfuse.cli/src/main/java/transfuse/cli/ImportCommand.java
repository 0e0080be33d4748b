package transfuse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.ImportedModel;
import transfuse.core.PluginHandle;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/**
 * {@code transfuse import --onnx FILE --arch bert --out DIR [--tokenizer tokenizer.json]}: converts
 * an ONNX model into a model directory through the named architecture. Without --tokenizer, a
 * {@code tokenizer.json} or {@code STEM-tokenizer.json} beside the ONNX file is used.
 */
final class ImportCommand implements Command {
    @Override
    public String name() {
        return "import";
    }

    @Override
    public String summary() {
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
    public OptionSpec options() {
        return new OptionSpec().value("onnx", "arch", "out", "tokenizer");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws IOException {
        Path onnx = Path.of(args.require("onnx"));
        Path out = Path.of(args.require("out"));
        String arch = args.require("arch");
        Path tokenizer = args.has("tokenizer") ? Path.of(args.get("tokenizer")) : besideOnnx(onnx);
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw new TransfuseException(tokenizer + ": no such tokenizer file");
        }
        try (PluginHandle<Architecture> handle = ctx.catalog().open(Architecture.class, arch)) {
            long start = System.nanoTime();
            ImportedModel m = handle.get().importOnnx(onnx, tokenizer, new ProgressPrinter(ctx.err(), "import"));
            m.notes().forEach(n -> ctx.err().println(n));
            ModelDir.write(out, m.config(), m.weights().entrySet().stream()
                    .map(e -> TensorSource.of(e.getKey(), e.getValue())).toList(),
                    Map.of("transfuse.imported_from", onnx.getFileName().toString()));
            for (Map.Entry<String, byte[]> f : m.files().entrySet()) {
                Files.write(out.resolve(f.getKey()), f.getValue());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long params = m.weights().values().stream().mapToLong(t -> t.numel()).sum();
            ctx.out().printf(Locale.ROOT, "imported %s as %s (%d tensors, %,d parameters%s) -> %s in %.1f s%n",
                    onnx.getFileName(), arch, m.weights().size(), params,
                    tokenizer == null ? ", no tokenizer" : ", tokenizer " + tokenizer.getFileName(), out, seconds);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("out", out.toString());
            json.put("arch", arch);
            json.put("tensors", m.weights().size());
            json.put("parameters", params);
            json.put("tokenizer", tokenizer == null ? null : tokenizer.toString());
            json.put("config", m.config().fields());
            json.put("seconds", seconds);
            return json;
        }
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
