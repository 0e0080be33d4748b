package transfuse.jobs.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.job.Job;
import transfuse.io.spec.SpecYaml;
import transfuse.jobs.JobRunner;

/**
 * Every job kind validates its whole spec before any work: unknown keys, wrong types and values out
 * of range fail with one line naming the key, outputs that cannot be written are refused up front
 * and nothing is created by the refusal; a spec file and the same keys as flags give one spec.
 */
class JobSpecTest {
    private static final String FLAGS = "option --%s";

    @TempDir
    Path tmp;
    private TestJobContext context;
    private Path a;
    private Path b;

    @BeforeEach
    void models() {
        context = new TestJobContext(tmp.resolve("home"));
        a = TestModels.vit(context, tmp.resolve("a"), 1);
        b = TestModels.vit(context, tmp.resolve("b"), 2);
    }

    private static List<Job<?>> allJobs() {
        return List.of(new FuseJob(TestJobContext.fusionKeys()), new BarrierJob(TestJobContext.fusionKeys()),
                new TrainJob(), new EvalJob(), new ForwardJob(), new ImportJob(), new SolveJob(), new InspectJob(),
                new DemoJob());
    }

    private String error(Job<?> job, Map<String, ?> raw) {
        String m = assertThrows(TransfuseException.class, () -> JobRunner.validate(job, raw, FLAGS, context)).getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        return m;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void everyKindNamesAnUnknownKey() {
        for (Job<?> job : allJobs()) {
            String m = error(job, map("bogus-key", "1"));
            assertTrue(m.startsWith("option --bogus-key: unknown (known: "), job.name() + ": " + m);
        }
    }

    @Test
    void everyDeclaredOptionHasADocAndEveryKindAUsage() {
        for (Job<?> job : allJobs()) {
            assertFalse(job.usage().isBlank(), job.name());
            job.options().forEach(o -> assertFalse(o.doc().isBlank(), job.name() + " " + o.name()));
        }
    }

    @Test
    void evalAndForwardRefuseBatchesBelowOneBeforeWork() {
        assertTrue(error(new EvalJob(), map("model", a.toString(), "data", "digits", "batch", "0"))
                .equals("option --batch: must be between 1 and 1048576, got 0"));
        assertTrue(error(new EvalJob(), map("model", a.toString(), "data", "digits", "batch", "-1"))
                .contains("option --batch"));
        assertTrue(error(new ForwardJob(), map("model", a.toString(), "input", "x.npy", "out", tmp.resolve("y.npy")
                .toString(), "batch", "0")).contains("option --batch"));
        assertTrue(error(new EvalJob(), map("model", a.toString(), "data", "digits", "batch", "many"))
                .equals("option --batch: 'many' is not a whole number"));
    }

    @Test
    void optionsThatDoNotApplyAreRefused() {
        assertEquals("option --pool: applies only with --probe",
                error(new EvalJob(), map("model", a.toString(), "data", "digits", "pool", "cls")));
        assertTrue(error(new EvalJob(), map("model", a.toString(), "data", "digits", "probe", true, "split", "train"))
                .startsWith("option --split: does not apply with --probe"));
        Path x = tmp.resolve("x.npy");
        transfuse.io.npy.Npy.write(x, transfuse.api.tensor.Tensor.ofFloats(new long[] {1, 1, 8, 8}, new float[64]));
        assertEquals("option --mask: the vit architecture takes no mask", error(new ForwardJob(), map("model",
                a.toString(), "input", x.toString(), "mask", x.toString(), "out", tmp.resolve("y.npy").toString())));
        assertTrue(error(new FuseJob(TestJobContext.fusionKeys()), map("models", List.of(a.toString(), b.toString()),
                "method", "vanilla", "data", "digits", "out", tmp.resolve("f").toString())).contains("data"));
    }

    @Test
    void trainRefusesResumeWithoutACheckpoint() {
        Path out = tmp.resolve("trained");
        assertEquals("option --resume: no checkpoint at " + out.resolve("checkpoint") + " to resume from",
                error(new TrainJob(), map("arch", "vit", "data", "digits", "resume", true, "out", out.toString())));
        assertFalse(Files.exists(out));
        assertTrue(error(new TrainJob(), map("arch", "vit", "data", "digits", "epochs", "0", "out", out.toString()))
                .startsWith("option --epochs: must be"));
    }

    @Test
    void outputsAreCheckedBeforeWorkAndNothingIsCreated() throws Exception {
        assertTrue(error(new FuseJob(TestJobContext.fusionKeys()), map("models", List.of(a.toString(), b.toString()),
                "method", "vanilla", "out", b.toString())).contains("is one of the input models"));
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "mine");
        assertTrue(error(new FuseJob(TestJobContext.fusionKeys()), map("models", List.of(a.toString(), b.toString()),
                "method", "vanilla", "out", busy.toString())).contains("holds notes.txt"));
        assertTrue(error(new BarrierJob(TestJobContext.fusionKeys()), map("models", List.of(a.toString(), b.toString()),
                "method", "vanilla", "data", "digits", "out", busy.toString())).endsWith("is a directory; give a file name for the output"));
        Path demo = tmp.resolve("demo");
        assertTrue(error(new DemoJob(), map("out", demo.toString(), "train-samples", "-1")).startsWith("option --train-samples"));
        String residual = error(new DemoJob(), map("out", demo.toString(), "ot-residual", "sum"));
        assertTrue(residual.startsWith("option --ot-residual: ") && residual.contains("sum"), residual);
        assertFalse(Files.exists(demo));
        Path blocked = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(error(new SolveJob(), map("solver", "emd", "cost", "c.npy", "out", blocked.resolve("p.npy").toString()))
                .contains("is a file, not a folder"));
    }

