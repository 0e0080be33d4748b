package transfuse.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count for small models on few shared cores. With the default (one
 * OpenMP thread per core, threads spin-waiting between ops) a 72k-parameter ViT trains at 100-300
 * images/s while anything else runs on a 2-core machine, against 1,500-4,000 on one thread; on
 * an idle machine one thread is also faster than two spinning ones (docs/vit.md, Threads). So unless the
 * user chose (system property {@code ai.djl.pytorch.num_threads}, or {@code OMP_NUM_THREADS} /
 * {@code OMP_WAIT_POLICY} in the environment, which only take effect at process start), libtorch
 * runs on one intra-op thread. {@code OMP_WAIT_POLICY=PASSIVE} with two threads is the measured
 * best where the launcher can set it, except for training small models: see {@link #forTraining}.
 */
public final class TorchThreads {
    /** Element count of the largest weight tensor below which training runs on one intra-op thread. */
    public static final long SMALL_LAYER = 1 << 17;

    private static volatile boolean applied;

    private TorchThreads() {
    }

    /** Applies the policy once per process; call with the engine loaded (inside DjlRuntime.call). */
    public static void applyDefault() {
        if (applied) {
            return;
        }
        synchronized (TorchThreads.class) {
            if (!applied) {
                if (threadCountChosen() || System.getenv("OMP_WAIT_POLICY") != null) {
                    applied = true;
                    return;
                }
                JniUtils.setNumThreads(1);
                applied = true;
            }
        }
    }

    /**
     * One intra-op thread for the duration of a training run of a model with small layers,
     * restored on close; nothing when the user chose a thread count. When no weight tensor
     * reaches {@link #SMALL_LAYER} elements, each op's parallel half is shorter than waking a
     * second OpenMP thread on another core, so one thread trains faster; a large matrix (BERT's
     * vocabulary-sized decoder) gains from two. The rule looks at shapes, not timings, so a run's
     * thread count (and with it the last bits of its results) is a function of the model alone.
     * Measured on the idle 2-core machine (docs/vit.md): the reference ViT (largest tensor
     * 8,192 elements) trains at 4,800-5,400 images/s on one thread against 3,500-3,600 on two
     * passive threads; the KJV BERT (10,085 x 64 decoder) at 600-660 sequences/s on one thread
     * against 790-840 on two.
     *
     * @param largestTensor the element count of the model's largest weight tensor
     */
    public static Restore forTraining(long largestTensor) {
        if (largestTensor >= SMALL_LAYER || threadCountChosen()) {
            return () -> { };
        }
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        return () -> JniUtils.setNumThreads(before);
    }

    /** Puts the previous thread count back; closing never fails. */
    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }

    /** The user fixed libtorch's thread count (read by DJL and OpenMP at process start). */
    static boolean threadCountChosen() {
        return System.getProperty("ai.djl.pytorch.num_threads") != null || System.getenv("OMP_NUM_THREADS") != null;
    }
}
