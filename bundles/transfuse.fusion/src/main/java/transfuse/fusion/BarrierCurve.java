package transfuse.fusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loss and accuracy along {@code lambda A + (1 - lambda) B'} (B' = B aligned to A), and the loss
 * barrier: the largest loss on the path minus the mean of the two endpoints' losses (the
 * definition of Verma & Elbayad).
 *
 * @param method     how B was aligned ({@code vanilla}: not at all)
 * @param lambdas    the weight of A at each step, from 0 (B') to 1 (A)
 * @param losses     mean cross-entropy at each step
 * @param accuracies accuracy at each step
 */
public record BarrierCurve(String method, double[] lambdas, double[] losses, double[] accuracies) {
    public double barrier() {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : losses) {
            max = Math.max(max, l);
        }
        return max - (losses[0] + losses[losses.length - 1]) / 2;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("barrier", barrier());
        List<Object> points = new ArrayList<>();
        for (int i = 0; i < lambdas.length; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("lambda", lambdas[i]);
            p.put("loss", losses[i]);
            p.put("accuracy", accuracies[i]);
            points.add(p);
        }
        m.put("points", points);
        return m;
    }
}
