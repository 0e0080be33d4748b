package transfuse.arch.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.TokenWindow;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;

/** The Architecture contract of the vit component: declaration, validation, forward, inputs. */
class VitContractTest {
    private final VitArchitecture vit = Vits.vit();
    private final ModelConfig config = Vits.tiny(8, 2, 2, 16, 8, 4, 1, 3);

    @Test
    void theGraphDeclaresExactlyTheTensorsOfAFreshInitWithHfNames() {
        ModelGraph g = vit.graph(config);
        Map<String, Tensor> w = vit.initialize(config, 1);
        assertEquals(w.keySet(), new java.util.LinkedHashSet<>(g.tensors().stream().map(TensorSpec::name).toList()));
        assertTrue(w.containsKey("vit.encoder.layer.1.attention.attention.query.weight"));
        assertTrue(w.containsKey("vit.embeddings.patch_embeddings.projection.weight"));
        assertArrayEquals(new long[] {8, 1, 4, 4}, w.get("vit.embeddings.patch_embeddings.projection.weight").shape());
        assertArrayEquals(new long[] {1, 5, 8}, w.get("vit.embeddings.position_embeddings").shape());
        assertArrayEquals(new long[] {16, 8}, w.get("vit.encoder.layer.0.intermediate.dense.weight").shape(),
                "Linear weights are [out, in]");
        assertEquals(2, g.space("layer.0.attn.qk").heads());
        assertEquals(2, g.joins().size() / 2);
        assertEquals("layer.1.residual", g.tensor("classifier.weight").spaceOf(1));
    }

    @Test
    void initializationIsAPureFunctionOfConfigAndSeed() {
        Map<String, Tensor> a = vit.initialize(config, 5);
        Map<String, Tensor> b = vit.initialize(config, 5);
        Map<String, Tensor> c = vit.initialize(config, 6);
        String q = "vit.encoder.layer.0.attention.attention.query.weight";
        assertArrayEquals(a.get(q).toFloats(), b.get(q).toFloats());
        assertTrue(!java.util.Arrays.equals(a.get(q).toFloats(), c.get(q).toFloats()));
    }

    @Test
    void aMissingTensorIsNamedWithItsExpectedShape() {
        Map<String, Tensor> w = new LinkedHashMap<>(vit.initialize(config, 1));
        w.remove("vit.encoder.layer.1.output.dense.bias");
        assertEquals("missing tensor vit.encoder.layer.1.output.dense.bias (expected shape [8])",
                assertThrows(TransfuseException.class, () -> vit.validate(config, w)).getMessage());
    }

    @Test
    void aMisShapedTensorIsNamedWithExpectedAndFoundShape() {
        Map<String, Tensor> w = new LinkedHashMap<>(vit.initialize(config, 1));
        w.put("vit.encoder.layer.0.attention.attention.key.weight", Tensor.ofFloats(new long[] {8, 4}, new float[32]));
        assertEquals("tensor vit.encoder.layer.0.attention.attention.key.weight: expected shape [8, 8], found [8, 4]",
                assertThrows(TransfuseException.class, () -> vit.validate(config, w)).getMessage());
    }

    @Test
    void weightsOfAnotherConfigAreRejectedNamingTheFirstDisagreement() {
        ModelConfig wider = Vits.tiny(12, 2, 2, 16, 8, 4, 1, 3);
        Map<String, Tensor> w = vit.initialize(wider, 1);
        TransfuseException e = assertThrows(TransfuseException.class, () -> vit.forward(config, w,
                ForwardRequest.logits(Map.of("pixel_values", Vits.images(1, 1, 8, 1)))));
        assertEquals("tensor vit.embeddings.cls_token: expected shape [1, 1, 8], found [1, 1, 12]", e.getMessage());
    }

    @Test
    void extraTensorsAreAllowed() {
        Map<String, Tensor> w = new LinkedHashMap<>(vit.initialize(config, 1));
        w.put("vit.pooler.dense.weight", Tensor.ofFloats(new long[] {1}, new float[1]));
        vit.validate(config, w);
    }

    @Test
    void badConfigsFailWithOneLineNamingTheField() {
        assertEquals("spec: hidden_size 10 is not a multiple of num_attention_heads 4",
                assertThrows(TransfuseException.class, () -> vit.graph(Vits.tiny(10, 1, 4, 8, 8, 4, 1, 2))).getMessage());
        assertEquals("spec: image_size 8 is not a multiple of patch_size 3",
                assertThrows(TransfuseException.class, () -> vit.graph(Vits.tiny(8, 1, 2, 8, 8, 3, 1, 2))).getMessage());
        assertEquals("spec: hidden_act \"gelu_new\" is not supported (only exact \"gelu\")",
                assertThrows(TransfuseException.class, () -> vit.graph(config.with("hidden_act", "gelu_new"))).getMessage());
        Map<String, Object> noLayers = new LinkedHashMap<>(config.fields());
        noLayers.remove("num_hidden_layers");
        assertEquals("spec: missing field 'num_hidden_layers'", assertThrows(TransfuseException.class,
                () -> vit.graph(new ModelConfig(noLayers, "spec"))).getMessage());
    }

    @Test
    void aWrongImageSizeIsRejected() {
        Map<String, Tensor> w = vit.initialize(config, 1);
        TransfuseException e = assertThrows(TransfuseException.class, () -> vit.forward(config, w,
                ForwardRequest.logits(Map.of("pixel_values", Vits.images(2, 1, 12, 1)))));
        assertEquals("pixel_values images have shape [1, 12, 12] but the config expects [1, 8, 8]"
                + " (num_channels, image_size, image_size)", e.getMessage());
        assertThrows(TransfuseException.class, () -> vit.train(new transfuse.api.arch.TrainRequest(
                config, new DatasetCatalog().open("fashion-mnist:10", Split.TRAIN), null, null,
                vit.defaultOptions().withEpochs(1)), transfuse.api.progress.ProgressListener.NONE));
    }

