package transfuse.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's autograd switch, which is per thread: DJL turns it off only on the thread that
 * loaded the engine, so inference on any other thread must turn it off itself or it records
 * graphs for parameters that require gradients.
 */
public final class GradMode implements AutoCloseable {
    private final boolean previous;

    private GradMode(boolean enabled) {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    /** Autograd off until closed. */
    public static GradMode off() {
        return new GradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
