package transfuse.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2JobStoreTest {
    @TempDir
    Path folder;

    private H2JobStore store;

    @BeforeEach
    void open() {
        store = new H2JobStore(folder);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aNewJobIsQueuedWithASortableIdAndNoTimesButCreated() {
        JobRecord job = store.create("fuse", Map.of("solver", "emd"));

        assertEquals("j-000001", job.id());
        assertEquals(JobState.QUEUED, job.state());
        assertEquals(Map.of("solver", "emd"), job.spec());
        assertEquals(Map.of(), job.progress());
        assertNotNull(job.created());
        assertNull(job.started());
        assertNull(job.finished());
        assertNull(job.result());
        assertEquals("j-000002", store.create("train", Map.of()).id());
    }

    @Test
    void runningSetsStartedAndATerminalStateSetsFinishedAndTheError() {
        String id = store.create("train", Map.of()).id();

        JobRecord running = store.setState(id, JobState.RUNNING, null);
        assertNotNull(running.started());
        assertNull(running.finished());

        JobRecord failed = store.setState(id, JobState.FAILED, "interrupted by server restart");
        assertEquals(JobState.FAILED, failed.state());
        assertEquals(running.started(), failed.started());
        assertNotNull(failed.finished());
        assertTrue(!failed.finished().isBefore(failed.started()));
        assertEquals("interrupted by server restart", failed.error());
        assertEquals(failed, store.get(id).orElseThrow());
    }

    @Test
    void goingBackToQueuedForAResumeClearsFinishedAndTheError() {
        String id = store.create("train", Map.of()).id();
        store.setState(id, JobState.RUNNING, null);
        store.setState(id, JobState.FAILED, "boom");

        JobRecord queued = store.setState(id, JobState.QUEUED, null);

        assertNull(queued.finished());
        assertNull(queued.error());
        assertNotNull(queued.started());
    }

    @Test
    void eventsAreNumberedPerJobAndReplayInOrderAfterAGivenSeq() {
        String a = store.create("fuse", Map.of()).id();
        String b = store.create("fuse", Map.of()).id();
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, store.appendEvent(a, "progress", Map.of("done", i)).seq());
        }
        assertEquals(1, store.appendEvent(b, "log", Map.of("line", "hello")).seq());

        List<JobEvent> replay = store.events(a, 2);

        assertEquals(List.of(3L, 4L, 5L), replay.stream().map(JobEvent::seq).toList());
        assertEquals(List.of(3, 4, 5), replay.stream().map(e -> e.data().get("done")).toList());
        assertEquals(5, store.events(a, 0).size());
        assertEquals(List.of(), store.events(a, 5));
        assertEquals("log", store.events(b, 0).get(0).type());
    }

    @Test
    void concurrentAppendsGetDistinctGaplessSeqs() throws Exception {
        String id = store.create("fuse", Map.of()).id();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> seqs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                seqs.add(pool.submit(() -> store.appendEvent(id, "log", Map.of()).seq()));
            }
            long[] sorted = new long[seqs.size()];
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] = seqs.get(i).get();
            }
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                assertEquals(i + 1, sorted[i]);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void listIsNewestFirstAndFiltersByStateWhileQueuedIsOldestFirst() {
        String first = store.create("fuse", Map.of()).id();
        String second = store.create("train", Map.of()).id();
        String third = store.create("eval", Map.of()).id();
        store.setState(second, JobState.RUNNING, null);

        assertEquals(List.of(third, second, first), ids(store.list(null)));
        assertEquals(List.of(second), ids(store.list(JobState.RUNNING)));
        assertEquals(List.of(third, first), ids(store.list(JobState.QUEUED)));
        assertEquals(List.of(first, third), ids(store.queued()));
        assertEquals(List.of(), store.list(JobState.SUCCEEDED));
    }

    @Test
    void countsHaveEveryStateWithZerosWhereNone() {
        store.create("fuse", Map.of());
        store.create("fuse", Map.of());
        store.setState(store.create("fuse", Map.of()).id(), JobState.RUNNING, null);

        Map<JobState, Integer> counts = store.counts();

        assertEquals(2, counts.get(JobState.QUEUED));
        assertEquals(1, counts.get(JobState.RUNNING));
        assertEquals(0, counts.get(JobState.CANCELLED));
        assertEquals(JobState.values().length, counts.size());
    }

    @Test
    void nestedSpecsProgressResultsAndEventDataRoundTripAsJson() {
        Map<String, Object> nested = json();
        String id = store.create("fuse", nested).id();
        store.setProgress(id, Map.of("task", "align", "done", 3, "total", 10, "fraction", 0.3));
        store.setResult(id, nested);
        store.appendEvent(id, "state", nested);

        JobRecord job = store.get(id).orElseThrow();

        assertEquals(nested, job.spec());
        assertEquals(nested, job.result());
        assertEquals(Map.of("task", "align", "done", 3, "total", 10, "fraction", 0.3), job.progress());
        assertEquals(nested, store.events(id, 0).get(0).data());
    }

    @Test
    void deleteRemovesTheJobAndItsEventsOnly() {
        String gone = store.create("fuse", Map.of()).id();
        String kept = store.create("fuse", Map.of()).id();
        store.appendEvent(gone, "log", Map.of());
        store.appendEvent(kept, "log", Map.of());

        store.delete(gone);
        store.delete("j-999999");

        assertTrue(store.get(gone).isEmpty());
        assertEquals(List.of(), store.events(gone, 0));
        assertEquals(1, store.events(kept, 0).size());
        assertEquals("j-000003", store.create("fuse", Map.of()).id(), "ids are never reused");
    }

    @Test
    void anUnknownIdIsNoSuchElementForWrites() {
        assertTrue(store.get("j-000404").isEmpty());
        assertThrows(NoSuchElementException.class, () -> store.setState("j-000404", JobState.RUNNING, null));
        assertThrows(NoSuchElementException.class, () -> store.setProgress("j-000404", Map.of()));
        assertThrows(NoSuchElementException.class, () -> store.setResult("j-000404", Map.of()));
        assertThrows(NoSuchElementException.class, () -> store.appendEvent("j-000404", "log", Map.of()));
    }

    @Test
    void aClosedAndReopenedStoreKeepsJobsEventsAndTheIdSequence() {
        String id = store.create("fuse", json()).id();
        store.setState(id, JobState.RUNNING, null);
        store.setProgress(id, Map.of("done", 1));
        store.appendEvent(id, "progress", Map.of("done", 1));
        store.setResult(id, json());
        JobRecord before = store.setState(id, JobState.SUCCEEDED, null);
        store.close();
        store.close();

        store = new H2JobStore(folder);

        assertEquals(before, store.get(id).orElseThrow());
        assertEquals(1, store.events(id, 0).size());
        assertEquals("j-000002", store.create("fuse", Map.of()).id());
    }

    @Test
    void aClosedStoreSaysSo() {
        store.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.list(null));
        assertTrue(e.getMessage().contains(folder.toString()), e.getMessage());
    }

    @Test
    void aSecondProcessOnTheSameFolderGetsOneLineNamingIt(@TempDir Path logs) throws Exception {
        store.close();
        try (ChildStore holder = new ChildStore("hold", folder, logs.resolve("stderr.txt"))) {
            holder.awaitLines(1);

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new H2JobStore(folder));

            assertEquals("job store " + folder.toAbsolutePath()
                    + " is in use by another process (is another server using this HOME?)", e.getMessage());
            holder.kill();
        }
        store = new H2JobStore(folder);
    }

    private static List<String> ids(List<JobRecord> jobs) {
        return jobs.stream().map(JobRecord::id).toList();
    }

    /** Nested objects and arrays, integers, a long, a fraction, booleans, null and non-ASCII text. */
    private static Map<String, Object> json() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("ok", true);
        inner.put("missing", null);
        inner.put("weights", List.of(0.25, 0.75));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("models", List.of("a", "b", List.of(1, 2, 3)));
        map.put("seed", 42);
        map.put("bytes", 12_345_678_901L);
        map.put("lr", 1.0e-4);
        map.put("shuffle", false);
        map.put("note", "naïve \"quoted\" \n line");
        map.put("options", inner);
        map.put("empty", List.of());
        return map;
    }
}
