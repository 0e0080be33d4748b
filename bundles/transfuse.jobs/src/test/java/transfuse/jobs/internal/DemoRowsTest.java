package transfuse.jobs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.arch.Evaluation;
import transfuse.fusion.BarrierCurve;

/** The demo's table: the fair-control row, B' beside each fusion, and the note when B' is not parent 2. */
class DemoRowsTest {
    private static Evaluation e(double accuracy, double loss) {
        return new Evaluation(100, accuracy, loss, 0);
    }

    /** A 3-point curve whose start (B') has loss {@code start}; B as trained has loss 0.5. */
    private static BarrierCurve curve(String method, double start) {
        return new BarrierCurve(method, new double[] {0, 0.5, 1}, new double[] {start, 1.5, 0.4},
                new double[] {0.7, 0.3, 0.8}, 0.5, 0.75);
    }

    @Test
    void theFairControlIsTheBetterParentAndBPrimeIsMarkedWhereItDiffers() {
        List<Map<String, Object>> rows = new java.util.ArrayList<>(List.of(
                DemoRows.parent("parent seed 1", e(0.70, 0.8), e(0.72, 0.7)),
                DemoRows.parent("parent seed 2", e(0.75, 0.6), e(0.74, 0.65))));
        rows.add(DemoRows.fused("perm", e(0.6, 1), e(0.73, 0.7), e(0.75, 0.5), curve("perm", 0.5), 1));
        rows.add(DemoRows.fused("ot-emd", e(0.6, 1), e(0.73, 0.7), e(0.2, 2), curve("ot-emd", 2.0), 1));
        Map<String, Object> fair = DemoRows.fairControl(rows, List.of(e(0.72, 0.7), e(0.74, 0.65)), 37);
        assertEquals("parent seed 2", fair.get("model"));
        assertEquals(0.74, (Double) fair.get("finetuned_accuracy"));
        String table = DemoRows.table(rows, Map.of("fair_control", fair), 2000);
        System.out.print(table);
        assertTrue(table.contains("parent +37 steps (best: parent seed 2)"), table);
        assertTrue(table.contains("after +37 steps"), table);
        assertEquals(List.of("ot-emd"), DemoRows.alignedDiffers(rows));
        assertTrue(table.contains("0.2000 *") && !table.contains("0.7500 *"), "only ot-emd's B' is starred");
        assertTrue(table.contains("for ot-emd:"), table);
        // perm: B' = B, both barriers 1.5 - (0.5 + 0.4) / 2 = 1.05; ot-emd: the path peaks at B' (2.0),
        // 2.0 - (2.0 + 0.4) / 2 = 0.8 against B', 2.0 - (0.5 + 0.4) / 2 = 1.55 against B.
        assertTrue(table.lines().anyMatch(l -> l.startsWith("perm") && l.endsWith("1.0500        1.0500")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("ot-emd") && l.endsWith("0.8000        1.5500")), table);
        assertFalse(DemoRows.table(rows.subList(0, 3), Map.of("fair_control", fair), 2000).contains("*"),
                "no note when every B' is B");
    }
}
