package transfuse.arch.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.arch.Evaluation;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;

/** Masked language modelling and fine-tuning on real text, on models small enough for seconds. */
class BertTrainingTest {
    private static final DatasetCatalog DATA = new DatasetCatalog();

    @Test
    void maskedLanguageModellingLowersTheHeldOutLossAndIsBitwiseReproducible() {
        BertArchitecture bert = Berts.bert();
        ModelConfig config = BertContractTest.kjvTiny();
        Dataset train = DATA.open("kjv:512", Split.TRAIN);
        Dataset test = DATA.open("kjv:128", Split.TEST);
        Evaluation before = bert.evaluate(config, bert.initialize(config, 7), test, 64, (t, d, tot, m) -> { });
        TrainOptions o = new TrainOptions(2, 32, 3e-3, 0.01, 0.06, 1.0, 7, null, false);
        TrainResult a = bert.train(new TrainRequest(config, train, test, null, o), (t, d, tot, m) -> { });
        TrainResult b = bert.train(new TrainRequest(config, train, null, null, o), (t, d, tot, m) -> { });
        Evaluation after = a.epochs().get(1).test();
        // From uniform guessing over 10k tokens (ln 10085 = 9.2) the loss must fall clearly within 32 steps
        // (about 1.3 nats seen); a model that does not learn stays within a few hundredths.
        assertTrue(after.loss() < before.loss() - 0.5, "held-out loss " + before.loss() + " -> " + after.loss());
        assertEquals(Math.exp(after.loss()), after.metrics().get("pseudo_perplexity"), 1e-9);
        assertTrue(after.metrics().get("masked_tokens") > 128, "at least one target per verse");
        for (String name : a.weights().keySet()) {
            assertArrayEquals(a.weights().get(name).toFloats(), b.weights().get(name).toFloats(), name);
        }
        // Fixed evaluation masks: evaluating twice, in other batch sizes, gives the same figure.
        Evaluation again = bert.evaluate(config, a.weights(), test, 17, (t, d, tot, m) -> { });
        assertEquals(after.loss(), again.loss(), 1e-5);
    }

    @Test
    void fineTuningAMaskedLmForSentimentKeepsTheBodyAndDrawsTheHeadFromTheSeed() {
        BertArchitecture bert = Berts.bert();
        ModelConfig mlm = BertContractTest.kjvTiny();
        Map<String, Tensor> body = bert.initialize(mlm, 3);
        Dataset train = DATA.open("sentiment:64", Split.TRAIN);
        ModelConfig cls = bert.finetuneConfig(mlm, train);
        assertEquals(List.of("BertForSequenceClassification"), cls.fields().get("architectures"));
        assertEquals(2, cls.getInt("num_labels"));
        TrainOptions o = new TrainOptions(1, 16, 1e-3, 0.01, 0.0, 1.0, 5, null, false);
        TrainResult r = bert.train(new TrainRequest(cls, train, DATA.open("sentiment:32", Split.TEST), body, o),
                (t, d, tot, m) -> { });
        assertEquals(List.of(2L, 16L), java.util.Arrays.stream(r.weights().get("classifier.weight").shape()).boxed().toList());
        assertTrue(r.weights().containsKey("cls.predictions.bias"), "the MLM head is kept as an extra");
        Evaluation e = r.epochs().get(0).test();
        assertEquals(32, e.examples());
        assertTrue(e.accuracy() >= 0 && e.accuracy() <= 1);
        TrainResult again = bert.train(new TrainRequest(cls, train, null, body, o), (t, d, tot, m) -> { });
        assertArrayEquals(r.weights().get("classifier.weight").toFloats(), again.weights().get("classifier.weight").toFloats());
    }
}
