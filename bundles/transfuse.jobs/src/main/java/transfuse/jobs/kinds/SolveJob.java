package transfuse.jobs.kinds;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.api.tensor.Tensor;
import transfuse.io.files.OutputCheck;
import transfuse.io.npy.Npy;
import transfuse.jobs.internal.Outputs;
import transfuse.jobs.internal.Result;

/** {@code solve SOLVER}: one optimal-transport or assignment problem given as .npy files. */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=solve")
public final class SolveJob implements Job<SolveJob.Spec> {
    /** The regularisation of a Sinkhorn-family solve when none is given (docs/cli.md). */
    static final double DEFAULT_REG = 0.08;

    /** @param problem read and checked before solving (shapes, marginals, finiteness) */
    record Spec(String solver, Path cost, TransportProblem problem, SolverOptions options, Path out) {
    }

    @Override
    public String name() {
        return "solve";
    }

    @Override
    public String description() {
        return "solve one optimal-transport or assignment problem given as .npy files";
    }

    @Override
    public String usage() {
        return "transfuse solve emd|sinkhorn|sinkhorn-log|sinkhorn-stabilized|sinkhorn-epsilon|lap|SOLVER --cost C.npy"
                + " [--a A.npy --b B.npy] [--reg R] [--max-iter N] [--tol T] [--maximize] --out P.npy [--json]\n"
                + "  C is n x m (float64 or float32); a and b default to uniform 1/n and 1/m. The plan is written as\n"
                + "  float64 .npy (for lap: the 0/1 assignment matrix).\n"
                + "  --json prints {\"cost\", \"iterations\", \"marginal_error\", \"seconds\", \"converged\", \"solver\", \"n\", \"m\"}.";
    }

    @Override
    public String positional() {
        return "solver";
    }

    @Override
    public List<OptionDecl> options() {
        SolverOptions d = SolverOptions.DEFAULTS;
        return List.of(
                OptionDecl.text("solver", null, "the solver's name (see: transfuse plugins)"),
                OptionDecl.input("cost", "the n x m cost matrix (.npy)"),
                OptionDecl.input("a", "source marginal, length n (.npy; with --b)"),
                OptionDecl.input("b", "target marginal, length m (.npy; with --a)"),
                OptionDecl.number("reg", DEFAULT_REG, Double.MIN_VALUE, Double.MAX_VALUE,
                        "entropic regularisation of the Sinkhorn family"),
                OptionDecl.integer("max-iter", 0L, 0, Integer.MAX_VALUE, "iteration limit (0: the solver's own)"),
                OptionDecl.number("tol", d.tol(), Double.MIN_VALUE, Double.MAX_VALUE,
                        "stopping tolerance on the marginal violation"),
                OptionDecl.flag("maximize", "maximise the total instead of minimising it"),
                OptionDecl.output("out", "where the plan goes (.npy)"));
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        String solver = v.require("solver");
        // An unknown name fails before any file is read.
        TransportSolver named = context.plugin(TransportSolver.class, solver);
        if (v.has("reg") && !named.regularised()) {
            throw new TransfuseException(v.key("reg") + ": does not apply to " + solver + " (not a regularised solver)");
        }
        if (v.has("a") != v.has("b")) {
            throw new TransfuseException(v.key("a") + ", " + v.key("b") + ": give both or neither (uniform marginals)");
        }
        Path cost = Outputs.requiredInput(v, context, "cost");
        Path out = Outputs.required(v, context, "out", "plan.npy");
        OutputCheck.file(out);
        TransportProblem problem = readProblem(cost, Outputs.input(v, context, "a"), Outputs.input(v, context, "b"));
        SolverOptions options = new SolverOptions(v.number("reg"), v.intValue("max-iter"), v.number("tol"),
                v.flag("maximize"));
        return new Spec(solver, cost, problem, options, out);
    }

    @Override
    public JobResult run(Spec s, JobContext context) {
        TransportSolver solver = context.plugin(TransportSolver.class, s.solver());
        context.log(String.format("solving %d x %d with %s", s.problem().n(), s.problem().m(), s.solver()));
        long start = System.nanoTime();
        TransportResult r = solver.solve(s.problem(), s.options(), context.progress("solve " + s.solver()));
        double seconds = (System.nanoTime() - start) / 1e9;
        context.checkCancelled();
        Npy.write(s.out(), Tensor.ofDoubles(new long[] {s.problem().n(), s.problem().m()}, r.plan()));
        if (!r.converged()) {
            context.log("warning: " + s.solver() + " stopped at its iteration limit (" + r.iterations()
                    + ") before converging; raise --max-iter");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cost", r.cost());
        json.put("iterations", r.iterations());
        json.put("marginal_error", r.marginalError());
        json.put("seconds", seconds);
        json.put("converged", r.converged());
        json.put("solver", s.solver());
        json.put("n", s.problem().n());
        json.put("m", s.problem().m());
        String text = String.format("cost %.12g  iterations %d  marginal error %.3g  %.3f s  %s -> %s%n", r.cost(),
                r.iterations(), r.marginalError(), seconds, r.converged() ? "converged" : "NOT converged", s.out());
        return new Result(json, text);
    }

    private static TransportProblem readProblem(Path costFile, Path aFile, Path bFile) {
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
            return new TransportProblem(n, m, cost.toDoubles(), vector(aFile), vector(bFile));
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
