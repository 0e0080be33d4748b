package transfuse.hotadd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.testkit.server.Api;

/**
 * The Llama jobs of the hot-add tests, as server specs and as the same command's arguments: a tiny
 * causal LM (d 32, 2 layers, 4 query heads sharing 2 key/value heads, MLP 64, 32 positions, the
 * bundled kjv-wordpiece vocabulary) trained one epoch on the first 256 verses of the bundled
 * {@code kjv}, so that a training takes seconds on two cores.
 */
final class LlamaJobs {
    static final String CONFIG = "tiny-llama.json";
    static final String TRAIN_DATA = "kjv:256";
    static final String EVAL_DATA = "kjv:64";

    private LlamaJobs() {
    }

    /** Writes the tiny config into a folder (a server's models root, or any folder for the CLI); returns its path. */
    static Path writeTinyConfig(Path dir) throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("architectures", List.of("LlamaForCausalLM"));
        f.put("model_type", "llama");
        f.put("hidden_size", 32);
        f.put("num_hidden_layers", 2);
        f.put("num_attention_heads", 4);
        f.put("num_key_value_heads", 2);
        f.put("intermediate_size", 64);
        f.put("hidden_act", "silu");
        f.put("max_position_embeddings", 32);
        f.put("vocab_size", 10085);
        f.put("tie_word_embeddings", true);
        f.put("transfuse_vocabulary", "kjv-wordpiece");
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(CONFIG), Api.json(f));
    }

    /** One epoch on 256 verses, no per-epoch evaluation on the whole test split. */
    static Map<String, Object> train(int seed) {
        return Map.of("arch", LlamaBundle.ARCH, "config", CONFIG, "data", TRAIN_DATA, "epochs", 1, "batch", 32,
                "seed", seed, "no-eval", true);
    }

    /** A training that surely still runs when it first reports progress: 200 epochs, a step every 8 verses. */
    static Map<String, Object> longTrain() {
        return Map.of("arch", LlamaBundle.ARCH, "config", CONFIG, "data", TRAIN_DATA, "epochs", 200, "batch", 8,
                "seed", 3, "no-eval", true);
    }

    static Map<String, Object> fuse(String a, String b) {
        return Map.of("models", List.of(a, b), "method", "ot", "data", EVAL_DATA, "samples", 64);
    }

    static Map<String, Object> eval(String model) {
        return Map.of("model", model, "data", EVAL_DATA);
    }

    static String[] trainArgs(Path config, int seed, Path out) {
        return new String[] {"train", "--arch", LlamaBundle.ARCH, "--config", config.toString(), "--data", TRAIN_DATA,
                "--epochs", "1", "--batch", "32", "--seed", Integer.toString(seed), "--no-eval", "--out", out.toString(),
                "--json"};
    }

    static String[] fuseArgs(Path a, Path b, Path out) {
        return new String[] {"fuse", "--models", a.toString(), b.toString(), "--method", "ot", "--data", EVAL_DATA,
                "--samples", "64", "--out", out.toString(), "--json"};
    }

    static String[] evalArgs(Path model) {
        return new String[] {"eval", "--model", model.toString(), "--data", EVAL_DATA, "--json"};
    }

    /** A causal-LM evaluation of 64 test verses: a finite positive next-token loss, and perplexity = exp(loss). */
    static void checkEvaluation(Map<?, ?> result) {
        assertEquals(64, ((Number) result.get("examples")).intValue(), result.toString());
        double loss = ((Number) result.get("loss")).doubleValue();
        assertTrue(Double.isFinite(loss) && loss > 0, result.toString());
        double perplexity = ((Number) result.get("perplexity")).doubleValue();
        assertEquals(Math.exp(loss), perplexity, 1e-9 * perplexity, result.toString());
    }
}
