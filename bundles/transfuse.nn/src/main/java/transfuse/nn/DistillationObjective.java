package transfuse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import transfuse.api.arch.Evaluation;

/**
 * A classifier distilled from a teacher classifier run in inference mode on the same batch:
 * {@code (1-alpha)·CE(labels) + alpha·tau²·KL(softmax(teacher/tau) ‖ softmax(student/tau))}
 * averaged per example, or with {@code hard}, {@code (1-alpha)·CE(labels) + alpha·CE(argmax
 * teacher)}. Terms with weight 0 are not computed. The test split scores the student.
 */
public final class DistillationObjective implements Objective {
    private final Classifier student;
    private final Classifier teacher;
    private final Params teacherParams;
    private final BatchSource train;
    private final BatchSource test;
    private final String unit;
    private final double alpha;
    private final double tau;
    private final boolean hard;

    /** @param teacherParams the teacher's weights, not trainable */
    public DistillationObjective(Classifier student, Classifier teacher, Params teacherParams, BatchSource train,
                                 BatchSource test, String unit, double alpha, double tau, boolean hard) {
        this.student = student;
        this.teacher = teacher;
        this.teacherParams = teacherParams;
        this.train = train;
        this.test = test;
        this.unit = unit;
        this.alpha = alpha;
        this.tau = tau;
        this.hard = hard;
    }

    @Override
    public int size() {
        return train.size();
    }

    @Override
    public NDArray loss(Params params, NDManager manager, int[] indices, long step) {
        NDList inputs = train.inputs(manager, indices);
        NDArray logits = student.logits(params, inputs, TapRecorder.NONE);
        NDArray taught;
        try (GradMode off = GradMode.off()) {
            taught = teacher.logits(teacherParams, inputs, TapRecorder.NONE);
        }
        NDArray y = null;
        if (alpha < 1) {
            int[] labels = train.labels();
            long[] ids = new long[indices.length];
            for (int i = 0; i < indices.length; i++) {
                ids[i] = labels[indices[i]];
            }
            y = NdTensors.fromLongs(manager, ids, new Shape(ids.length));
        }
        return loss(logits, taught, y, alpha, tau, hard);
    }

    /**
     * The distillation loss of student logits [N, classes] against a teacher's (no gradient) and
     * int64 labels [N] (null when {@code alpha} is 1), averaged over the N rows: examples for a
     * classifier, masked positions for a masked LM.
     */
    public static NDArray loss(NDArray student, NDArray teacher, NDArray labels, double alpha, double tau,
                               boolean hard) {
        NDArray kd = alpha == 0 ? null : hard ? Layers.crossEntropy(student, teacher.argMax(-1))
                : Layers.scale(klDivergence(teacher, student, tau), tau * tau);
        if (alpha == 1) {
            return kd;
        }
        NDArray ce = Layers.crossEntropy(student, labels);
        return kd == null ? ce : Layers.scale(ce, 1 - alpha).add(Layers.scale(kd, alpha));
    }

    /** Mean over the rows of KL(softmax(teacher/tau) ‖ softmax(student/tau)). */
    private static NDArray klDivergence(NDArray teacherLogits, NDArray studentLogits, double tau) {
        NDArray logPt = Layers.divide(teacherLogits, tau).logSoftmax(-1);
        NDArray logPs = Layers.divide(studentLogits, tau).logSoftmax(-1);
        return logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {-1}).mean();
    }

    @Override
    public Evaluation evaluate(Params params) {
        return test == null ? null : Evaluator.evaluate(params, student, test, 512, (t, d, tot, m) -> { });
    }

    @Override
    public String unit() {
        return unit;
    }
}
