package transfuse.arch.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.TokenWindow;
import transfuse.api.arch.TrainRequest;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;
import transfuse.io.config.ConfigJson;

/** Bad input gives one-line errors naming what is wrong; HF naming variants are accepted. */
class BertContractTest {
    private static final int VOCAB = 37;

    @TempDir
    Path tmp;

    @Test
    void tokenIdsAtOrBeyondTheVocabularyAreRejected() {
        BertArchitecture bert = Berts.bert();
        ModelConfig config = Berts.tiny(8, 1, 2, 16, VOCAB, BertTask.MASKED_LM);
        Tensor ids = Tensor.ofLongs(new long[] {1, 3}, new long[] {2, VOCAB, 5});
        TransfuseException e = assertThrows(TransfuseException.class, () -> bert.forward(config,
                bert.initialize(config, 1), ForwardRequest.logits(Map.of("input_ids", ids))));
        assertEquals("input_ids holds id 37 at [0, 1] but vocab_size is 37", e.getMessage());
        Tensor negative = Tensor.ofLongs(new long[] {1, 2}, new long[] {-1, 3});
        assertThrows(TransfuseException.class, () -> bert.forward(config, bert.initialize(config, 1),
                ForwardRequest.logits(Map.of("input_ids", negative))));
    }

    @Test
    void sequencesLongerThanThePositionTableAreRejected() {
        BertArchitecture bert = Berts.bert();
        ModelConfig config = Berts.tiny(8, 1, 2, 16, VOCAB, BertTask.MASKED_LM); // 16 positions
        Tensor ids = Tensor.ofLongs(new long[] {1, 17}, new long[17]);
        TransfuseException e = assertThrows(TransfuseException.class, () -> bert.forward(config,
                bert.initialize(config, 1), ForwardRequest.logits(Map.of("input_ids", ids))));
        assertTrue(e.getMessage().contains("max_position_embeddings is 16"), e.getMessage());
    }

    @Test
    void aConfigThatDisagreesWithTheTensorsNamesTensorExpectedAndFound() {
        BertArchitecture bert = Berts.bert();
        Map<String, Tensor> w = bert.initialize(Berts.tiny(8, 1, 2, 16, VOCAB, BertTask.MASKED_LM), 1);
        ModelConfig bigger = Berts.tiny(8, 1, 2, 16, VOCAB + 3, BertTask.MASKED_LM);
        TransfuseException e = assertThrows(TransfuseException.class, () -> bert.validate(bigger, w));
        assertEquals("tensor bert.embeddings.word_embeddings.weight: expected shape [40, 8] from the config,"
                + " found [37, 8]", e.getMessage());
        Map<String, Tensor> missing = new LinkedHashMap<>(w);
        missing.remove("bert.encoder.layer.0.attention.self.key.weight");
        e = assertThrows(TransfuseException.class, () -> bert.validate(
                Berts.tiny(8, 1, 2, 16, VOCAB, BertTask.MASKED_LM), missing));
        assertEquals("missing tensor bert.encoder.layer.0.attention.self.key.weight (expected shape [8, 8])",
                e.getMessage());
        e = assertThrows(TransfuseException.class, () -> bert.validate(
                Berts.tiny(8, 1, 2, 16, VOCAB, BertTask.MASKED_LM).with("hidden_act", "gelu_new"), w));
        assertTrue(e.getMessage().contains("hidden_act \"gelu_new\" is not supported"), e.getMessage());
    }

    @Test
    void bareBertModelNamesAndASavedDecoderBiasAreAccepted() {
        BertArchitecture bert = Berts.bert();
        ModelConfig config = Berts.tiny(8, 1, 2, 16, VOCAB, BertTask.MASKED_LM);
        Map<String, Tensor> w = FunctionPreservingPermutationTest.randomised(bert.initialize(config, 1), 2);
        Map<String, Tensor> bare = new LinkedHashMap<>();
        w.forEach((k, v) -> bare.put(k.startsWith("bert.") ? k.substring(5) : k.equals("cls.predictions.bias")
                ? "cls.predictions.decoder.bias" : k, v));
        Tensor[] x = Berts.idsAndMask(3, 6, VOCAB, 4);
        ForwardRequest r = new ForwardRequest(Map.of("input_ids", x[0], "attention_mask", x[1]), true, true, Set.of(),
                TokenWindow.ALL, 8);
        assertArrayEquals(bert.forward(config, w, r).logits().toFloats(), bert.forward(config, bare, r).logits().toFloats());
    }

