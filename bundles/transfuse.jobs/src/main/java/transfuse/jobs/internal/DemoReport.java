package transfuse.jobs.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import transfuse.fusion.BarrierCurve;

/** The demo's HTML report: one self-contained page with the accuracy table and the barrier plot. */
public final class DemoReport {
    private DemoReport() {
    }

    public static String html(Map<String, Object> result, List<Map<String, Object>> rows, List<BarrierCurve> curves, String svg) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Transfuse demo</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:760px;margin:2em auto}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f4f4f4}")
                .append("td:first-child{text-align:left}</style></head><body>\n")
                .append("<h1>Transfuse demo: fusing two ViTs on Fashion-MNIST</h1>\n");
        s.append(String.format(Locale.ROOT, "<p>Two ViT parents (seeds 1 and 2, %s epochs, %s optimizer steps each) fused"
                        + " by every method; activations from %s training images. Test accuracy on the first %s"
                        + " test images, one-shot and after finetuning for %s steps (10%% of a parent's).</p>\n",
                result.get("parent_epochs"), result.get("parent_steps"), result.get("samples"), result.get("test_images"),
                result.get("finetune_steps")));
        s.append("<table><tr><th>model</th><th>test accuracy</th><th>after finetune</th><th>loss barrier</th></tr>\n");
        for (Map<String, Object> r : rows) {
            String barrier = "";
            for (BarrierCurve c : curves) {
                if (c.method().equals(r.get("model"))) {
                    barrier = String.format(Locale.ROOT, "%.4f", c.barrier());
                }
            }
            s.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.4f</td><td>%s</td><td>%s</td></tr>\n",
                    r.get("model"), (Double) r.get("accuracy"), r.containsKey("finetuned_accuracy")
                            ? String.format(Locale.ROOT, "%.4f", (Double) r.get("finetuned_accuracy")) : "", barrier));
        }
        s.append("</table>\n<h2>Loss along the path between the parents</h2>\n")
                .append("<p>lambda A + (1 - lambda) B', B' = parent 2 aligned to parent 1 by each method;")
                .append(" barrier = highest loss minus the mean of the end losses, ")
                .append(String.format(Locale.ROOT, "%s points on %s training images.</p>%n", result.get("barrier_steps"),
                        result.get("barrier_images")))
                .append(svg)
                .append(String.format(Locale.ROOT, "<p>Finished in %.0f s. Models are in models/, numbers in"
                        + " results.json.</p>\n</body></html>\n", (Double) result.get("seconds")));
        return s.toString();
    }
}
