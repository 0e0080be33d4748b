package transfuse.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count for small models on few shared cores. With the default (one
 * OpenMP thread per core, threads spin-waiting between ops) a 72k-parameter ViT trains at 100-300
 * images/s while anything else runs on a 2-core machine, against 1,500-4,000 on one thread; on
 * an idle machine one thread is also faster than two spinning ones (DESIGN §10). So unless the
 * user chose (system property {@code ai.djl.pytorch.num_threads}, or {@code OMP_NUM_THREADS} /
 * {@code OMP_WAIT_POLICY} in the environment, which only take effect at process start), libtorch
 * runs on one intra-op thread. {@code OMP_WAIT_POLICY=PASSIVE} with two threads is the measured
 * best where the launcher can set it.
 */
public final class TorchThreads {
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
                if (userChose(System.getProperty("ai.djl.pytorch.num_threads"), System.getenv("OMP_NUM_THREADS"),
                        System.getenv("OMP_WAIT_POLICY"))) {
                    applied = true;
                    return;
                }
                JniUtils.setNumThreads(1);
                applied = true;
            }
        }
    }

    static boolean userChose(String threadsProperty, String ompThreads, String waitPolicy) {
        return threadsProperty != null || ompThreads != null || waitPolicy != null;
    }
}
