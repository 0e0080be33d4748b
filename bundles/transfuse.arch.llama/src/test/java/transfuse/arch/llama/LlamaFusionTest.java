package transfuse.arch.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import transfuse.api.TransfuseException;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.fusion.BarrierCurve;
import transfuse.fusion.FusionEngine;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.LossBarrier;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;
import transfuse.testkit.SpacePermutation;

/**
 * Function preservation through the fusion engine: fusing a Llama with a copy of itself
 * permuted by its own declaration (one permutation for the residual stream, RMSNorm weights
 * included; gate/up with down; KV heads carrying their query heads, query heads swapped inside
 * their group, value dims with their output-projection columns, no Q/K dim) must undo the
 * permutation, so the average of two equal models is the model. Two decoders over the bundled
 * vocabulary and real {@code kjv} text: grouped-query with untied head (4 query heads on 2 KV
 * heads) and multi-query with tied embeddings (4 on 1).
 */
class LlamaFusionTest {
    /**
     * float32 weights through float64 maps, rounded back: a recovered permutation averages each
     * value with itself (measured 0); logits through a float32 forward of equal weights.
     */
    private static final double EXACT = 1e-5;
    /** Verses the alignment sees: 40 give over a thousand token rows for at most 64 neurons per space. */
    private static final int SAMPLES = 40;
    /** Test-split verses the logits are compared on. */
    private static final int EVAL = 8;

    @TempDir
    static Path tmp;
    static Pair gqa;
    static Pair mqa;

    /** A model and its permuted copy, written as model directories. */
    record Pair(String name, Map<String, Tensor> original, Path anchor, Path permuted) {
        static Pair of(String name, ModelConfig config, long seed) {
            LlamaArchitecture llama = Llamas.llama();
            Map<String, Tensor> w = perturbed(llama.initialize(config, seed), seed);
            ModelGraph graph = llama.graph(config);
            SpacePermutation perm = new SpacePermutation(graph, llama.headGroups(config), new Random(seed + 100));
            return new Pair(name, w, write(tmp.resolve(name + "-a"), config, w),
                    write(tmp.resolve(name + "-b"), config, perm.apply(graph, w)));
        }

        Path fuse(String spec) {
            Path out = tmp.resolve(name + "-" + Integer.toHexString(spec.hashCode()));
            List<Path> models = List.of(anchor, permuted);
            new FusionEngine(LlamaFusionServices.get()).fuse(models, options(spec), out, ProgressListener.NONE);
            return out;
        }
    }

    @BeforeAll
    static void models() {
        int vocab = LlamaRecipe.bundledVocabSize();
        gqa = Pair.of("gqa", LlamaConfig.toModelConfig(32, 2, 4, 2, 48, vocab, 64, false,
                LlamaTokenizers.KJV_WORDPIECE), 7);
        mqa = Pair.of("mqa", LlamaConfig.toModelConfig(32, 2, 4, 1, 48, vocab, 64, true,
                LlamaTokenizers.KJV_WORDPIECE), 8);
    }

