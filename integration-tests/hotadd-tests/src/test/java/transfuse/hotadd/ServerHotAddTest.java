package transfuse.hotadd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import transfuse.testkit.server.Api;
import transfuse.testkit.server.Transfuse;

/**
 * The Llama architecture added to a running server that started without it, and taken away again,
 * the process never restarting. The steps build on each other (one server, one HOME), so they run
 * in order: upload and listing; Llama jobs through the API (two trainings, a fuse, an eval); the
 * bundle deleted in the middle of a Llama training, failing that job and nothing else; the jar
 * copied into {@code HOME/deploy}, adding it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerHotAddTest {
    /** Upload to listing, and a copy into deploy/ to listing: FileInstall polls every second under serve. */
    private static final long LISTED_WITHIN_MS = 10_000;

    /** Class-wide, so that it is there for the server started before the first step. */
    @TempDir
    static Path work;

    private Path home;
    private Transfuse.Server server;
    private Api api;
    private long bundleId = -1;
    private String fused;
    private List<String> finished;

    @BeforeAll
    void start() throws Exception {
        home = Files.createDirectories(work.resolve("home"));
        LlamaJobs.writeTinyConfig(home.resolve("models"));
        server = Transfuse.serve(home, work.resolve("server.txt"));
        api = new Api(server.url(), server.token());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The distribution holds no Llama: not listed, a llama job refused naming the architecture; then the upload lists it. */
    @Test
    @Order(1)
    void anUploadAddsLlamaToAServerThatStartedWithoutIt() throws Exception {
        assertFalse(LlamaBundle.listed(api), "the distribution itself holds no llama");
        assertFalse(api.call("GET", "/api/bundles", null).body().contains(LlamaBundle.SYMBOLIC_NAME));
        Api.Answer refused = api.call("POST", "/api/jobs", Api.json(Map.of("kind", "train", "spec", LlamaJobs.train(1))));
        assertEquals(400, refused.status(), refused.toString());
        assertTrue(String.valueOf(refused.json().get("error")).contains("unknown architecture 'llama'"), refused.toString());

        byte[] jar = Files.readAllBytes(LlamaBundle.jar());
        long t0 = System.nanoTime();
        Api.Answer installed = api.upload("/api/bundles", jar);
        long answered = System.nanoTime();
        assertEquals(201, installed.status(), installed.toString());
        assertEquals(LlamaBundle.SYMBOLIC_NAME, installed.json().get("symbolic_name"));
        assertEquals("active", installed.json().get("state"), installed.toString());
        long listed = LlamaBundle.awaitListed(api, true, LISTED_WITHIN_MS);
        System.out.printf(Locale.ROOT, "hot add: POST /api/bundles (%.0f KiB) answered 201 after %.2f s; llama listed %.2f s"
                + " after the upload started%n", jar.length / 1024.0, (answered - t0) / 1e9, (listed - t0) / 1e9);
        bundleId = ((Number) installed.json().get("id")).longValue();
        assertTrue(Files.isRegularFile(home.resolve("deploy").resolve(LlamaBundle.SYMBOLIC_NAME + "-"
                + installed.json().get("version") + ".jar")), "the upload is kept in deploy/ for restarts");
    }

    /** Two trainings of different seeds, their OT fuse and an eval of the fused model all succeed as server jobs. */
    @Test
    @Order(2)
    void llamaJobsRunThroughTheApi() throws Exception {
        String a = api.submit("train", LlamaJobs.train(1));
        String b = api.submit("train", LlamaJobs.train(2));
        for (String id : List.of(a, b)) {
            Map<?, ?> job = api.await(id, Duration.ofMinutes(3));
            assertEquals("succeeded", job.get("state"), job.toString());
            assertEquals(LlamaBundle.ARCH, ((Map<?, ?>) job.get("result")).get("arch"));
        }
        String config = new String(api.bytes("/api/jobs/" + a + "/artifacts/model/config.json"));
        assertTrue(config.contains("\"model_type\": \"llama\""), config);
        fused = api.submit("fuse", LlamaJobs.fuse("job:" + a, "job:" + b));
        Map<?, ?> fuse = api.await(fused, Duration.ofMinutes(3));
        assertEquals("succeeded", fuse.get("state"), fuse.toString());
        String eval = api.submit("eval", LlamaJobs.eval("job:" + fused));
        Map<?, ?> evaluated = api.await(eval, Duration.ofMinutes(3));
        assertEquals("succeeded", evaluated.get("state"), evaluated.toString());
        LlamaJobs.checkEvaluation((Map<?, ?>) evaluated.get("result"));
        finished = List.of(a, b, fused, eval); // the three that wrote a model first
    }

    /**
     * DELETE /api/bundles/{id} while a Llama training runs fails that job, naming the bundle, and
     * leaves no output; the ViT training queued behind it runs and succeeds, and the Llama jobs that
     * had finished keep their state and artifacts. llama is no longer listed.
     */
    @Test
    @Order(3)
    void removingTheBundleMidTrainingFailsThatJobOnly() throws Exception {
        assertTrue(bundleId >= 0 && finished != null, "needs the earlier steps");
        String running = api.submit("train", LlamaJobs.longTrain());
        String queued = api.submit("train", Map.of("arch", "vit", "data", "digits:128", "epochs", 1, "batch", 64,
                "seed", 1, "no-eval", true));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!"running".equals(api.job(running).get("state")) || ((Map<?, ?>) api.job(running).get("progress")).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the llama training never reported progress: " + api.job(running));
            Thread.sleep(50);
        }
        Api.Answer removed = api.call("DELETE", "/api/bundles/" + bundleId, null);
        assertEquals(200, removed.status(), removed.toString());
        Map<?, ?> failed = api.await(running, Duration.ofMinutes(1));
        assertEquals("failed", failed.get("state"), failed.toString());
        assertTrue(String.valueOf(failed.get("error")).contains("bundle " + LlamaBundle.SYMBOLIC_NAME + " was removed"),
                failed.toString());
        assertFalse(Files.exists(home.resolve("jobs").resolve(running).resolve("out").resolve("model")),
                "the failed training left no model");
        Map<?, ?> vit = api.await(queued, Duration.ofMinutes(3));
        assertEquals("succeeded", vit.get("state"), vit.toString());
        for (String id : finished) {
            assertEquals("succeeded", api.job(id).get("state"), id);
        }
        for (String id : finished.subList(0, 3)) { // the eval wrote no files
            assertFalse(((List<?>) api.call("GET", "/api/jobs/" + id + "/artifacts", null).json().get("artifacts")).isEmpty(),
                    id + " keeps its model");
        }
        LlamaBundle.awaitListed(api, false, LISTED_WITHIN_MS);
        assertFalse(api.call("GET", "/api/bundles", null).body().contains(LlamaBundle.SYMBOLIC_NAME));
        assertFalse(Files.list(home.resolve("deploy")).anyMatch(p -> p.getFileName().toString().contains("llama")));
    }

    /**
     * A copy into HOME/deploy (FileInstall's route, no API call) adds llama again, and the fused model
     * evaluates; the server is healthy and its log names the removal without a stack trace.
     */
    @Test
    @Order(4)
    void aCopyIntoDeployAddsItAgain() throws Exception {
        assertTrue(fused != null, "needs the fused model of step 2");
        long t0 = System.nanoTime();
        LlamaBundle.deployInto(home.resolve("deploy"));
        long listed = LlamaBundle.awaitListed(api, true, LISTED_WITHIN_MS);
        System.out.printf(Locale.ROOT, "hot add: llama listed %.2f s after its jar was moved into deploy/%n", (listed - t0) / 1e9);
        String eval = api.submit("eval", LlamaJobs.eval("job:" + fused));
        Map<?, ?> evaluated = api.await(eval, Duration.ofMinutes(3));
        assertEquals("succeeded", evaluated.get("state"), evaluated.toString());
        Map<?, ?> health = api.call("GET", "/api/health", null).json();
        assertEquals("ok", health.get("status"), health.toString());
        String log = Files.readString(home.resolve("logs").resolve("server.log"));
        assertTrue(log.contains("bundle " + LlamaBundle.SYMBOLIC_NAME + " was removed"), log);
        assertFalse(log.contains("Exception"), "the removal is logged as one line, not a stack trace:\n" + log);
    }
}
