package transfuse.api.arch;

import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;

/**
 * Knowledge distillation from a teacher run in inference mode on each training batch: the loss
 * is {@code (1-alpha)·CE(labels) + alpha·tau²·KL(softmax(teacher/tau) ‖ softmax(student/tau))}
 * averaged per example ({@code soft}), or with the hard variant {@code (1-alpha)·CE(labels) +
 * alpha·CE(argmax teacher)}. SWS's Aux-Net is distilled with soft, alpha 1, tau 1.
 *
 * @param teacher the teacher's config (same architecture and label set as the student)
 * @param weights the teacher's weights by HF name
 * @param alpha   weight of the distillation term, in [0, 1]
 * @param tau     softmax temperature, positive
 * @param hard    use the teacher's arg-max as a label instead of its softened distribution
 */
public record Distillation(ModelConfig teacher, Map<String, Tensor> weights, double alpha, double tau,
                           boolean hard) {
    public Distillation {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new TransfuseException("alpha must be in [0, 1], got " + alpha);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new TransfuseException("tau must be positive and finite, got " + tau);
        }
    }
}