    private static Pair pair(String name) {
        return name.equals("gqa") ? gqa : mqa;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
            "gqa; perm, heads permute, residual first; method=perm",
            "gqa; perm, residual from all taps; method=perm,residual-perm=all",
            "gqa; perm, residual from the last tap; method=perm,residual-perm=last",
            "gqa; ot with emd from activations; method=ot,solver=emd",
            "gqa; ot with emd, weighted residual; method=ot,solver=emd,residual=weighted-matrix",
            "mqa; perm, heads permute, residual first; method=perm",
            "mqa; ot with emd from activations; method=ot,solver=emd",
    })
    void fusingWithAPermutedCopyGivesTheModelBack(String model, String what, String spec) {
        Pair p = pair(model);
        Path out = p.fuse(spec);
        double weights = maxTensorDifference(p.original(), FusionEngine.load(out));
        double logits = relative(logits(p.anchor()), logits(out));
        System.out.println("llama " + model + ", " + what + ": max relative tensor difference " + weights
                + ", logits " + logits);
        assertTrue(weights <= EXACT, model + ", " + what + ": fused weights differ from the original by " + weights);
        assertTrue(logits <= EXACT, model + ", " + what + ": fused logits differ from the original by " + logits);
    }

    @Test
    void vanillaOfAPermutedCopyIsNotTheModel() {
        // The checks above can fail: without alignment the permutation is not undone.
        for (Pair p : List.of(gqa, mqa)) {
            double logits = relative(logits(p.anchor()), logits(p.fuse("method=vanilla")));
            System.out.println("llama " + p.name() + " vanilla of a permuted copy: logits " + logits);
            assertTrue(logits > 0.1, p.name() + ": vanilla gave the model back");
        }
    }

    /**
     * Entropic OT blurs each permutation (see the fusion bundle's BERT test for the argument): at
     * the default reg 0.08 the logits come back within 0.1 relative, at reg 0.02 within 1e-3 and
     * ten times closer; a wrong alignment is order 1 (vanilla above).
     */
    @Test
    void sinkhornGivesTheModelBackUpToItsEntropicBlur() {
        float[] a = logits(gqa.anchor());
        double blurred = relative(a, logits(gqa.fuse("method=ot,solver=sinkhorn")));
        double sharp = relative(a, logits(gqa.fuse("method=ot,solver=sinkhorn,reg=0.02")));
        System.out.println("llama gqa sinkhorn fused vs original logits: reg 0.08 -> " + blurred + ", reg 0.02 -> " + sharp);
        assertTrue(blurred < 0.1, "reg 0.08: differs by " + blurred);
        assertTrue(sharp < 1e-3 && sharp < blurred / 10, "reg 0.02: differs by " + sharp);
    }

    @Test
    void thePathToAnAlignedPermutedCopyIsFlatAndTheUnalignedOneIsNot() {
        // Every point between A and B' = perm(B) is A itself: the loss curve is flat and the barrier 0.
        // Unaligned, the midpoint averages unrelated neurons and its loss moves off A's (on these
        // untrained random decoders it may move down as well as up, so the check is on the curve).
        Dataset data = LlamaFusionServices.get().dataset("kjv:32", Split.TRAIN);
        LossBarrier barrier = new LossBarrier(LlamaFusionServices.get());
        BarrierCurve aligned = barrier.curve(gqa.anchor(), gqa.permuted(), options("method=perm"), 3, data,
                ProgressListener.NONE);
        BarrierCurve vanilla = barrier.curve(gqa.anchor(), gqa.permuted(), options("method=vanilla"), 3, data,
                ProgressListener.NONE);
        double[] a = aligned.losses();
        double[] v = vanilla.losses();
        System.out.println("llama gqa path to a permuted copy, losses at lambda 0, 0.5, 1: perm " + a[0] + ", " + a[1]
                + ", " + a[2] + "; vanilla " + v[0] + ", " + v[1] + ", " + v[2]);
        for (double loss : a) {
            assertEquals(a[2], loss, 1e-5 * a[2]);
        }
        assertEquals(0, aligned.barrier(), 1e-5 * a[2]);
        assertTrue(Math.abs(v[1] - v[2]) > 0.01, "vanilla midpoint loss " + v[1] + " against the ends' " + v[2]);
    }

    @Test
    void otFromWeightsIsRefusedNamingTheSpaceNoWeightDefines() {
        // The output projection's columns (attn.context) are read by o_proj only: no weight rows define them.
        TransfuseException e = assertThrows(TransfuseException.class, () -> gqa.fuse("method=ot,solver=emd,align=weights"));
        assertEquals("space layer.0.attn.context has no weights that define it and no taps; it cannot be aligned from"
                + " weights", e.getMessage());
    }

    static FusionOptions options(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            String[] p = kv.split("=", 2);
            m.put(p[0].trim(), p[1].trim());
        }
        if (!m.get("method").equals("vanilla") && !"weights".equals(m.get("align"))) {
            m.put("data", "kjv");
            m.put("samples", Integer.toString(SAMPLES));
        }
        return FusionOptions.parse(m, 2, LlamaFusionServices.get()::aligner);
    }

    /** Initial weights perturbed everywhere: unit RMSNorm weights would hide axis mistakes. */
    static Map<String, Tensor> perturbed(Map<String, Tensor> w, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        w.forEach((name, t) -> {
            float[] v = t.toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (r.nextGaussian() * 0.2);
            }
            out.put(name, Tensor.ofFloats(t.shape(), v));
        });
        return out;
    }

    static Path write(Path dir, ModelConfig config, Map<String, Tensor> weights) {
        List<TensorSource> sources = new ArrayList<>();
        weights.forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        ModelDir.write(dir, config, sources, Map.of());
        return dir;
    }

    /** Next-token logits on the first test-split verses (not the ones the alignment saw). */
    static float[] logits(Path dir) {
        ModelConfig c;
        try (ModelDir d = ModelDir.open(dir)) {
            c = d.config();
        }
        Dataset data = LlamaFusionServices.get().dataset("kjv", Split.TEST);
        LlamaArchitecture llama = Llamas.llama();
        return llama.forward(c, FusionEngine.load(dir), ForwardRequest.logits(llama.inputs(c, data, 0, EVAL)))
                .logits().toFloats();
    }

    static double relative(float[] a, float[] b) {
        return Llamas.relative(a, b, null, 1);
    }

    private static double maxTensorDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        double worst = 0;
        for (String name : a.keySet()) {
            worst = Math.max(worst, relative(a.get(name).toFloats(), b.get(name).toFloats()));
        }
        return worst;
    }
}
