package transfuse.fusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loss and accuracy along {@code lambda A + (1 - lambda) B'} (B' = B aligned to A), and the loss
 * barrier: the largest loss on the path minus the mean of the two endpoints' losses (the
 * definition of Verma & Elbayad).
 * <p>
 * The path ends at B', which is B only if the alignment kept B's function (a permutation does;
 * OT's blended residual maps or entropic plans do not). So B's own loss and accuracy are kept
 * beside the path's, B' is flagged when it computes something else, and the barrier is also
 * given against the original endpoints A and B.
 *
 * @param method           how B was aligned ({@code vanilla}: not at all)
 * @param lambdas          the weight of A at each step, from 0 (B') to 1 (A)
 * @param losses           mean cross-entropy at each step
 * @param accuracies       accuracy at each step
 * @param endpointLoss     B's own loss on the same data (not B')
 * @param endpointAccuracy B's own accuracy on the same data
 */
public record BarrierCurve(String method, double[] lambdas, double[] losses, double[] accuracies,
                           double endpointLoss, double endpointAccuracy) {
    /**
     * How far B''s loss may be from B's (relative to max(1, B's loss)) and still count as B's
     * function. A permuted B sums the same products in another order: its mean cross-entropy
     * moves by ~1e-6. A blurred B moves it by 1e-2 and more (demo: OT with residual mean, 1.0).
     */
    public static final double ENDPOINT_TOLERANCE = 1e-3;

    /** Highest loss on the path minus the mean of its end losses (A and B'). */
    public double barrier() {
        return maxLoss() - (losses[0] + losses[losses.length - 1]) / 2;
    }

    /** Highest loss on the path minus the mean of the original endpoints' losses (A and B). */
    public double barrierOriginal() {
        return maxLoss() - (endpointLoss + losses[losses.length - 1]) / 2;
    }

    /** B' is the path's start (lambda 0). */
    public double alignedEndpointLoss() {
        return losses[0];
    }

    public double alignedEndpointAccuracy() {
        return accuracies[0];
    }

    /** Whether B' computes a different function than B, by {@link #ENDPOINT_TOLERANCE}. */
    public boolean alignedEndpointDiffers() {
        return Math.abs(losses[0] - endpointLoss) > ENDPOINT_TOLERANCE * Math.max(1, Math.abs(endpointLoss));
    }

    private double maxLoss() {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : losses) {
            max = Math.max(max, l);
        }
        return max;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("barrier", barrier());
        m.put("barrier_original", barrierOriginal());
        m.put("endpoint_loss", endpointLoss);
        m.put("endpoint_accuracy", endpointAccuracy);
        m.put("aligned_endpoint_loss", alignedEndpointLoss());
        m.put("aligned_endpoint_accuracy", alignedEndpointAccuracy());
        m.put("aligned_endpoint_differs", alignedEndpointDiffers());
        m.put("endpoint_tolerance", ENDPOINT_TOLERANCE);
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
