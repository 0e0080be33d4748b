package transfuse.init.sws.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;

/** Stage lists: parsing, the shared-layer map, the representatives and the start layers in an ancestor. */
class AuxNetStagesTest {
    private final AuxNetStages official = AuxNetStages.parse(List.of(AuxNetStages.DEFAULT), "--stages");

    @Test
    void theOfficialStagesShareOneBlockPerStage() {
        assertEquals(16, official.depth());
        assertArrayEquals(new int[] {0, 0, 0, 3, 3, 3, 6, 6, 6, 6, 10, 10, 10, 13, 13, 13}, official.sharedLayers());
        assertArrayEquals(new int[] {0, 3, 6, 10, 13}, official.representatives());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4}, official.schedule());
    }

    @Test
    void stagesStartFromEvenlySpacedAncestorLayers() {
        int[] from12 = official.ancestorLayers(12);
        assertArrayEquals(new int[] {1, 1, 1, 3, 3, 3, 6, 6, 6, 6, 8, 8, 8, 10, 10, 10}, from12);
        assertArrayEquals(new int[] {0, 1}, AuxNetStages.parse(List.of("1", "1"), "--stages").ancestorLayers(2));
    }

    @Test
    void listsAndCommaSeparatedItemsParseAndNonPositiveStagesAreRefused() {
        assertArrayEquals(new int[] {2, 1, 3}, AuxNetStages.parse(List.of("2,1", "3"), "--stages").lengths());
        assertThrows(TransfuseException.class, () -> AuxNetStages.parse(List.of("2,0"), "--stages"));
        assertThrows(TransfuseException.class, () -> AuxNetStages.parse(List.of("-1"), "--stages"));
        assertThrows(TransfuseException.class, () -> AuxNetStages.parse(List.of("two"), "--stages"));
        assertThrows(TransfuseException.class, () -> AuxNetStages.parse(List.of(), "--stages"));
    }
}
