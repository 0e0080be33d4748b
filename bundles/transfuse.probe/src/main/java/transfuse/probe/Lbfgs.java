package transfuse.probe;

/**
 * Limited-memory BFGS (Nocedal and Wright, Algorithm 7.4, two-loop recursion) with a
 * backtracking Armijo line search. Deterministic: no randomness, fixed summation order, so the
 * same problem gives bitwise the same answer. Meant for small smooth convex problems (the linear
 * probe); a curvature pair with {@code s·y <= 0} is skipped rather than stored, which keeps the
 * direction a descent direction without a Wolfe line search.
 */
final class Lbfgs {
    /** A smooth function: writes the gradient at {@code x} into {@code gradient}, returns the value. */
    @FunctionalInterface
    interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /**
     * @param x          the minimiser found
     * @param value      the objective there
     * @param gradInf    max |gradient| there
     * @param iterations iterations taken
     * @param converged  whether {@code gradInf <= tolerance} was reached within the budget
     */
    record Result(double[] x, double value, double gradInf, int iterations, boolean converged) {
    }

    private static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;
    private static final int MAX_HALVINGS = 60;

    private Lbfgs() {
    }

    /**
     * Minimises {@code f} from {@code x0} until the largest gradient component is at most
     * {@code tolerance} or {@code maxIterations} iterations have run.
     */
    static Result minimize(Objective f, double[] x0, int maxIterations, double tolerance) {
        int n = x0.length;
        double[] x = x0.clone();
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        double[][] s = new double[MEMORY][];
        double[][] y = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        int stored = 0, newest = -1;
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        int it = 0;
        while (normInf(g) > tolerance && it < maxIterations) {
            double[] d = direction(g, s, y, rho, stored, newest);
            double slope = dot(g, d);
            if (slope >= 0) { // cannot happen with positive pairs; restart from steepest descent if it does
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = -dot(g, g);
                stored = 0;
            }
            // The first step has no curvature scale yet: a unit step along -g could overshoot badly.
            double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-slope)) : 1.0;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int h = 0; h < MAX_HALVINGS; h++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = f.evaluate(xNew, gNew);
                if (fNew <= fx + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                step /= 2;
            }
            it++;
            if (!accepted) { // no decrease representable in double precision: we are as close as we get
                break;
            }
            int slot = (newest + 1) % MEMORY;
            double[] sk = new double[n], yk = new double[n];
            for (int i = 0; i < n; i++) {
                sk[i] = xNew[i] - x[i];
                yk[i] = gNew[i] - g[i];
            }
            double sy = dot(sk, yk);
            if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
                s[slot] = sk;
                y[slot] = yk;
                rho[slot] = 1 / sy;
                newest = slot;
                stored = Math.min(stored + 1, MEMORY);
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
        }
        double gi = normInf(g);
        return new Result(x, fx, gi, it, gi <= tolerance);
    }

    /** The two-loop recursion: -H g with H the L-BFGS inverse-Hessian estimate. */
    private static double[] direction(double[] g, double[][] s, double[][] y, double[] rho, int stored, int newest) {
        int n = g.length;
        double[] q = g.clone();
        double[] alpha = new double[MEMORY];
        for (int k = 0; k < stored; k++) {
            int j = Math.floorMod(newest - k, MEMORY);
            alpha[j] = rho[j] * dot(s[j], q);
            axpy(-alpha[j], y[j], q);
        }
        if (stored > 0) {
            double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            for (int i = 0; i < n; i++) {
                q[i] *= gamma;
            }
        }
        for (int k = stored - 1; k >= 0; k--) {
            int j = Math.floorMod(newest - k, MEMORY);
            double beta = rho[j] * dot(y[j], q);
            axpy(alpha[j] - beta, s[j], q);
        }
        for (int i = 0; i < n; i++) {
            q[i] = -q[i];
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double normInf(double[] g) {
        double m = 0;
        for (double v : g) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
