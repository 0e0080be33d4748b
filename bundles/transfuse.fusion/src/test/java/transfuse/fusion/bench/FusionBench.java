package transfuse.fusion.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.arch.vit.VitConfig;
import transfuse.fusion.FusionEngine;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.FusionResult;
import transfuse.fusion.SpaceStat;
import transfuse.fusion.TestServices;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/**
 * Performance evidence (run by experiments/bench-fusion.sh, not a unit test):
 * <pre>
 * FusionBench gen DIR                      two random ViT-B/16-shaped checkpoints DIR/a, DIR/b
 * FusionBench fuse OUT A B [key=value ...] one fusion, with the per-space time table and peak RSS
 * </pre>
 */
public final class FusionBench {
    private FusionBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "gen" -> generate(Path.of(args[1]));
            case "fuse" -> fuse(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), List.of(args).subList(4, args.length));
            default -> throw new IllegalArgumentException("gen DIR | fuse OUT A B [key=value ...]");
        }
    }

    /** ViT-B/16: hidden 768, 12 layers, 12 heads, MLP 3072, 224 x 224 x 3 images, 1000 classes. */
    static void generate(Path dir) {
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            classes.add("class" + i);
        }
        ModelConfig c = VitConfig.toModelConfig(768, 12, 12, 3072, 224, 16, 3, classes);
        for (String name : List.of("a", "b")) {
            Path out = dir.resolve(name);
            if (ModelDir.isModelDir(out)) {
                System.out.println("exists: " + out);
                continue;
            }
            Map<String, Tensor> w = TestServices.get().architecture("vit").initialize(c, name.equals("a") ? 1 : 2);
            List<TensorSource> sources = new ArrayList<>();
            w.forEach((n, t) -> sources.add(TensorSource.of(n, t)));
            ModelDir.write(out, c, sources, Map.of());
            System.out.println("wrote " + out);
        }
    }

    static void fuse(Path out, Path a, Path b, List<String> kv) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (String s : kv) {
            String[] p = s.split("=", 2);
            o.put(p[0], p[1]);
        }
        FusionOptions options = FusionOptions.parse(o, 2, TestServices.get()::aligner);
        long start = System.nanoTime();
        long t0 = System.nanoTime();
        ProgressListener p = (task, done, total, msg) -> System.err.printf(Locale.ROOT, "[%7.2f s] %s %d/%d %s%n",
                (System.nanoTime() - t0) / 1e9, task, done, total, msg);
        FusionResult r = new FusionEngine(TestServices.get()).fuse(List.of(a, b), options, out,
                System.getenv("BENCH_PROGRESS") == null ? ProgressListener.NONE : p);
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-34s %-7s %-11s %-9s %-10s %8s%n", "space", "how", "map", "solver", "iterations",
                "seconds");
        double solve = 0;
        for (SpaceStat s : r.spaces()) {
            Object it = s.details().getOrDefault("iterations", "");
            System.out.printf(Locale.ROOT, "%-34s %-7s %-11s %-9s %-10s %8.3f%n", s.space(), s.how(),
                    s.rows() + "x" + s.cols(), s.details().getOrDefault("solver", ""), it, s.seconds());
            solve += s.seconds();
        }
        long bytesA = Files.size(a.resolve(ModelDir.WEIGHTS));
        System.out.printf(Locale.ROOT, "options %s%n", options.toMap());
        System.out.printf(Locale.ROOT, "wall %.2f s (alignment of spaces %.2f s, activations %.2f s); one model %.1f MB;"
                + " %s%n", wall, solve, r.evidenceSeconds(), bytesA / 1e6, peakRss());
    }

    /** VmHWM of this process: the peak resident set, mapped file pages included. */
    static String peakRss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM")) {
                return "peak RSS " + line.replaceAll("\\s+", " ").substring(7);
            }
        }
        return "peak RSS unknown";
    }
}
