package transfuse.arch.vit.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.pytorch.jni.JniUtils;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.data.Dataset;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.arch.vit.VitArchitecture;
import transfuse.arch.vit.VitReference;
import transfuse.djl.DjlRuntime;

/**
 * Training throughput of the reference ViT of docs/vit.md (d 64, 4 heads, 2 layers, MLP 128, patch 7,
 * AdamW lr 3e-3, batch 128, 28 x 28) through the ordinary training path
 * ({@link VitArchitecture#train}): images/s over 50 steps after 5 warm-up steps, each run in a
 * fresh JVM, reported as a table and the median.
 *
 * <pre>
 * java -cp CLASSPATH transfuse.arch.vit.bench.TrainThroughput [--runs 5] [--warmup 5] [--steps 50]
 * </pre>
 * Child JVMs inherit this JVM's class path and {@code -D} options; thread settings are taken
 * from {@code -Dai.djl.pytorch.num_threads}/{@code num_interop_threads} and the environment
 * ({@code OMP_WAIT_POLICY}, {@code OMP_NUM_THREADS}).
 */
public final class TrainThroughput {
    static final String RESULT_PREFIX = "images/s ";

    private TrainThroughput() {
    }

    /** One run's throughput and the libtorch intra-op thread count the training loop ran with. */
    public record Result(double imagesPerSecond, int intraOpThreads) {
    }

    /**
     * Images per second of one run in this JVM: {@code steps} steps timed after {@code warmup}
     * steps, on synthetic 28 x 28 images (throughput does not depend on pixel values).
     */
    public static Result measure(DjlRuntime djl, int warmup, int steps) {
        return measure(new VitArchitecture(djl), new SyntheticImages((warmup + steps) * 128, 7), warmup, steps);
    }

    static Result measure(VitArchitecture vit, Dataset data, int warmup, int steps) {
        int batch = 128;
        ModelConfig config = VitReference.config();
        TrainOptions options = new TrainOptions(1, batch, 3e-3, 0.05, 0.05, 1.0, 1, null, false);
        long[] marks = new long[2];
        int[] threads = new int[1];
        vit.train(new TrainRequest(config, data, null, null, options), ProgressListener.NONE, step -> {
            if (step == warmup) {
                marks[0] = System.nanoTime();
                threads[0] = JniUtils.getNumThreads();
            } else if (step == warmup + steps) {
                marks[1] = System.nanoTime();
            }
        });
        return new Result((double) steps * batch / ((marks[1] - marks[0]) / 1e9), threads[0]);
    }

    public static void main(String[] args) throws Exception {
        int runs = 5, warmup = 5, steps = 50;
        boolean single = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--single" -> single = true;
                default -> {
                    System.err.println("usage: TrainThroughput [--runs N] [--warmup N] [--steps N]");
                    System.exit(2);
                }
            }
        }
        if (single) {
            DjlRuntime.initialize(DjlRuntime.class);
            Result r = measure(new DjlRuntime(), warmup, steps);
            System.out.println("intra-op threads " + r.intraOpThreads()
                    + ", inter-op threads " + JniUtils.getNumInteropThreads());
            System.out.println(RESULT_PREFIX + String.format(Locale.ROOT, "%.1f", r.imagesPerSecond()));
            return;
        }
        List<Double> results = new ArrayList<>();
        String[] threads = new String[1];
        System.out.println("run  images/s");
        for (int r = 1; r <= runs; r++) {
            double ips = child(warmup, steps, threads);
            results.add(ips);
            System.out.printf(Locale.ROOT, "%3d  %8.0f%n", r, ips);
        }
        List<Double> sorted = new ArrayList<>(results);
        sorted.sort(null);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf(Locale.ROOT, "median %.0f images/s (%d fresh JVMs, %d steps after %d warm-up, batch 128;"
                + " OMP_WAIT_POLICY=%s, libtorch %s)%n", median, runs, steps, warmup,
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"), threads[0]);
    }

    private static double child(int warmup, int steps, String[] threads) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-D") || a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainThroughput.class.getName(), "--single",
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("intra-op threads ")) {
                    threads[0] = line;
                }
                if (line.startsWith(RESULT_PREFIX)) {
                    result = line.substring(RESULT_PREFIX.length());
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException("benchmark child JVM failed (exit " + p.exitValue() + ")");
        }
        return Double.parseDouble(result);
    }
}
