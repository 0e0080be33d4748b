package transfuse.clitests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The command-line contract, checked on the real distribution in fresh processes: every command's
 * {@code --json} last line is one object with its documented keys; bad usage and bad input exit 2
 * with one line on stderr and an {@code {"error"}} object under --json; refused commands leave
 * nothing behind. Two tiny digits ViTs are trained once through {@code train} for the rest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandLineContractTest {
    private Path work;
    private Path home;
    private Path modelA;
    private Path modelB;

    @BeforeAll
    void trainTwoModels() throws Exception {
        work = Files.createTempDirectory("transfuse-cli-tests");
        home = Files.createDirectories(work.resolve("home"));
        modelA = work.resolve("a");
        modelB = work.resolve("b");
        for (Object[] m : new Object[][] {{modelA, "1"}, {modelB, "2"}}) {
            Cli.Run r = cli("train", "--arch", "vit", "--data", "digits:256", "--epochs", "1", "--batch", "64",
                    "--seed", (String) m[1], "--out", m[0].toString(), "--json");
            assertEquals(0, r.status(), r.toString());
            assertKeys(r.json(), "out", "arch", "data", "examples", "epochs", "resumed_from_epoch", "seconds",
                    "train_loss", "images_per_second", "test_accuracy", "test_loss", "history");
            List<?> history = (List<?>) r.json().get("history");
            assertEquals(1, history.size(), "one history entry per epoch trained");
            assertEquals(r.json().get("test_accuracy"), ((Map<?, ?>) history.get(0)).get("test_accuracy"),
                    "the last history entry is the final accuracy");
            assertTrue(Files.isRegularFile(((Path) m[0]).resolve("model.safetensors")));
            assertTrue(Files.isDirectory(((Path) m[0]).resolve("checkpoint")), "the checkpoint stays for --resume");
        }
    }

    @AfterAll
    void removeWork() throws IOException {
        try (Stream<Path> walk = Files.walk(work)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private Cli.Run cli(String... args) throws IOException, InterruptedException {
        return Cli.run(work, home, args);
    }

    private static void assertKeys(Map<?, ?> json, String... keys) {
        for (String k : keys) {
            assertTrue(json.containsKey(k), "missing key " + k + " in " + json);
        }
    }

    /** Exit 2, one error line on stderr naming {@code what}, and the error object last on stdout. */
    private static void assertRefused(Cli.Run r, String what) {
        assertEquals(2, r.status(), r.toString());
        List<String> errors = r.errLines().stream().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.toString());
        assertEquals(errors, r.errLines().stream().filter(l -> !l.contains(" | ")).toList(), "only the error line: " + r);
        assertTrue(errors.get(0).contains(what), "'" + what + "' in " + errors.get(0));
        assertTrue(((String) r.json().get("error")).contains(what), r.toString());
    }

    @Test
    void helpAndPluginsListJobsAsCommands() throws Exception {
        Cli.Run help = cli("help", "--json");
        assertEquals(0, help.status(), help.toString());
        List<?> commands = (List<?>) help.json().get("commands");
        List<Object> names = commands.stream().map(c -> (Object) ((Map<?, ?>) c).get("name")).toList();
        assertTrue(names.containsAll(List.of("inspect", "solve", "train", "eval", "forward", "fuse", "barrier", "demo",
                "import", "bench", "serve", "submit", "jobs")), names.toString());
        Cli.Run plugins = cli("plugins", "--json");
        List<?> all = (List<?>) plugins.json().get("plugins");
        assertTrue(all.stream().anyMatch(p -> "job".equals(((Map<?, ?>) p).get("kind"))
                && "fuse".equals(((Map<?, ?>) p).get("name"))), all.toString());
    }

    @Test
    void fuseHelpListsTheAlignersDeclaredOptions() throws Exception {
        Cli.Run r = cli("fuse", "--help");
        assertEquals(0, r.status(), r.toString());
        for (String option : List.of("--solver", "--reg", "--qk", "--residual", "--heads", "--residual-perm", "--alpha",
                "--depth-align")) {
            assertTrue(r.out().contains(option), option + " in\n" + r.out());
        }
    }

    @Test
    void evalAndInspectPrintTheirJson() throws Exception {
        Cli.Run eval = cli("eval", "--model", modelA.toString(), "--data", "digits:100", "--json");
        assertEquals(0, eval.status(), eval.toString());
        assertKeys(eval.json(), "accuracy", "loss", "examples", "seconds", "split", "data", "model");
        assertEquals(100, eval.json().get("examples"));
        Cli.Run inspect = cli("inspect", modelA.toString(), "--json");
        assertEquals(0, inspect.status(), inspect.toString());
        assertKeys(inspect.json(), "path", "kind", "tensors", "parameters");
        assertEquals("model_dir", inspect.json().get("kind"));
    }

    @Test
    void badNumbersAreRefusedBeforeWork() throws Exception {
        assertRefused(cli("eval", "--model", modelA.toString(), "--data", "digits", "--batch", "0", "--json"), "--batch");
        assertRefused(cli("eval", "--model", modelA.toString(), "--data", "digits", "--batch", "-1", "--json"), "--batch");
        Path cfg = Files.createDirectories(work.resolve("huge"));
        Files.writeString(cfg.resolve("config.json"), Files.readString(modelA.resolve("config.json"))
                .replaceFirst("\"hidden_size\": \\d+", "\"hidden_size\": 1000000000000"));
        assertRefused(cli("train", "--config", cfg.resolve("config.json").toString(), "--data", "digits:64",
                "--out", work.resolve("never").toString(), "--json"), "hidden_size");
        assertFalse(Files.exists(work.resolve("never")));
    }

    @Test
    void strayArgumentsAndSingleDashOptionsAreRefused() throws Exception {
        assertRefused(cli("eval", "--model", modelA.toString(), "--data", "digits", "stray", "--json"), "stray");
        assertRefused(cli("eval", "--model", modelA.toString(), "--data", "digits", "-h", "--json"), "-h");
        Cli.Run unknown = cli("fuze", "--json");
        assertRefused(unknown, "unknown command 'fuze'");
    }

    @Test
    void forwardRunsAViTAndRefusesAMask() throws Exception {
        float[] pixels = new float[3 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i * 37 % 17) / 16f;
        }
        Path x = Cli.npyF32(work.resolve("x.npy"), new long[] {3, 1, 8, 8}, pixels);
        Path y = work.resolve("y.npy");
        Cli.Run r = cli("forward", "--model", modelA.toString(), "--input", x.toString(), "--out", y.toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of(3, 10), r.json().get("shape"));
        assertKeys(r.json(), "out", "output", "shape", "seconds");
        Path y2 = work.resolve("y2.npy");
        assertRefused(cli("forward", "--model", modelA.toString(), "--input", x.toString(), "--mask", x.toString(),
                "--out", y2.toString(), "--json"), "takes no mask");
        assertFalse(Files.exists(y2));
    }

    @Test
    void solvePrintsItsContractKeys() throws Exception {
        Path cost = Cli.npyF64(work.resolve("c.npy"), new long[] {3, 3}, new double[] {0, 1, 2, 1, 0, 1, 2, 1, 0});
        Cli.Run r = cli("solve", "emd", "--cost", cost.toString(), "--out", work.resolve("p.npy").toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        assertKeys(r.json(), "cost", "iterations", "marginal_error", "seconds", "converged", "solver", "n", "m");
        assertEquals(0.0, ((Number) r.json().get("cost")).doubleValue(), 1e-12, "the identity plan costs nothing");
        assertRefused(cli("solve", "emd", "--cost", cost.toString(), "--reg", "0.1", "--out",
                work.resolve("q.npy").toString(), "--json"), "--reg");
    }

    /** A spec file and the same keys as flags write the same bytes; an input as the output is refused. */
    @Test
    void fuseFromASpecFileEqualsFuseFromFlags() throws Exception {
        Path fromFlags = work.resolve("fused-flags");
        Cli.Run r = cli("fuse", "--models", modelA.toString(), modelB.toString(), "--method", "ot", "--solver", "emd",
                "--data", "digits:128", "--samples", "128", "--out", fromFlags.toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        assertKeys(r.json(), "models", "options", "spaces");
        Path spec = Files.writeString(work.resolve("fuse.yaml"), "models: [" + modelA + ", " + modelB + "]\nmethod: ot\n"
                + "solver: emd\ndata: digits:128\nsamples: 128\nout: " + work.resolve("fused-spec") + "\n");
        Cli.Run s = cli("fuse", spec.toString(), "--json");
        assertEquals(0, s.status(), s.toString());
        assertArrayEquals(Files.readAllBytes(fromFlags.resolve("model.safetensors")),
                Files.readAllBytes(work.resolve("fused-spec").resolve("model.safetensors")));
        assertRefused(cli("fuse", "--models", modelA.toString(), modelB.toString(), "--method", "vanilla", "--out",
                modelB.toString(), "--json"), "input models");
        assertRefused(cli("fuse", "--models", modelA.toString(), modelB.toString(), "--method", "ties", "--out",
                work.resolve("ties").toString(), "--json"), "ties");
        assertRefused(cli("fuse", "--models", modelA.toString(), modelB.toString(), "--method", "vanilla", "--data",
                "digits", "--out", work.resolve("v").toString(), "--json"), "data");
        assertFalse(Files.exists(work.resolve("ties")) || Files.exists(work.resolve("v")));
    }

    @Test
    void barrierWritesCurveAndPlotAndRefusesADirectoryAsOutput() throws Exception {
        Path curve = work.resolve("curve").resolve("c.json");
        Cli.Run r = cli("barrier", "--models", modelA.toString(), modelB.toString(), "--method", "perm", "--data",
                "digits:128", "--samples", "128", "--steps", "3", "--out", curve.toString(), "--plot",
                work.resolve("curve").resolve("c.svg").toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        assertKeys(r.json(), "barrier", "models", "data", "options", "barrier_original", "endpoint_loss",
                "endpoint_accuracy", "aligned_endpoint_loss", "aligned_endpoint_accuracy", "aligned_endpoint_differs");
        assertTrue(Files.isRegularFile(work.resolve("curve").resolve("c.svg")));
        Path dir = Files.createDirectories(work.resolve("a-dir"));
        assertRefused(cli("barrier", "--models", modelA.toString(), modelB.toString(), "--method", "vanilla", "--data",
                "digits:64", "--out", dir.toString(), "--plot", work.resolve("p.svg").toString(), "--json"), "is a directory");
        assertFalse(Files.exists(work.resolve("p.svg")));
    }

    @Test
    void resumeWithoutACheckpointAndImportWithoutAFileAreRefused() throws Exception {
        Path out = work.resolve("fresh");
        assertRefused(cli("train", "--arch", "vit", "--data", "digits:64", "--resume", "--out", out.toString(), "--json"),
                "no checkpoint");
        assertFalse(Files.exists(out));
        assertRefused(cli("import", "--onnx", work.resolve("missing.onnx").toString(), "--arch", "bert", "--out",
                work.resolve("imported").toString(), "--json"), "missing.onnx");
    }

    @Test
    void demoWritesItsReportAndRefusesBadCountsLeavingNothing() throws Exception {
        Path out = work.resolve("demo");
        assertRefused(cli("demo", "--out", out.toString(), "--train-samples", "-1", "--json"), "--train-samples");
        assertFalse(Files.exists(out));
        Cli.Run r = cli("demo", "--out", out.toString(), "--epochs", "1", "--train-samples", "256", "--samples", "64",
                "--test-samples", "100", "--json");
        assertEquals(0, r.status(), r.toString());
        assertKeys(r.json(), "rows", "barriers", "report", "finetune_steps", "fair_control");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(Set.of("report.html", "barrier.svg", "results.json", "models"),
                    Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
        }
    }

    /** A plugin in HOME/deploy serves one-shot commands too; a jar that is no bundle is one warning line. */
    @Test
    void oneShotCommandsUseThePluginsDeployedInHome() throws Exception {
        Path deployHome = Files.createDirectories(work.resolve("deploy-home"));
        Path deploy = Files.createDirectories(deployHome.resolve("deploy"));
        Files.copy(Path.of(System.getProperty("testplugin.jar")), deploy.resolve("testplugin.jar"));
        Files.write(deploy.resolve("random.jar"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Path cost = Cli.npyF64(work.resolve("c2.npy"), new long[] {2, 2}, new double[] {0, 1, 1, 0});
        Cli.Run r = Cli.run(work, deployHome, "solve", "nw-corner", "--cost", cost.toString(), "--out",
                work.resolve("p2.npy").toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        assertEquals("nw-corner", r.json().get("solver"));
        assertTrue(r.errLines().stream().anyMatch(l -> l.startsWith("warning: ") && l.contains("random.jar")), r.toString());
    }
}
