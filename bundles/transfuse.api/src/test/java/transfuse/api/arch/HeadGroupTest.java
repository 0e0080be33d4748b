package transfuse.api.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Head factors: members without them keep the old meaning; declared ones must fit the member and its heads. */
class HeadGroupTest {
    @Test
    void aGroupWithoutFactorsLeavesEveryMemberFreeInsideItsHeads() {
        HeadGroup g = new HeadGroup("layer.0.attn", 4, List.of("layer.0.attn.qk", "layer.0.attn.v"));
        assertTrue(g.inside().isEmpty());
        assertEquals(List.of(HeadFactor.free("layer.0.attn.v", 8)), g.factorsOf("layer.0.attn.v", 8));
    }

    @Test
    void declaredFactorsAreReturnedWhenTheyMultiplyToTheHeadSize() {
        HeadGroup g = new HeadGroup("layer.0.attn", 2, List.of("q", "k"),
                Map.of("q", List.of(HeadFactor.free("query", 2), HeadFactor.fixed(8)), "k", List.of(HeadFactor.fixed(8))));
        assertEquals(List.of(HeadFactor.free("query", 2), HeadFactor.fixed(8)), g.factorsOf("q", 16));
        assertTrue(g.factorsOf("k", 8).get(0).isFixed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.factorsOf("q", 8));
        assertEquals("head group layer.0.attn: the factors of q multiply to 16 but its heads hold 8 neurons",
                e.getMessage());
    }

    @Test
    void factorsOfANonMemberAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HeadGroup("g", 2,
                List.of("q"), Map.of("v", List.of(HeadFactor.fixed(4)))));
        assertEquals("head group g: factors given for v, which is not a member", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeadFactor.free(null, 3));
        assertThrows(IllegalArgumentException.class, () -> HeadFactor.fixed(0));
    }
}
