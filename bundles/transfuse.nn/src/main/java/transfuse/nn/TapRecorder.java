package transfuse.nn;

import ai.djl.ndarray.NDArray;

/** Receives activations at named taps during an inference forward pass. */
public interface TapRecorder {
    TapRecorder NONE = new TapRecorder() {
        @Override
        public boolean wants(String tap) {
            return false;
        }

        @Override
        public void record(String tap, NDArray activations) {
        }
    };

    /** Whether {@link #record} should be called for the tap; lets forward passes skip the copy. */
    boolean wants(String tap);

    /** @param activations [batch, tokens, space size]; valid only during the call */
    void record(String tap, NDArray activations);
}