    @Test
    void solveNamesAnUnknownSolverBeforeReadingFiles() {
        String m = error(new SolveJob(), map("solver", "simplex", "cost", "missing.npy", "out", tmp.resolve("p.npy").toString()));
        assertTrue(m.contains("'simplex'"), m);
        assertTrue(error(new SolveJob(), map("solver", "emd", "cost", "c.npy", "a", "a.npy", "out", "p.npy"))
                .contains("give both or neither"));
    }

    @Test
    void anUnknownFusionMethodIsNamedAsSuch() {
        String m = error(new FuseJob(TestJobContext.fusionKeys()), map("models", List.of(a.toString(), b.toString()),
                "method", "ties", "out", tmp.resolve("f").toString()));
        assertTrue(m.contains("ties") && !m.contains("needs data"), m);
    }

    /** The same keys from a spec file (typed YAML values) and from flags (strings) give equal specs. */
    @Test
    void specFileAndFlagsGiveTheSameSpec() throws Exception {
        Path out = tmp.resolve("fused");
        Path yaml = tmp.resolve("spec.yaml");
        Files.writeString(yaml, "models: [" + a + ", " + b + "]\nmethod: ot\nsolver: emd\ndata: digits:64\nsamples: 64\n"
                + "alpha: [0.25, 0.75]\nout: " + out + "\n");
        FuseJob fuse = new FuseJob(TestJobContext.fusionKeys());
        Object fromFile = JobRunner.validate(fuse, SpecYaml.read(yaml), yaml + ": key '%s'", context);
        Object fromFlags = JobRunner.validate(fuse, map("models", List.of(a.toString(), b.toString()), "method", "ot",
                "solver", "emd", "data", "digits:64", "samples", "64", "alpha", List.of("0.25,0.75"), "out", out.toString()),
                FLAGS, context);
        assertEquals(fromFlags, fromFile);

        Path trained = tmp.resolve("t");
        Files.writeString(yaml, "arch: vit\ndata: digits:128\nepochs: 2\nlr: 0.001\nno-eval: true\nout: " + trained + "\n");
        TrainJob train = new TrainJob();
        assertEquals(JobRunner.validate(train, map("arch", "vit", "data", "digits:128", "epochs", "2", "lr", "1e-3",
                "no-eval", true, "out", trained.toString()), FLAGS, context),
                JobRunner.validate(train, SpecYaml.read(yaml), "%s", context));
    }

    @Test
    void aBadValueInASpecFileNamesTheFileAndKey() throws Exception {
        Path yaml = tmp.resolve("eval.yaml");
        Files.writeString(yaml, "model: " + a + "\ndata: digits\nbatch: [1, 2]\n");
        String m = assertThrows(TransfuseException.class, () -> JobRunner.validate(new EvalJob(), SpecYaml.read(yaml),
                yaml + ": key '%s'", context)).getMessage();
        assertEquals(yaml + ": key 'batch': expected a single value, got a list", m);
    }
}
