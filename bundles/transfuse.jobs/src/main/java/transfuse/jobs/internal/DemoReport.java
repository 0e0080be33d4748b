package transfuse.jobs.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;


/** The demo's HTML report: one self-contained page with the accuracy table and the barrier plot. */
public final class DemoReport {
    private DemoReport() {
    }

    public static String html(Map<String, Object> result, List<Map<String, Object>> rows, String svg) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Transfuse demo</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:760px;margin:2em auto}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f4f4f4}")
                .append("td:first-child{text-align:left}</style></head><body>\n")
                .append("<h1>Transfuse demo: fusing two ViTs on Fashion-MNIST</h1>\n");
        s.append(String.format(Locale.ROOT, "<p>Two ViT parents (seeds 1 and 2, %s epochs, %s optimizer steps each) fused"
                        + " by every method; activations from %s training images. Test accuracy on the first %s"
                        + " test images, one-shot and after finetuning for %s steps (10%% of a parent's); each parent"
                        + " finetuned the same way is the fair control. B\u2032 is parent 2 aligned to parent 1 by the"
                        + " method, the end of its barrier path.</p>\n",
                result.get("parent_epochs"), result.get("parent_steps"), result.get("samples"), result.get("test_images"),
                result.get("finetune_steps")));
        @SuppressWarnings("unchecked")
        Map<String, Object> fair = (Map<String, Object>) result.get("fair_control");
        s.append(String.format(Locale.ROOT, "<table><tr><th>model</th><th>test accuracy</th><th>after +%s steps</th>"
                + "<th>B\u2032 accuracy</th><th>loss barrier</th><th>vs A, B</th></tr>%n", fair.get("steps")));
        boolean controlShown = false;
        for (Map<String, Object> r : rows) {
            if (!controlShown && r.containsKey("aligned_accuracy")) {
                s.append(String.format(Locale.ROOT, "<tr><td>%s</td><td></td><td>%s</td><td></td><td></td><td></td></tr>%n",
                        escape(DemoRows.fairControlLabel(fair)), DemoRows.f4(fair.get("finetuned_accuracy"))));
                controlShown = true;
            }
            String aligned = r.containsKey("aligned_accuracy") ? DemoRows.f4(r.get("aligned_accuracy"))
                    + (Boolean.TRUE.equals(r.get("aligned_differs")) ? " *" : "") : "";
            s.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>%n",
                    escape((String) r.get("model")), DemoRows.f4(r.get("accuracy")), DemoRows.f4(r.get("finetuned_accuracy")),
                    aligned, DemoRows.f4(r.get("barrier")), DemoRows.f4(r.get("barrier_original"))));
        }
        String note = DemoRows.note(rows);
        s.append("</table>\n");
        if (!note.isEmpty()) {
            s.append("<p>").append(escape(note)).append("</p>\n");
        }
        s.append("<h2>Loss along the path between the parents</h2>\n")
                .append("<p>lambda A + (1 - lambda) B', B' = parent 2 aligned to parent 1 by each method;")
                .append(" barrier = highest loss minus the mean of the end losses (A and B\u2032; 'vs A, B': A and parent 2")
                .append(" as trained, which differ only where B\u2032 is not parent 2's function), ")
                .append(String.format(Locale.ROOT, "%s points on %s training images.</p>%n", result.get("barrier_steps"),
                        result.get("barrier_images")))
                .append(svg)
                .append(String.format(Locale.ROOT, "<p>Finished in %.0f s. Models are in models/, numbers in"
                        + " results.json.</p>\n</body></html>\n", (Double) result.get("seconds")));
        return s.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