    @Test
    void forwardIsBatchedWithoutChangingResults() {
        Map<String, Tensor> w = FunctionPreservingPermutationTest.randomised(vit.initialize(config, 1), 1);
        Tensor x = Vits.images(7, 1, 8, 3);
        ForwardResult one = vit.forward(config, w, new ForwardRequest(Map.of("pixel_values", x), true, true, Set.of(),
                TokenWindow.ALL, 1));
        ForwardResult all = vit.forward(config, w, new ForwardRequest(Map.of("pixel_values", x), true, true, Set.of(),
                TokenWindow.ALL, 64));
        assertArrayEquals(new long[] {7, 3}, all.logits().shape());
        assertArrayEquals(new long[] {7, 5, 8}, all.hidden().shape());
        assertArrayEquals(one.logits().toFloats(), all.logits().toFloats(), 1e-5f);
        assertArrayEquals(one.hidden().toFloats(), all.hidden().toFloats(), 1e-5f);
    }

    @Test
    void float64PixelsGiveTheSameLogitsAsFloat32() {
        Map<String, Tensor> w = vit.initialize(config, 1);
        Tensor x32 = Vits.images(3, 1, 8, 4);
        float[] f = x32.toFloats();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        Tensor x64 = Tensor.ofDoubles(x32.shape(), d);
        assertArrayEquals(vit.forward(config, w, ForwardRequest.logits(Map.of("pixel_values", x32))).logits().toFloats(),
                vit.forward(config, w, ForwardRequest.logits(Map.of("pixel_values", x64))).logits().toFloats());
        assertThrows(TransfuseException.class, () -> vit.forward(config, w, ForwardRequest.logits(
                Map.of("pixel_values", Tensor.ofLongs(new long[] {1, 1, 8, 8}, new long[64])))));
    }

    @Test
    void tapsAreRowsOfKeptTokensBySpaceSize() {
        Map<String, Tensor> w = vit.initialize(config, 1);
        Tensor x = Vits.images(3, 1, 8, 3);
        Set<String> taps = Set.of("embed", "layer.0.attn.q", "layer.1.attn.context", "layer.1.mlp.act", "final.norm");
        ForwardResult all = vit.forward(config, w, ForwardRequest.taps(Map.of("pixel_values", x), taps, TokenWindow.ALL));
        assertArrayEquals(new long[] {15, 8}, all.taps().get("embed").shape(), "3 samples x 5 tokens");
        assertArrayEquals(new long[] {15, 16}, all.taps().get("layer.1.mlp.act").shape());
        assertArrayEquals(new long[] {15, 8}, all.taps().get("layer.1.attn.context").shape());
        ForwardResult cls = vit.forward(config, w, ForwardRequest.taps(Map.of("pixel_values", x), taps, TokenWindow.FIRST));
        assertArrayEquals(new long[] {3, 16}, cls.taps().get("layer.1.mlp.act").shape());
        // CLS rows are rows 0, 5, 10 of the all-token tap.
        float[] allRows = all.taps().get("final.norm").toFloats();
        float[] clsRows = cls.taps().get("final.norm").toFloats();
        for (int s = 0; s < 3; s++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(allRows[(s * 5) * 8 + j], clsRows[s * 8 + j]);
            }
        }
        assertThrows(TransfuseException.class, () -> vit.forward(config, w,
                ForwardRequest.taps(Map.of("pixel_values", x), Set.of("layer.7.mlp.act"), TokenWindow.ALL)));
    }

    @Test
    void theFinalNormTapIsTheHiddenStateAndTheGraphTapsAllResolve() {
        Map<String, Tensor> w = vit.initialize(config, 1);
        Tensor x = Vits.images(2, 1, 8, 3);
        Set<String> every = new java.util.HashSet<>();
        vit.graph(config).taps().forEach(t -> every.add(t.name()));
        ForwardResult r = vit.forward(config, w, new ForwardRequest(Map.of("pixel_values", x), false, true, every,
                TokenWindow.ALL, 8));
        assertEquals(every, r.taps().keySet(), "the forward pass offers every declared tap");
        ModelGraph g = vit.graph(config);
        for (var tap : g.taps()) {
            assertEquals(g.space(tap.space()).size(), r.taps().get(tap.name()).shape()[1], tap.name());
        }
        assertArrayEquals(r.hidden().toFloats(), r.taps().get("final.norm").toFloats());
    }

    @Test
    void defaultConfigFitsTheDataSet() {
        DatasetCatalog data = new DatasetCatalog();
        ModelConfig fm = vit.defaultConfig(data.open("fashion-mnist:1", Split.TRAIN));
        assertEquals(28, fm.getInt("image_size"));
        assertEquals(7, fm.getInt("patch_size"));
        ModelConfig digits = vit.defaultConfig(data.open("digits:1", Split.TRAIN));
        assertEquals(2, digits.getInt("patch_size"));
        assertThrows(TransfuseException.class, () -> vit.defaultConfig(data.open("sentiment:1", Split.TRAIN)));
        assertEquals(Map.of("pixel_values", 1L), Map.of("pixel_values", (long) vit.inputs(fm,
                data.open("fashion-mnist:1", Split.TEST), 0, 1).get("pixel_values").shape()[0]));
    }
}
