package transfuse.arch.bert;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Evaluation;
import transfuse.api.progress.ProgressListener;
import transfuse.nn.DistillationObjective;
import transfuse.nn.GradMode;
import transfuse.nn.Layers;
import transfuse.nn.NdTensors;
import transfuse.nn.Objective;
import transfuse.nn.Params;
import transfuse.nn.TapRecorder;
import transfuse.nn.TokenTargetScores;

/**
 * Masked language modelling: the mean cross-entropy of the MLM head at the masked positions only
 * (the decoder runs on those rows alone, which on a small model is most of the saving).
 * Evaluation reports the masked-token loss, the fraction of targets predicted exactly, and the
 * pseudo-perplexity {@code exp(loss)} at 15 % masking with fixed masks.
 */
final class MaskedLmObjective implements Objective {
    static final int EVAL_BATCH = 64;

    private final BertModel model;
    private final MlmMasking masking;
    private final TokenizedTexts train;
    private final TokenizedTexts test;
    private final long seed;
    private final Teacher teacher;

    /**
     * A masked LM distilled from at the masked positions (DistillationObjective's loss over the
     * positions' token distributions).
     *
     * @param params the teacher's weights, not trainable
     */
    record Teacher(BertModel model, Params params, double alpha, double tau, boolean hard) {
    }

    MaskedLmObjective(BertModel model, MlmMasking masking, TokenizedTexts train, TokenizedTexts test, long seed) {
        this(model, masking, train, test, seed, null);
    }

    /** @param teacher null for plain masked language modelling */
    MaskedLmObjective(BertModel model, MlmMasking masking, TokenizedTexts train, TokenizedTexts test, long seed,
                      Teacher teacher) {
        this.model = model;
        this.masking = masking;
        this.train = train;
        this.test = test;
        this.seed = seed;
        this.teacher = teacher;
    }

    @Override
    public int size() {
        return train.size();
    }

    @Override
    public NDArray loss(Params params, NDManager manager, int[] indices, long step) {
        MlmMasking.Batch b = masking.draw(train, indices, seed, step);
        if (teacher != null) {
            NDArray student = targetLogits(model, params, manager, b, indices.length);
            NDArray taught;
            try (GradMode off = GradMode.off()) {
                taught = targetLogits(teacher.model(), teacher.params(), manager, b, indices.length);
            }
            NDArray y = NdTensors.fromLongs(manager, b.targets(), new Shape(b.targets().length));
            return DistillationObjective.loss(student, taught, y, teacher.alpha(), teacher.tau(), teacher.hard());
        }
        return Layers.divide(lossSum(params, manager, b, indices.length), b.targets().length);
    }

    /** Summed cross-entropy over the batch's targets (scalar). */
    private NDArray lossSum(Params params, NDManager m, MlmMasking.Batch b, int rows) {
        NDArray logp = targetLogits(model, params, m, b, rows).logSoftmax(-1);
        NDArray y = NdTensors.fromLongs(m, b.targets(), new Shape(b.targets().length, 1));
        return logp.gather(y, 1).sum().neg();
    }

    private static NDArray targetLogits(BertModel model, Params params, NDManager m, MlmMasking.Batch b, int rows) {
        NDArray ids = NdTensors.fromLongs(m, b.ids(), new Shape(rows, b.t()));
        NDArray mask = NdTensors.fromFloats(m, b.mask(), new Shape(rows, b.t()));
        NDArray h = model.hidden(params, ids, mask, null, TapRecorder.NONE);
        long d = h.getShape().get(2);
        NDArray selected = m.create(b.selected(), new Shape(b.selected().length));
        return model.mlm(params, h.reshape(-1, d).get(selected), TapRecorder.NONE);
    }

    @Override
    public Evaluation evaluate(Params params) {
        return test == null ? null : evaluate(params, test, (t, d, tot, msg) -> { });
    }

    @Override
    public String unit() {
        return "seq";
    }

    /** Masked-token loss, accuracy and pseudo-perplexity over every text, with the fixed evaluation masks. */
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
                int[] idx = new int[to - from];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = from + i;
                }
                MlmMasking.Batch b = masking.draw(texts, idx, 0, MlmMasking.EVAL_ROUND);
                if (b.targets().length == 0) {
                    continue;
                }
                try (NDScope scope = new NDScope()) {
                    scores.add(m, targetLogits(model, params, m, b, idx.length), b.targets());
                }
                progress.progress("evaluate", to, n, "");
            }
        }
        if (scores.targets() == 0) {
            throw new TransfuseException("the data set has no maskable tokens");
        }
        double loss = scores.loss();
        return scores.evaluation(n,
                Map.of("pseudo_perplexity", Math.exp(loss), "masked_tokens", (double) scores.targets()));
    }
}
