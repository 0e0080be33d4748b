package transfuse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import transfuse.djl.DjlRuntime;

/** The training thread rule: one intra-op thread for small layers only, and the setting restored. */
class TorchThreadsTest {
    @BeforeAll
    static void djl() {
        DjlRuntime.initialize(DjlRuntime.class);
        Engine.getEngine("PyTorch");
        assumeTrue(!TorchThreads.threadCountChosen(), "the user fixed the thread count: the rule stands aside");
    }

    @Test
    void smallLayersTrainOnOneThreadAndTheSettingIsRestored() {
        JniUtils.setNumThreads(2);
        try (TorchThreads.Restore r = TorchThreads.forTraining(TorchThreads.SMALL_LAYER - 1)) {
            assertEquals(1, JniUtils.getNumThreads());
        }
        assertEquals(2, JniUtils.getNumThreads());
    }

    @Test
    void largeLayersKeepTheProcessSetting() {
        JniUtils.setNumThreads(2);
        try (TorchThreads.Restore r = TorchThreads.forTraining(TorchThreads.SMALL_LAYER)) {
            assertEquals(2, JniUtils.getNumThreads());
        }
        assertEquals(2, JniUtils.getNumThreads());
    }
}
