package transfuse.probe;

import java.util.Map;
import java.util.Set;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.TokenWindow;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * The linear probe: the encoder stays frozen, each example of the training and the test split is
 * embedded by pooling the architecture's last hidden state ({@link Pooling}), a
 * {@link SoftmaxRegression} is fitted on the training embeddings and scored on both splits. It
 * uses only {@code Architecture.inputs} and the forward pass's {@code hidden} output, so it works
 * for any architecture (BERT, ViT) and any head, or none.
 */
public final class LinearProbe {
    /** Examples per forward call (a chunk is padded to its longest text). */
    static final int CHUNK = 32;
    /** The HF input name of the token mask: 1 for real tokens; absent (ViT) means every position is real. */
    static final String MASK = "attention_mask";

    /**
     * @param train        accuracy/loss of the fitted classifier on the training embeddings
     * @param test         the same on the test embeddings
     * @param dim          embedding width
     * @param iterations   L-BFGS iterations
     * @param converged    whether the gradient tolerance was reached
     * @param embedSeconds time spent in the frozen encoder
     * @param fitSeconds   time spent fitting
     */
    public record Result(SoftmaxRegression.Score train, SoftmaxRegression.Score test, int trainExamples, int testExamples,
                  int dim, int classes, int iterations, boolean converged, double gradInf, double embedSeconds,
                  double fitSeconds) {
    }

    private LinearProbe() {
    }

    /**
     * @throws TransfuseException when the data is unlabelled, empty, or its training examples hold
     *         fewer than two classes
     */
    public static Result run(Architecture arch, ModelConfig config, Map<String, Tensor> weights, Dataset train, Dataset test,
                      Pooling pooling, double l2, ProgressListener progress) {
        requireLabels(train);
        requireLabels(test);
        int classes = train.numClasses();
        int[] trainLabels = train.labels(0, train.size());
        int[] testLabels = test.labels(0, test.size());
        if (java.util.Arrays.stream(trainLabels).distinct().count() < 2) {
            throw new TransfuseException(train.name() + " (train): the probe needs at least two classes among the "
                    + train.size() + " training examples");
        }
        long t0 = System.nanoTime();
        Embeddings tr = embed(arch, config, weights, train, pooling, progress);
        Embeddings te = embed(arch, config, weights, test, pooling, progress);
        long t1 = System.nanoTime();
        SoftmaxRegression model = SoftmaxRegression.fit(tr.values(), trainLabels, tr.dim(), classes, l2);
        long t2 = System.nanoTime();
        Lbfgs.Result fit = model.fitReport();
        return new Result(model.score(tr.values(), trainLabels), model.score(te.values(), testLabels), train.size(),
                test.size(), tr.dim(), classes, fit.iterations(), fit.converged(), fit.gradInf(), (t1 - t0) / 1e9,
                (t2 - t1) / 1e9);
    }

    private static void requireLabels(Dataset data) {
        if (data.numClasses() == 0) {
            throw new TransfuseException(data.name() + " is unlabelled; the linear probe needs a labelled data set"
                    + " (e.g. sentiment, fashion-mnist)");
        }
        if (data.size() == 0) {
            throw new TransfuseException(data.name() + " (" + data.split().label() + ") holds no examples");
        }
    }

    /** Row-major [n, dim] pooled last hidden states. */
    record Embeddings(float[] values, int dim) {
    }

    /**
     * Pooled last hidden states of every example. With an {@code attention_mask} (text) the
     * whole split is tokenized once and forwarded in chunks of similar length (sorted by length,
     * ties by index, each chunk cut to its longest member), so short sentences do not pay for
     * long ones; padding changes the real tokens' states only by float rounding. Without a mask
     * (images) the examples go in dataset order.
     */
    static Embeddings embed(Architecture arch, ModelConfig config, Map<String, Tensor> weights, Dataset data,
                            Pooling pooling, ProgressListener progress) {
        int n = data.size();
        Map<String, Tensor> all = null;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] lengths = null;
        if (data.modality() == Modality.TEXT) {
            all = arch.inputs(config, data, 0, n);
            Tensor mask = all.get(MASK);
            if (mask != null) {
                lengths = lengths(mask);
                int[] len = lengths;
                order = java.util.stream.IntStream.range(0, n).boxed()
                        .sorted(java.util.Comparator.<Integer>comparingInt(i -> len[i]).thenComparingInt(i -> i))
                        .mapToInt(Integer::intValue).toArray();
            } else {
                all = null; // no token axis to cut: go in dataset order
            }
        }
        float[] out = null;
        int dim = 0;
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            int[] rows = java.util.Arrays.copyOfRange(order, from, to);
            Map<String, Tensor> inputs = all == null ? arch.inputs(config, data, from, to) : cut(all, rows, lengths);
            ForwardResult r = arch.forward(config, weights,
                    new ForwardRequest(inputs, false, true, Set.of(), TokenWindow.ALL, CHUNK));
            long[] shape = r.hidden().shape();
            int b = Math.toIntExact(shape[0]), t = Math.toIntExact(shape[1]), d = Math.toIntExact(shape[2]);
            Tensor mask = inputs.get(MASK);
            float[] pooled = pooling.pool(r.hidden().toFloats(), mask == null ? null : mask.toDoubles(), b, t, d);
            if (out == null) {
                dim = d;
                out = new float[Math.multiplyExact(n, d)];
            }
            for (int k = 0; k < rows.length; k++) {
                System.arraycopy(pooled, k * dim, out, rows[k] * dim, dim);
            }
            progress.progress("probe embed " + data.split().label(), to, n, "");
        }
        return new Embeddings(out, dim);
    }

    /** One past the last real position of each row of a [N, T] mask. */
    private static int[] lengths(Tensor mask) {
        int n = Math.toIntExact(mask.shape()[0]), t = Math.toIntExact(mask.shape()[1]);
        double[] m = mask.toDoubles();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < t; p++) {
                if (m[i * t + p] != 0) {
                    out[i] = p + 1;
                }
            }
        }
        return out;
    }

    /**
     * The given rows of every input; inputs of the mask's [N, T] shape are token-indexed (ids,
     * mask, token types) and keep only the first max(length) positions.
     */
    private static Map<String, Tensor> cut(Map<String, Tensor> all, int[] rows, int[] lengths) {
        long[] maskShape = all.get(MASK).shape();
        int keep = 1;
        for (int r : rows) {
            keep = Math.max(keep, lengths[r]);
        }
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            Tensor x = e.getValue();
            long[] shape = x.shape().clone();
            long rowElems = Tensor.numel(shape) / shape[0];
            boolean tokens = java.util.Arrays.equals(shape, maskShape);
            long keepElems = tokens ? keep : rowElems;
            int elemBytes = Math.toIntExact(x.byteSize() / Tensor.numel(shape));
            java.nio.ByteBuffer src = x.data();
            java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocate(Math.toIntExact(rows.length * keepElems * elemBytes));
            for (int r : rows) {
                int at = Math.toIntExact(r * rowElems * elemBytes);
                dst.put(src.slice(at, Math.toIntExact(keepElems * elemBytes)));
            }
            dst.flip();
            shape[0] = rows.length;
            if (tokens) {
                shape[1] = keep;
            }
            out.put(e.getKey(), new Tensor(x.dtype(), shape, dst));
        }
        return out;
    }
}
