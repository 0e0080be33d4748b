package transfuse.arch.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.arch.Evaluation;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;

/** Causal language modelling on real KJV text with the bundled tokenizer, on a model small enough for seconds. */
class LlamaTrainingTest {
    private static final DatasetCatalog DATA = new DatasetCatalog();

    static ModelConfig kjvTiny() {
        return LlamaConfig.toModelConfig(32, 1, 2, 1, 64, LlamaRecipe.bundledVocabSize(), 128, true,
                LlamaTokenizers.KJV_WORDPIECE);
    }

    @Test
    void trainingLowersTheHeldOutLossAndIsBitwiseReproducible() {
        LlamaArchitecture llama = Llamas.llama();
        ModelConfig config = kjvTiny();
        Dataset train = DATA.open("kjv:512", Split.TRAIN);
        Dataset test = DATA.open("kjv:128", Split.TEST);
        Evaluation before = llama.evaluate(config, llama.initialize(config, 7), test, 64, (t, d, tot, m) -> { });
        TrainOptions o = new TrainOptions(2, 32, 3e-3, 0.01, 0.06, 1.0, 7, null, false);
        TrainResult a = llama.train(new TrainRequest(config, train, test, null, o), (t, d, tot, m) -> { });
        TrainResult b = llama.train(new TrainRequest(config, train, null, null, o), (t, d, tot, m) -> { });
        Evaluation after = a.epochs().get(1).test();
        System.out.println("llama tiny kjv:512, 2 epochs: held-out loss " + before.loss() + " -> " + after.loss()
                + ", perplexity " + after.metrics().get("perplexity"));
        // From near-uniform guessing over 10k tokens (ln 10085 = 9.2) 32 steps must lower the loss by
        // well over half a nat (the unigram statistics alone are worth several); a model that does
        // not learn moves by hundredths.
        assertTrue(after.loss() < before.loss() - 0.5, "held-out loss " + before.loss() + " -> " + after.loss());
        assertEquals(Math.exp(after.loss()), after.metrics().get("perplexity"), 1e-9);
        // Every verse is [CLS] words [SEP]: it predicts all its tokens after the first.
        assertTrue(after.metrics().get("tokens") > 128 * 3, "tokens " + after.metrics().get("tokens"));
        for (String name : a.weights().keySet()) {
            assertArrayEquals(a.weights().get(name).toFloats(), b.weights().get(name).toFloats(), name);
        }
        Evaluation again = llama.evaluate(config, a.weights(), test, 17, (t, d, tot, m) -> { });
        assertEquals(after.loss(), again.loss(), 1e-6);
    }

    @Test
    void theEvaluationLossIsTheShiftedNextTokenCrossEntropyOfTheLogits() {
        // The objective's loss against one computed by hand from forward's logits: position i predicts token i + 1.
        LlamaArchitecture llama = Llamas.llama();
        ModelConfig config = kjvTiny();
        Map<String, Tensor> w = Llamas.randomised(llama.initialize(config, 3), 1);
        Dataset texts = DATA.open("kjv:3", Split.TEST);
        Map<String, Tensor> in = llama.inputs(config, texts, 0, 3);
        float[] logits = llama.forward(config, w, ForwardRequest.logits(in)).logits().toFloats();
        long[] ids = in.get("input_ids").toLongs();
        long[] mask = in.get("attention_mask").toLongs();
        int t = (int) in.get("input_ids").shape()[1];
        int v = LlamaRecipe.bundledVocabSize();
        double sum = 0;
        int count = 0;
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i + 1 < t && mask[r * t + i + 1] == 1; i++) {
                int row = (r * t + i) * v;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < v; j++) {
                    max = Math.max(max, logits[row + j]);
                }
                double z = 0;
                for (int j = 0; j < v; j++) {
                    z += Math.exp(logits[row + j] - max);
                }
                sum += max + Math.log(z) - logits[row + (int) ids[r * t + i + 1]];
                count++;
            }
        }
        Evaluation e = llama.evaluate(config, w, texts, 3, (a, b, c, d) -> { });
        assertEquals(count, e.metrics().get("tokens").intValue());
        assertEquals(sum / count, e.loss(), 1e-4 * (sum / count), "float32 logits summed in another order");
    }
}
