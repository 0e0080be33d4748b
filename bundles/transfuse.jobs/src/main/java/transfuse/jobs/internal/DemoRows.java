package transfuse.jobs.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import transfuse.api.arch.Evaluation;
import transfuse.fusion.BarrierCurve;
import transfuse.jobs.TextTable;

/**
 * The demo's result rows (one per parent, one per fusion), the fair control and the table printed
 * from them. A fused row carries B' (parent 2 aligned to parent 1) beside its barriers, so that
 * a reader sees when a barrier curve starts from a model that is not parent 2.
 */
public final class DemoRows {
    private DemoRows() {
    }

    /** A parent as trained, and after the fused models' extra finetuning steps (the fair control). */
    public static Map<String, Object> parent(String model, Evaluation trained, Evaluation finetuned) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("accuracy", trained.accuracy());
        r.put("loss", trained.loss());
        r.put("finetuned_accuracy", finetuned.accuracy());
        r.put("finetuned_loss", finetuned.loss());
        return r;
    }

    /** A fused model one-shot and finetuned, its B' on the same test images, and its barriers. */
    public static Map<String, Object> fused(String model, Evaluation oneShot, Evaluation finetuned, Evaluation aligned,
                                            BarrierCurve curve, double fuseSeconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("accuracy", oneShot.accuracy());
        r.put("loss", oneShot.loss());
        r.put("finetuned_accuracy", finetuned.accuracy());
        r.put("finetuned_loss", finetuned.loss());
        r.put("fuse_seconds", fuseSeconds);
        r.put("aligned_accuracy", aligned.accuracy());
        r.put("aligned_loss", aligned.loss());
        r.put("aligned_differs", curve.alignedEndpointDiffers());
        r.put("barrier", curve.barrier());
        r.put("barrier_original", curve.barrierOriginal());
        return r;
    }

    /** The better parent after the extra steps (ties: the first), with the step count. */
    public static Map<String, Object> fairControl(List<Map<String, Object>> rows, List<Evaluation> controls, int steps) {
        int best = 0;
        for (int i = 1; i < controls.size(); i++) {
            if (controls.get(i).accuracy() > controls.get(best).accuracy()) {
                best = i;
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("steps", steps);
        f.put("model", rows.get(best).get("model"));
        f.put("finetuned_accuracy", controls.get(best).accuracy());
        f.put("finetuned_loss", controls.get(best).loss());
        return f;
    }

    /** The label of the fair-control row. */
    public static String fairControlLabel(Map<String, Object> fair) {
        return String.format(Locale.ROOT, "parent +%s steps (best: %s)", fair.get("steps"), fair.get("model"));
    }

    /** Fused methods whose B' is not parent 2's function, in row order. */
    public static List<String> alignedDiffers(List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (Boolean.TRUE.equals(r.get("aligned_differs"))) {
                out.add((String) r.get("model"));
            }
        }
        return out;
    }

    /** The note under the table when some B' differs from parent 2, or an empty string. */
    public static String note(List<Map<String, Object>> rows) {
        List<String> differ = alignedDiffers(rows);
        if (differ.isEmpty()) {
            return "";
        }
        return "* B' (parent 2 aligned to parent 1) computes another function than parent 2 for " + String.join(", ", differ)
                + ": their barrier curves start from B', not from parent 2; 'vs A, B' is the barrier against the parents"
                + " as trained.";
    }

    @SuppressWarnings("unchecked")
    public static String table(List<Map<String, Object>> rows, Map<String, Object> result, int testImages) {
        Map<String, Object> fair = (Map<String, Object>) result.get("fair_control");
        TextTable t = new TextTable("model", String.format(Locale.ROOT, "test accuracy (first %d)", testImages),
                "after +" + fair.get("steps") + " steps", "B' accuracy", "loss barrier", "vs A, B");
        boolean controlShown = false;
        for (Map<String, Object> r : rows) {
            if (!controlShown && r.containsKey("aligned_accuracy")) {
                t.row(fairControlLabel(fair), "", f4(fair.get("finetuned_accuracy")), "", "", "");
                controlShown = true;
            }
            t.row(r.get("model"), f4(r.get("accuracy")), f4(r.get("finetuned_accuracy")),
                    r.containsKey("aligned_accuracy") ? f4(r.get("aligned_accuracy"))
                            + (Boolean.TRUE.equals(r.get("aligned_differs")) ? " *" : "") : "",
                    f4(r.get("barrier")), f4(r.get("barrier_original")));
        }
        String note = note(rows);
        return t.render() + (note.isEmpty() ? "" : note + "\n");
    }

    /** Four decimals, or empty for an absent value. */
    public static String f4(Object value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", (Double) value);
    }
}