    @Test
    void anEmptyDatasetIsRejected() {
        BertArchitecture bert = Berts.bert();
        ModelConfig config = kjvTiny();
        TransfuseException e = assertThrows(TransfuseException.class, () -> bert.train(new TrainRequest(config,
                empty(), null, null, bert.defaultOptions().withEpochs(1)), (t, d, tot, m) -> { }));
        assertTrue(e.getMessage().contains("holds no examples"), e.getMessage());
    }

    @Test
    void anUnreadableTokenizerIsReportedWithItsPath() throws Exception {
        BertArchitecture bert = Berts.bert();
        Path dir = Files.createDirectories(tmp.resolve("model"));
        ConfigJson.write(dir.resolve("config.json"), Berts.tiny(8, 1, 2, 16, VOCAB, BertTask.MASKED_LM));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\"");
        ModelConfig config = ConfigJson.read(dir.resolve("config.json"));
        Dataset kjv = new DatasetCatalog().open("kjv:4", Split.TEST);
        TransfuseException e = assertThrows(TransfuseException.class, () -> bert.inputs(config, kjv, 0, 4));
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json") + ": unreadable tokenizer"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        // A readable tokenizer whose ids exceed the model's vocabulary is rejected too.
        Files.write(dir.resolve("tokenizer.json"), BertTokenizers.bundled(BertTokenizers.KJV_WORDPIECE).json());
        e = assertThrows(TransfuseException.class, () -> bert.inputs(config, kjv, 0, 4));
        assertTrue(e.getMessage().contains("tokenizer has 10085 tokens but the model's vocab_size is 37"), e.getMessage());
    }

    @Test
    void aFileThatIsNotOnnxIsReportedWithItsName() throws Exception {
        Path bad = tmp.resolve("bad.onnx");
        Files.write(bad, new byte[] {0x0a, (byte) 0xff, 0x01});
        TransfuseException e = assertThrows(TransfuseException.class, () -> Berts.bert().importOnnx(bad, null,
                (t, d, tot, m) -> { }));
        assertTrue(e.getMessage().startsWith(bad + ": "), e.getMessage());
    }

    @Test
    void theRecipeConfigMatchesTheBundledVocabularyAndTheCheckedInRecipe() {
        ModelConfig fromData = Berts.bert().defaultConfig(new DatasetCatalog().open("kjv:4", Split.TRAIN));
        ModelConfig checkedIn = ConfigJson.read(Path.of("recipes/kjv-mlm.json"));
        assertEquals(checkedIn.fields(), fromData.fields());
    }

    static ModelConfig kjvTiny() {
        return BertConfig.toModelConfig(16, 1, 2, 32, BertRecipe.bundledVocabSize(), 64, BertTask.MASKED_LM, List.of(),
                BertTokenizers.KJV_WORDPIECE);
    }

    private static Dataset empty() {
        return new Dataset() {
            @Override public String name() { return "empty"; }
            @Override public Split split() { return Split.TRAIN; }
            @Override public int size() { return 0; }
            @Override public Modality modality() { return Modality.TEXT; }
            @Override public List<String> classNames() { return List.of(); }
            @Override public long[] imageShape() { return new long[0]; }
            @Override public Tensor images(int from, int to) { throw new TransfuseException("no images"); }
            @Override public List<String> texts(int from, int to) { return List.of(); }
            @Override public int[] labels(int from, int to) { throw new TransfuseException("unlabelled"); }
            @Override public String attribution() { return ""; }
        };
    }
}
