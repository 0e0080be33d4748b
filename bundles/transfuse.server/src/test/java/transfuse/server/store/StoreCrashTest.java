package transfuse.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while a process writes: the store must reopen holding every call that had returned
 * (each child line is printed after its call returned) and nothing torn (gapless event numbers).
 */
class StoreCrashTest {
    private static final int KILLS = 3;

    @TempDir
    Path folder;

    @Test
    void aStoreKilledMidWriteReopensWithEveryReturnedCallAndGaplessEvents(@TempDir Path logs) throws Exception {
        Random random = new Random(7);
        for (int round = 1; round <= KILLS; round++) {
            Path stderr = logs.resolve("stderr-" + round + ".txt");
            List<String> reported;
            try (ChildStore child = new ChildStore("write", folder, stderr)) {
                child.awaitLines(100 + random.nextInt(400));
                reported = child.kill();
            } catch (IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "; child stderr: " + Files.readString(stderr), e);
            }

            try (H2JobStore store = new H2JobStore(folder)) {
                assertEveryReportedCallKept(store, reported, round);
                assertEventsGapless(store, round);
            }
        }
    }

    private static void assertEveryReportedCallKept(JobStore store, List<String> reported, int round) {
        for (String line : reported) {
            String[] words = line.split(" ");
            String id = words[1];
            JobRecord job = store.get(id).orElseThrow(() -> new AssertionError("round " + round + ": lost " + line));
            switch (words[0]) {
                case "job" -> assertEquals("fuse", job.kind());
                case "state" -> assertTrue(job.state() == JobState.SUCCEEDED
                        || job.state() == JobState.parse(words[2]), "round " + round + ": " + line + " but " + job);
                case "event" -> assertTrue(store.events(id, 0).size() >= Long.parseLong(words[2]),
                        "round " + round + ": lost " + line);
                default -> throw new AssertionError("unexpected child line " + line);
            }
        }
    }

    private static void assertEventsGapless(JobStore store, int round) {
        for (JobRecord job : store.list(null)) {
            List<Long> seqs = store.events(job.id(), 0).stream().map(JobEvent::seq).toList();
            List<Long> expected = LongStream.rangeClosed(1, seqs.size()).boxed().toList();
            assertEquals(expected, seqs, "round " + round + ": events of " + job.id());
            assertEquals(Map.of("round", job.spec().get("round"), "models", List.of("a", "b")), job.spec());
        }
    }
}
