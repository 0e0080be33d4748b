package transfuse.jobs.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.job.JobCancelledException;
import transfuse.jobs.JobRunner;

/**
 * A job cancelled mid-work stops at its next progress report and leaves no output: no model
 * directory, no checkpoint, no hidden temporary beside where the output would have gone.
 */
class CancellationTest {
    @TempDir
    Path tmp;

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCancelledFuseLeavesNoOutput() throws Exception {
        TestJobContext setup = new TestJobContext(tmp);
        Path models = Files.createDirectories(tmp.resolve("models"));
        Path a = TestModels.vit(setup, models.resolve("a"), 1);
        Path b = TestModels.vit(setup, models.resolve("b"), 2);
        Path out = tmp.resolve("out").resolve("fused");
        Map<String, Object> spec = Map.of("models", List.of(a.toString(), b.toString()), "method", "ot",
                "solver", "emd", "data", "digits:64", "samples", "64", "out", out.toString());

        // A full run counts the progress reports, so the cancellation can land in the middle of them.
        TestJobContext counting = new TestJobContext(tmp);
        JobRunner.run(new FuseJob(TestJobContext.fusionKeys()), spec, "option --%s", counting);
        long reports = counting.progressReports();
        assertTrue(reports > 4, "reports " + reports);
        deleteTree(tmp.resolve("out"));

        TestJobContext cancelling = new TestJobContext(tmp).cancelAfter(reports / 2);
        assertThrows(JobCancelledException.class, () -> JobRunner.run(new FuseJob(TestJobContext.fusionKeys()), spec,
                "option --%s", cancelling));
        assertFalse(Files.exists(out));
        assertEquals(List.of(), Files.exists(out.getParent()) ? entries(out.getParent()) : List.of());
    }

    @Test
    void aCancelledTrainingLeavesNoOutputOrCheckpoint() throws Exception {
        Path out = tmp.resolve("trained");
        Map<String, Object> spec = Map.of("arch", "vit", "data", "digits:256", "epochs", "2", "batch", "32",
                "no-eval", true, "out", out.toString());
        TestJobContext counting = new TestJobContext(tmp);
        JobRunner.run(new TrainJob(), spec, "option --%s", counting);
        // The trainer reports after every step (8 a epoch here) and at the end of every epoch.
        long reports = counting.progressReports();
        assertTrue(reports >= 2, "reports " + reports);
        deleteTree(out);

        // Half-way: inside the second epoch, after the first epoch's checkpoint was written.
        TestJobContext cancelling = new TestJobContext(tmp).cancelAfter(reports / 2 + 1);
        assertThrows(JobCancelledException.class, () -> JobRunner.run(new TrainJob(), spec, "option --%s", cancelling));
        assertFalse(Files.exists(out), "nothing of a cancelled fresh run stays");
        assertEquals(List.of(), entries(tmp).stream().filter(n -> n.startsWith(".trained")).toList());
    }

    private static void deleteTree(Path p) throws IOException {
        transfuse.io.files.AtomicDirectory.deleteTree(p);
    }
}
