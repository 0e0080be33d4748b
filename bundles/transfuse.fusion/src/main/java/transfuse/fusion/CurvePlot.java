package transfuse.fusion;

import java.util.List;
import java.util.Locale;

/** A line plot of loss-barrier curves as standalone SVG, written by hand (no plotting library). */
public final class CurvePlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int W = 640;
    private static final int H = 400;
    private static final int LEFT = 64;
    private static final int RIGHT = 170;
    private static final int TOP = 36;
    private static final int BOTTOM = 52;

    private CurvePlot() {
    }

    public static String svg(String title, List<BarrierCurve> curves) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (BarrierCurve c : curves) {
            for (double l : c.losses()) {
                lo = Math.min(lo, l);
                hi = Math.max(hi, l);
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
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
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
                double y = TOP + ph - ph * (curve.losses()[i] - lo) / (hi - lo);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    colour, pts.toString().trim()));
            int ly = TOP + 14 + 20 * c;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    LEFT + pw + 12, ly - 4, LEFT + pw + 32, ly - 4, colour));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s (barrier %.3f)</text>%n",
                    LEFT + pw + 38, ly, escape(curve.method()), curve.barrier()));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
