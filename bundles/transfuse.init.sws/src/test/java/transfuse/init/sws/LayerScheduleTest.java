package transfuse.init.sws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class LayerScheduleTest {
    private static final List<int[]> STAGES = List.of(new int[] {3, 3, 4, 3, 3}, new int[] {1}, new int[] {2, 3},
            new int[] {1, 1, 10}, new int[] {5, 1, 1, 1}, new int[] {4, 4, 4}, new int[] {1, 2, 3, 4, 5, 6});

    @Test
    void everyDepthGivesOneNonDecreasingEntryPerLayerWithinTheStages() {
        for (int[] stages : STAGES) {
            int aux = Arrays.stream(stages).sum();
            for (int d = 1; d <= 2 * aux + 3; d++) {
                int[] s = LayerSchedule.forDepth(stages, d);
                String at = Arrays.toString(stages) + " at depth " + d + ": " + Arrays.toString(s);
                assertEquals(d, s.length, at);
                for (int i = 0; i < d; i++) {
                    assertTrue(s[i] >= 0 && s[i] < stages.length, at);
                    assertTrue(i == 0 || s[i] >= s[i - 1], at);
                }
                long distinct = Arrays.stream(s).distinct().count();
                assertEquals(Math.min(d, stages.length), distinct, "every stage when D >= S, D distinct ones below: " + at);
            }
        }
    }

    @Test
    void theAuxNetDepthGivesTheAuxNetsOwnSchedule() {
        for (int[] stages : STAGES) {
            assertArrayEquals(LayerSchedule.expand(stages),
                    LayerSchedule.forDepth(stages, Arrays.stream(stages).sum()), Arrays.toString(stages));
        }
    }

    /** Where every stage's share D * n_s / sum is at least 1, each count is within 1 of its share. */
    @Test
    void repeatCountsAreProportionalWithinOne() {
        for (int[] stages : STAGES) {
            int aux = Arrays.stream(stages).sum();
            int shortest = Arrays.stream(stages).min().orElseThrow();
            for (int d = stages.length; d <= 2 * aux; d++) {
                int[] s = LayerSchedule.forDepth(stages, d);
                for (int st = 0; st < stages.length; st++) {
                    final int stage = st;
                    long count = Arrays.stream(s).filter(x -> x == stage).count();
                    double share = (double) d * stages[st] / aux;
                    String at = Arrays.toString(stages) + " depth " + d + " stage " + st + ": " + count + " for " + share;
                    assertTrue(count >= 1, at);
                    if ((long) d * shortest >= aux) {
                        assertTrue(Math.abs(count - share) < 1, at);
                    }
                }
            }
        }
    }

    /**
     * The official SWS code publishes only depth 12 for stages 3,3,4,3,3: 0,0,0,1,1,1,2,2,3,3,4,4
     * (repeats 3,3,2,2,2). That is not proportional: shares are 2.25,2.25,3,2.25,2.25, so the
     * longest stage gets 3 and one 2.25 rounds up. The proportional rule gives 3,2,3,2,2; the
     * official schedule stays available through --layers-source.
     */
    @Test
    void depthTwelveIsProportionalAndDiffersFromTheOfficialSchedule() {
        int[] official = {0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4};
        int[] ours = LayerSchedule.forDepth(new int[] {3, 3, 4, 3, 3}, 12);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4}, ours);
        assertFalse(Arrays.equals(official, ours));
    }

    @Test
    void belowTheStageCountTheMiddlesOfEqualSegmentsAreTaken() {
        assertArrayEquals(new int[] {2}, LayerSchedule.forDepth(new int[] {3, 3, 4, 3, 3}, 1));
        assertArrayEquals(new int[] {1, 3}, LayerSchedule.forDepth(new int[] {3, 3, 4, 3, 3}, 2));
        assertArrayEquals(new int[] {1, 3, 5, 7, 9, 11}, LayerSchedule.evenlySpaced(12, 6));
        assertArrayEquals(new int[] {0, 1, 2}, LayerSchedule.evenlySpaced(3, 3));
    }

    @Test
    void aDepthBelowOneOrAnEmptyStageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LayerSchedule.forDepth(new int[] {2, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> LayerSchedule.forDepth(new int[] {2, 0}, 3));
    }
}
