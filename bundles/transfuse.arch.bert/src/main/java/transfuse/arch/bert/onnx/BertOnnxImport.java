package transfuse.arch.bert.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import transfuse.api.TransfuseException;
import transfuse.api.arch.ImportedModel;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * Converts an ONNX export of an HF BERT (as Optimum/transformers.js write them: plain ONNX ops,
 * LayerNorm and GELU decomposed or fused) into HF-named float32 weights and a config.
 * Embeddings, biases and LayerNorm parameters keep their HF names in the export; the Linear
 * weights are anonymous ({@code onnx::MatMul_787}) and stored [in, out] for {@code x W}. Each is
 * named by following its MatMul to the Add that consumes the product and takes the named bias
 * ({@code ...query.bias} gives {@code ...query.weight}), and transposed to PyTorch's [out, in].
 * The shape fields come from the tensors; the head count from the Reshape that splits the query
 * into heads; {@code layer_norm_eps} from the constant added to the variance.
 */
public final class BertOnnxImport {
    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
    private static final List<String> HF_ROOTS = List.of("embeddings.", "encoder.", "pooler.");

    private BertOnnxImport() {
    }

    /** @throws TransfuseException one line naming the file and what did not match */
    public static ImportedModel read(Path file, ProgressListener progress) {
        if (!Files.isRegularFile(file)) {
            throw new TransfuseException(file + ": no such file");
        }
        progress.progress("import", 0, 3, "reading " + file.getFileName());
        OnnxGraph g;
        try (FileChannel ch = FileChannel.open(file)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new TransfuseException(file + ": ONNX files over 2 GiB (external data) are not supported");
            }
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            g = OnnxGraph.parse(buf);
        } catch (IOException e) {
            throw new TransfuseException(file + ": cannot read: " + e.getMessage(), e);
        } catch (OnnxFormatException e) {
            throw new TransfuseException(file + ": " + e.getMessage(), e);
        }
        progress.progress("import", 1, 3, "naming " + g.initializers().size() + " initializers");
        List<String> notes = new ArrayList<>();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (OnnxTensor t : g.initializers().values()) {
            if (t.dataType() == OnnxTensor.FLOAT && isHfName(t.name()) && t.values().length == t.numel()) {
                weights.put(prefixed(t.name()), Tensor.ofFloats(t.dims(), t.values()));
            }
        }
        nameMatMulWeights(file, g, weights);
        BertShape shape = BertShape.of(file, g, weights);
        progress.progress("import", 2, 3, shape.summary());
        notes.add("recognised " + shape.summary() + " from " + g.nodes().size() + " ONNX nodes");
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        weights.keySet().stream().sorted(BertOnnxImport::hfOrder).forEach(k -> ordered.put(k, weights.get(k)));
        progress.progress("import", 3, 3, "");
        return new ImportedModel(shape.config(file), ordered, Map.of(), notes);
    }

    private static void nameMatMulWeights(Path file, OnnxGraph g, Map<String, Tensor> weights) {
        List<String> unnamed = new ArrayList<>();
        for (OnnxNode n : g.nodes()) {
            if (!n.opType().equals("MatMul") && !n.opType().equals("Gemm")) {
                continue;
            }
            OnnxTensor w = g.constant(n.input(1));
            if (w == null || w.dims().length != 2 || isHfName(w.name())) {
                continue; // activation x activation (attention scores) or already named
            }
            String bias = n.opType().equals("Gemm") ? nameOf(g.constant(n.input(2))) : biasConsuming(g, n.output());
            if (bias == null || !bias.endsWith(".bias")) {
                unnamed.add(w.name() + " " + w.shapeString());
                continue;
            }
            boolean transposed = n.opType().equals("Gemm") && n.ints().getOrDefault("transB", 0L) == 1;
            String name = prefixed(bias.substring(0, bias.length() - ".bias".length()) + ".weight");
            weights.put(name, transposed ? Tensor.ofFloats(w.dims(), w.values()) : transpose(w));
        }
        if (!unnamed.isEmpty()) {
            throw new TransfuseException(file + ": cannot name " + unnamed.size() + " MatMul weight(s), e.g. "
                    + unnamed.get(0) + ": no Add with a named bias consumes the product");
        }
    }

    private static String nameOf(OnnxTensor t) {
        return t == null ? null : t.name();
    }

    /** The named bias initializer of the Add that consumes {@code value}, or null. */
    private static String biasConsuming(OnnxGraph g, String value) {
        for (OnnxNode add : g.consumers(value)) {
            if (!add.opType().equals("Add")) {
                continue;
            }
            for (String in : add.inputs()) {
                OnnxTensor b = g.constant(in);
                if (b != null && isHfName(b.name())) {
                    return b.name();
                }
            }
        }
        return null;
    }

    /** [in, out] (x W) to [out, in] (PyTorch Linear). */
    private static Tensor transpose(OnnxTensor w) {
        int rows = (int) w.dims()[0], cols = (int) w.dims()[1];
        float[] src = w.values();
        float[] out = new float[src.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = src[i * cols + j];
            }
        }
        return Tensor.ofFloats(new long[] {cols, rows}, out);
    }

    static boolean isHfName(String name) {
        String n = name.startsWith("bert.") ? name.substring(5) : name;
        boolean root = HF_ROOTS.stream().anyMatch(n::startsWith) || n.startsWith("cls.") || n.startsWith("classifier.");
        return root && (n.endsWith(".weight") || n.endsWith(".bias"));
    }

    private static String prefixed(String name) {
        return HF_ROOTS.stream().anyMatch(name::startsWith) ? "bert." + name : name;
    }

    /** Embeddings, then layers in numeric order, then heads; within a group by name. */
    private static int hfOrder(String a, String b) {
        return key(a).compareTo(key(b));
    }

    private static String key(String name) {
        Matcher m = LAYER.matcher(name);
        String group = name.contains("embeddings.") ? "0" : m.find()
                ? String.format(Locale.ROOT, "1%05d", Integer.parseInt(m.group(1))) : "2";
        return group + name;
    }

    /** The numbers of the config, read off the tensors and the graph. */
    private record BertShape(int hidden, int layers, int heads, int intermediate, int vocab, int positions, int types,
                             double eps, String task, int labels) {
        static BertShape of(Path file, OnnxGraph g, Map<String, Tensor> w) {
            long[] word = require(file, w, "bert.embeddings.word_embeddings.weight").shape();
            long[] pos = require(file, w, "bert.embeddings.position_embeddings.weight").shape();
            long[] types = require(file, w, "bert.embeddings.token_type_embeddings.weight").shape();
            TreeSet<Integer> layers = new TreeSet<>();
            for (String k : w.keySet()) {
                Matcher m = LAYER.matcher(k);
                if (m.find()) {
                    layers.add(Integer.parseInt(m.group(1)));
                }
            }
            if (layers.isEmpty() || layers.last() != layers.size() - 1) {
                throw new TransfuseException(file + ": encoder layers " + layers + " are not numbered 0.."
                        + (layers.size() - 1));
            }
            int inter = (int) require(file, w, "bert.encoder.layer.0.intermediate.dense.bias").shape()[0];
            int hidden = (int) word[1];
            if (g.nodes().stream().noneMatch(n -> n.opType().equals("Erf") || n.opType().equals("Gelu"))) {
                throw new TransfuseException(file + ": no Erf or Gelu node; only exact GELU (hidden_act \"gelu\") is supported");
            }
            String task = "BertModel";
            int labels = 0;
            if (w.containsKey("cls.predictions.bias") || w.containsKey("cls.predictions.decoder.bias")) {
                task = "BertForMaskedLM";
            } else if (w.containsKey("classifier.bias")) {
                task = "BertForSequenceClassification";
                labels = (int) w.get("classifier.bias").shape()[0];
            }
            return new BertShape(hidden, layers.size(), heads(file, g, hidden), inter, (int) word[0], (int) pos[0],
                    (int) types[0], eps(file, g), task, labels);
        }

        private static Tensor require(Path file, Map<String, Tensor> w, String name) {
            Tensor t = w.get(name);
            if (t == null) {
                throw new TransfuseException(file + ": no initializer " + name.substring("bert.".length())
                        + "; not a BERT export this importer recognises");
            }
            return t;
        }

        /** From the Reshape that splits layer 0's query into [B, T, heads, head_dim]. */
        private static int heads(Path file, OnnxGraph g, int hidden) {
            for (OnnxNode n : g.nodes()) {
                if (!n.opType().equals("Add") || n.inputs().stream().noneMatch(i -> i.endsWith("layer.0.attention.self.query.bias"))) {
                    continue;
                }
                for (OnnxNode r : g.consumers(n.output())) {
                    if (!r.opType().equals("Reshape")) {
                        continue;
                    }
                    long h = thirdDim(g, r.input(1));
                    if (h > 0 && hidden % h == 0) {
                        return (int) h;
                    }
                }
            }
            throw new TransfuseException(file + ": cannot find the number of attention heads (no Reshape of layer 0's"
                    + " query into [batch, tokens, heads, head_dim])");
        }

        private static long thirdDim(OnnxGraph g, String shapeValue) {
            OnnxTensor c = g.constant(shapeValue);
            if (c != null && c.longs() != null && c.longs().length == 4) {
                return c.longs()[2];
            }
            OnnxNode concat = g.producer(shapeValue);
            if (concat != null && concat.opType().equals("Concat") && concat.inputs().size() == 4) {
                OnnxTensor h = g.constant(concat.input(2));
                if (h != null && h.longs() != null && h.longs().length == 1) {
                    return h.longs()[0];
                }
            }
            return -1;
        }

        /** LayerNormalization's epsilon, or the constant a decomposed LayerNorm adds to the variance. */
        private static double eps(Path file, OnnxGraph g) {
            for (OnnxNode n : g.nodes()) {
                if (n.opType().equals("LayerNormalization")) {
                    return n.floats().getOrDefault("epsilon", 1e-5f);
                }
                if (n.opType().equals("Sqrt")) {
                    OnnxNode add = g.producer(n.input(0));
                    if (add != null && add.opType().equals("Add")) {
                        for (String in : add.inputs()) {
                            OnnxTensor c = g.constant(in);
                            if (c != null && c.values().length == 1) {
                                // The export stores eps as float32; print it as the decimal HF wrote.
                                return Double.parseDouble(Float.toString(c.values()[0]));
                            }
                        }
                    }
                }
            }
            throw new TransfuseException(file + ": cannot find the LayerNorm epsilon (no LayerNormalization node and no"
                    + " Sqrt(variance + eps) pattern)");
        }

        String summary() {
            return String.format(Locale.ROOT, "%s: %d layers, hidden %d, %d heads, intermediate %d, vocabulary %d,"
                    + " %d positions, eps %s", task, layers, hidden, heads, intermediate, vocab, positions, eps);
        }

        ModelConfig config(Path file) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("architectures", List.of(task));
            f.put("model_type", "bert");
            f.put("hidden_size", hidden);
            f.put("num_hidden_layers", layers);
            f.put("num_attention_heads", heads);
            f.put("intermediate_size", intermediate);
            f.put("hidden_act", "gelu");
            f.put("hidden_dropout_prob", 0.1);
            f.put("attention_probs_dropout_prob", 0.1);
            f.put("initializer_range", 0.02);
            f.put("layer_norm_eps", eps);
            f.put("vocab_size", vocab);
            f.put("max_position_embeddings", positions);
            f.put("type_vocab_size", types);
            f.put("pad_token_id", 0);
            f.put("position_embedding_type", "absolute");
            if (labels > 0) {
                f.put("num_labels", labels);
            }
            f.put("transfuse_imported_from", file.getFileName().toString());
            return new ModelConfig(f, file.toString());
        }
    }
}
