package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * config.json must be bitwise the same for the same inputs in every JVM run, but Map.of and
 * Map.copyOf (the aligners' stats) iterate in an order salted per run: one run in one JVM cannot
 * see that, so the property checked is that details are written in key order, whatever map
 * they came in.
 */
class SpaceStatTest {
    @Test
    void detailsAreWrittenInKeyOrder() {
        SpaceStat s = new SpaceStat(1, "layer.0.attn.residual", "join", 4, 4, 0.5,
                Map.of("skip", "embed.residual", "policy", "mean", "branch", "layer.0.attn.out", "solve_seconds", 0.1));
        assertEquals(List.of("model", "space", "how", "rows", "cols", "branch", "policy", "skip"),
                List.copyOf(s.toJson(false).keySet()));
    }
}
