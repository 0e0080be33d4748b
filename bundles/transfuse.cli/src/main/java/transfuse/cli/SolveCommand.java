package transfuse.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.api.tensor.Tensor;
import transfuse.core.PluginHandle;
import transfuse.io.npy.Npy;

/**
 * {@code transfuse solve SOLVER --cost C.npy ... --out P.npy}: one transport or assignment
 * problem, solved by whichever registered solver has that name.
 */
final class SolveCommand implements Command {
    @Override
    public String name() {
        return "solve";
    }

    @Override
    public String summary() {
        return "solve one optimal-transport or assignment problem given as .npy files";
    }

    @Override
    public String usage() {
        return """
                transfuse solve emd|sinkhorn|sinkhorn-log|sinkhorn-stabilized|sinkhorn-epsilon|lap|SOLVER \
                --cost C.npy [--a A.npy --b B.npy] [--reg R] [--max-iter N] [--tol T] [--maximize] --out P.npy [--json]
                  C is n x m (float64 or float32); a and b default to uniform 1/n and 1/m.
                  --reg      entropic regularisation of the Sinkhorn family (default %s)
                  --max-iter iteration limit (default: the solver's own; 0 means the same)
                  --tol      stopping tolerance on the marginal violation (default %s)
                  --maximize maximise the total instead of minimising it
                  The plan is written as float64 .npy (for lap: the 0/1 assignment matrix).
                  --json prints {"cost", "iterations", "marginal_error", "seconds", "converged", "solver", "n", "m"}."""
                .formatted(SolverOptions.DEFAULTS.reg(), SolverOptions.DEFAULTS.tol());
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("cost", "a", "b", "reg", "max-iter", "tol", "out").flag("maximize");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        if (args.positional().size() != 1) {
            throw new UsageException("'solve' needs exactly one SOLVER name");
        }
        String solverName = args.positional().get(0);
        Path costFile = Path.of(args.require("cost"));
        Path out = Path.of(args.require("out"));
        if (args.has("a") != args.has("b")) {
            throw new UsageException("give both --a and --b, or neither (uniform marginals)");
        }
        SolverOptions options = new SolverOptions(
                args.getDouble("reg", SolverOptions.DEFAULTS.reg()),
                args.getInt("max-iter", 0),
                args.getDouble("tol", SolverOptions.DEFAULTS.tol()),
                args.flag("maximize"));

        TransportProblem problem = readProblem(costFile, args.get("a"), args.get("b"));
        try (PluginHandle<TransportSolver> solver = ctx.catalog().open(TransportSolver.class, solverName)) {
            ctx.err().printf("solving %d x %d with %s (%s)%n", problem.n(), problem.m(), solverName, solver.provider());
            long start = System.nanoTime();
            TransportResult r = solver.get().solve(problem, options,
                    new ProgressPrinter(ctx.err(), "solve " + solverName));
            double seconds = (System.nanoTime() - start) / 1e9;
            Npy.write(out, Tensor.ofDoubles(new long[] {problem.n(), problem.m()}, r.plan()));
            if (!r.converged()) {
                ctx.err().println("warning: " + solverName + " stopped at its iteration limit ("
                        + r.iterations() + ") before converging; raise --max-iter");
            }
            ctx.out().printf("cost %.12g  iterations %d  marginal error %.3g  %.3f s  %s -> %s%n",
                    r.cost(), r.iterations(), r.marginalError(), seconds, r.converged() ? "converged" : "NOT converged", out);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("cost", r.cost());
            json.put("iterations", r.iterations());
            json.put("marginal_error", r.marginalError());
            json.put("seconds", seconds);
            json.put("converged", r.converged());
            json.put("solver", solverName);
            json.put("n", problem.n());
            json.put("m", problem.m());
            return json;
        }
    }

    private static TransportProblem readProblem(Path costFile, String aFile, String bFile) {
        Tensor cost = Npy.read(costFile);
        if (cost.rank() != 2) {
            throw new TransfuseException(costFile + ": cost must be a 2-D matrix, got shape "
                    + Arrays.toString(cost.shape()));
        }
        int n = Math.toIntExact(cost.shape()[0]);
        int m = Math.toIntExact(cost.shape()[1]);
        try {
            if (aFile == null) {
                return TransportProblem.uniform(n, m, cost.toDoubles());
            }
            return new TransportProblem(n, m, cost.toDoubles(), vector(Path.of(aFile)), vector(Path.of(bFile)));
        } catch (TransfuseException e) {
            // The problem names the field (cost, a, b); say which file it came from.
            throw new TransfuseException(costFile.getFileName() + (aFile == null ? "" : ", " + aFile + ", " + bFile)
                    + ": " + e.getMessage(), e);
        }
    }

    private static double[] vector(Path file) {
        Tensor t = Npy.read(file);
        if (t.rank() != 1) {
            throw new TransfuseException(file + ": a marginal must be a 1-D vector, got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.toDoubles();
    }
}
