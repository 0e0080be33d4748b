package transfuse.arch.llama;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Evaluation;
import transfuse.api.progress.ProgressListener;
import transfuse.nn.GradMode;
import transfuse.nn.Layers;
import transfuse.nn.NdTensors;
import transfuse.nn.Objective;
import transfuse.nn.Params;
import transfuse.nn.TapRecorder;
import transfuse.nn.TokenTargetScores;

/**
 * Causal language modelling as HF's {@code LlamaForCausalLM} loss: position i predicts token
 * i + 1 (labels shifted by one), mean cross-entropy over every predicted real token, padding never
 * a target. The LM head runs on the predicting rows only. Evaluation reports the per-token loss,
 * the fraction of next tokens predicted exactly ({@code accuracy}), {@code perplexity} =
 * exp(loss) and the number of predicted {@code tokens}; it draws nothing, so it does not depend
 * on the batch size beyond float rounding.
 */
final class CausalLmObjective implements Objective {
    static final int EVAL_BATCH = 64;

    private final LlamaModel model;
    private final TokenizedTexts train;
    private final TokenizedTexts test;

    CausalLmObjective(LlamaModel model, TokenizedTexts train, TokenizedTexts test) {
        this.model = model;
        this.train = train;
        this.test = test;
    }

    /**
     * A padded batch and its targets.
     *
     * @param predicting per position of [B, T], whether it predicts a real next token
     * @param targets    the next tokens of the predicting positions, row-major
     */
    record Batch(long[] ids, float[] mask, boolean[] predicting, long[] targets, int rows, int t) {
        static Batch of(TokenizedTexts texts, int[] indices) {
            int t = texts.longest(indices);
            long[] ids = texts.padded(indices, t);
            int[] lengths = texts.lengths(indices);
            float[] mask = new float[ids.length];
            boolean[] predicting = new boolean[ids.length];
            int count = 0;
            for (int r = 0; r < indices.length; r++) {
                for (int i = 0; i < lengths[r]; i++) {
                    mask[r * t + i] = 1f;
                    if (i + 1 < lengths[r]) {
                        predicting[r * t + i] = true;
                        count++;
                    }
                }
            }
            long[] targets = new long[count];
            for (int f = 0, k = 0; f < ids.length; f++) {
                if (predicting[f]) {
                    targets[k++] = ids[f + 1];
                }
            }
            return new Batch(ids, mask, predicting, targets, indices.length, t);
        }
    }

    @Override
    public int size() {
        return train.size();
    }

    @Override
    public NDArray loss(Params params, NDManager manager, int[] indices, long step) {
        Batch b = Batch.of(train, indices);
        if (b.targets().length == 0) {
            throw new TransfuseException("a training batch has no text of two or more tokens to predict from");
        }
        NDArray logp = targetLogits(params, manager, b).logSoftmax(-1);
        NDArray y = NdTensors.fromLongs(manager, b.targets(), new Shape(b.targets().length, 1));
        return Layers.divide(logp.gather(y, 1).sum().neg(), b.targets().length);
    }

    private NDArray targetLogits(Params params, NDManager m, Batch b) {
        NDArray ids = NdTensors.fromLongs(m, b.ids(), new Shape(b.rows(), b.t()));
        NDArray h = model.hidden(params, ids, b.mask(), TapRecorder.NONE);
        long d = h.getShape().get(2);
        NDArray rows = m.create(b.predicting(), new Shape(b.predicting().length));
        return model.logits(params, h.reshape(-1, d).get(rows));
    }

    @Override
    public Evaluation evaluate(Params params) {
        return test == null ? null : evaluate(params, test, (t, d, tot, msg) -> { });
    }

    @Override
    public String unit() {
        return "seq";
    }

    /** Next-token loss, accuracy and perplexity over every text, in order. */
    Evaluation evaluate(Params params, TokenizedTexts texts, ProgressListener progress) {
        int n = texts.size();
        if (n == 0) {
            throw new TransfuseException("cannot evaluate on an empty data set");
        }
        TokenTargetScores scores = new TokenTargetScores();
        NDManager m = params.all().values().iterator().next().getManager();
        try (GradMode off = GradMode.off()) {
            for (int from = 0; from < n; from += EVAL_BATCH) {
                int to = Math.min(n, from + EVAL_BATCH);
                Batch b = Batch.of(texts, TokenizedTexts.range(from, to));
                if (b.targets().length > 0) {
                    try (NDScope scope = new NDScope()) {
                        scores.add(m, targetLogits(params, m, b), b.targets());
                    }
                }
                progress.progress("evaluate", to, n, "");
            }
        }
        if (scores.targets() == 0) {
            throw new TransfuseException("the data set has no text of two or more tokens to predict from");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("perplexity", Math.exp(scores.loss()));
        metrics.put("tokens", (double) scores.targets());
        return scores.evaluation(n, metrics);
    }
}
