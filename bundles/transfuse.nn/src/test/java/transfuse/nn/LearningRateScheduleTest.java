package transfuse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Warmup rises linearly to the peak, cosine decays to zero at the last step. */
class LearningRateScheduleTest {
    @Test
    void warmupThenCosine() {
        LearningRateSchedule s = LearningRateSchedule.of(1e-3, 0.1, 100);
        assertEquals(10, s.warmupSteps());
        assertEquals(1e-4, s.at(0), 1e-12);
        assertEquals(1e-3, s.at(9), 1e-12);
        assertEquals(1e-3, s.at(10), 1e-12);
        assertEquals(0.5e-3, s.at(55), 1e-12);
        assertTrue(s.at(99) < 1e-6);
        for (long i = 11; i < 100; i++) {
            assertTrue(s.at(i) <= s.at(i - 1), "non-increasing after warmup");
        }
    }

    @Test
    void noWarmupStartsAtThePeak() {
        assertEquals(2e-3, LearningRateSchedule.of(2e-3, 0, 50).at(0), 1e-12);
    }

    @Test
    void epochOrderIsAFixedPermutationPerSeedAndEpoch() {
        int[] a = Trainer.epochOrder(1000, 3, 1);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(Trainer.epochOrder(1000, 3, 1)));
        assertTrue(!java.util.Arrays.equals(a, Trainer.epochOrder(1000, 3, 2)));
        assertTrue(!java.util.Arrays.equals(a, Trainer.epochOrder(1000, 4, 1)));
        int[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }
}
