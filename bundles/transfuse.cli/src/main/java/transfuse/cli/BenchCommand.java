package transfuse.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import transfuse.api.TransfuseException;
import transfuse.api.bench.Benchmark;
import transfuse.core.PluginHandle;

/**
 * {@code transfuse bench NAME}: runs a benchmark plugin in several fresh JVMs (JIT warm-up,
 * native thread pools and allocator state would otherwise leak between runs) and prints each
 * run and the median of its primary figure.
 */
final class BenchCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "run a benchmark plugin (e.g. vit-train) in fresh JVMs and print a table and the median";
    }

    @Override
    public String usage() {
        return """
                transfuse bench NAME [--runs 5] [--set KEY=VALUE ...] [--single] [--json]
                  NAME     a benchmark plugin (see: transfuse plugins), e.g. vit-train
                  --runs   fresh JVMs to run, one measurement each (default 5)
                  --set    benchmark options, e.g. --set warmup=5 steps=50
                  --single measure once in this JVM (what each fresh JVM runs)""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("runs").values("set").flag("single");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException("'bench' needs exactly one benchmark NAME");
        }
        String name = args.positional().get(0);
        Map<String, String> options = new LinkedHashMap<>();
        for (String kv : args.all("set")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("option --set: '" + kv + "' is not KEY=VALUE");
            }
            options.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String metric;
        try (PluginHandle<Benchmark> bench = ctx.catalog().open(Benchmark.class, name)) {
            metric = bench.get().primaryMetric();
            if (args.flag("single")) {
                Map<String, Object> result = new LinkedHashMap<>(bench.get().measure(options, new ProgressPrinter(ctx.err(), name)));
                ctx.out().println(metric + " " + result.get(metric));
                return result;
            }
        }
        int runs = args.getInt("runs", 5);
        if (runs <= 0) {
            throw new UsageException("option --runs: must be positive, got " + runs);
        }
        List<Double> values = new ArrayList<>();
        List<Map<?, ?>> details = new ArrayList<>();
        ctx.out().printf("%-4s %s%n", "run", metric);
        for (int r = 1; r <= runs; r++) {
            ctx.err().printf("bench %s: run %d/%d in a fresh JVM%n", name, r, runs);
            Map<?, ?> result = freshRun(name, args.all("set"));
            double v = ((Number) result.get(metric)).doubleValue();
            values.add(v);
            details.add(result);
            ctx.out().printf(Locale.ROOT, "%-4d %.1f%n", r, v);
        }
        double median = median(values);
        String env = "OMP_WAIT_POLICY=" + System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        ctx.out().printf(Locale.ROOT, "median %.1f %s over %d fresh JVMs (%s)%n", median, metric, runs, env);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", name);
        json.put("metric", metric);
        json.put("runs", values);
        json.put("median", median);
        json.put("environment", env);
        json.put("run_results", details);
        return json;
    }

    /** Runs {@code bench NAME --single --json} in a new JVM with this JVM's options and jar. */
    private static Map<?, ?> freshRun(String name, List<String> settings) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-jar", System.getProperty("java.class.path"), "bench", name, "--single", "--json"));
        if (!settings.isEmpty()) {
            cmd.add("--set");
            cmd.addAll(settings);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        int status = p.waitFor();
        if (status != 0 || last == null) {
            throw new TransfuseException("bench " + name + ": a fresh run failed with status " + status);
        }
        return JSON.readValue(last, Map.class);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
