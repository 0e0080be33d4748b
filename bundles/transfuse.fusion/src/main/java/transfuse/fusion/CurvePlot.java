package transfuse.fusion;

import java.util.List;
import java.util.Locale;

/**
 * A line plot of loss-barrier curves as standalone SVG, written by hand (no plotting library).
 * Where a curve's B' computes another function than B ({@link BarrierCurve#alignedEndpointDiffers}),
 * B' is drawn as a dot at lambda 0, B as a ring joined to it by a dashed line, and the legend
 * gives the barrier against A and B as well.
 */
public final class CurvePlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int W = 720;
    private static final int H = 420;
    private static final int LEFT = 64;
    private static final int RIGHT = 230;
    private static final int TOP = 40;
    private static final int BOTTOM = 52;
    private static final int TITLE_X = 16;
    /** A generous average glyph width of the 15 px sans-serif title (~0.6 em), so a fitted title never overflows. */
    private static final double TITLE_CHAR_PX = 9;
    private static final int LEGEND_ROW = 36;

    private CurvePlot() {
    }

    public static String svg(String title, List<BarrierCurve> curves) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        boolean anyDiffers = false;
        for (BarrierCurve c : curves) {
            for (double l : c.losses()) {
                lo = Math.min(lo, l);
                hi = Math.max(hi, l);
            }
            if (c.alignedEndpointDiffers()) {
                lo = Math.min(lo, c.endpointLoss());
                hi = Math.max(hi, c.endpointLoss());
                anyDiffers = true;
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1e-3;
        }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        s.append(String.format(Locale.ROOT, "<title>%s</title>%n", escape(title)));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", TITLE_X,
                escape(fit(title, (int) ((W - 2 * TITLE_X) / TITLE_CHAR_PX)))));
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        for (int i = 0; i <= 5; i++) {
            double v = lo + (hi - lo) * i / 5;
            double y = TOP + ph - ph * i / 5.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, LEFT + pw, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n",
                    LEFT - 6, y + 4, v));
            double x = LEFT + pw * i / 5.0;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>%n",
                    x, TOP + ph + 18, i / 5.0));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT, TOP, pw, ph));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">lambda (0 = B aligned, 1 = A)</text>%n",
                LEFT + pw / 2, H - 12));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">loss</text>%n",
                TOP + ph / 2, TOP + ph / 2));
        for (int c = 0; c < curves.size(); c++) {
            BarrierCurve curve = curves.get(c);
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < curve.lambdas().length; i++) {
                double x = LEFT + pw * curve.lambdas()[i];
                double y = y(curve.losses()[i], lo, hi, ph);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    colour, pts.toString().trim()));
            int ly = TOP + 14 + LEGEND_ROW * c;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    LEFT + pw + 12, ly - 4, LEFT + pw + 32, ly - 4, colour));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s (barrier %.3f)</text>%n",
                    LEFT + pw + 38, ly, escape(curve.method()), curve.barrier()));
            if (curve.alignedEndpointDiffers()) {
                endpoints(s, curve, colour, LEFT, y(curve.alignedEndpointLoss(), lo, hi, ph), y(curve.endpointLoss(), lo, hi, ph));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">B\u2032 \u2260 B;"
                        + " vs A and B: %.3f</text>%n", LEFT + pw + 38, ly + 15, curve.barrierOriginal()));
            }
        }
        if (anyDiffers) {
            int ly = TOP + 14 + LEGEND_ROW * curves.size();
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">\u25cf B\u2032 = B aligned"
                    + " (the path's end)</text>%n", LEFT + pw + 12, ly));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">\u25cb B as trained</text>%n",
                    LEFT + pw + 12, ly + 15));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** B' as a dot, B as a ring at lambda 0, joined by a dashed line. */
    private static void endpoints(StringBuilder s, BarrierCurve curve, String colour, int x, double yAligned, double yOriginal) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\""
                + " stroke-dasharray=\"4 3\"/>%n", x, yAligned, x, yOriginal, colour));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s: B\u2032 loss %.4f"
                + "</title></circle>%n", x, yAligned, colour, escape(curve.method()), curve.alignedEndpointLoss()));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%.1f\" r=\"5\" fill=\"white\" stroke=\"%s\""
                + " stroke-width=\"2\"><title>B loss %.4f</title></circle>%n", x, yOriginal, colour, curve.endpointLoss()));
    }

    private static double y(double loss, double lo, double hi, int ph) {
        return TOP + ph - ph * (loss - lo) / (hi - lo);
    }

    /** The title shortened in the middle to at most {@code max} characters (paths keep their ends). */
    static String fit(String title, int max) {
        if (title.length() <= max) {
            return title;
        }
        int head = (max - 1) / 2;
        int tail = max - 1 - head;
        return title.substring(0, head) + "\u2026" + title.substring(title.length() - tail);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
