package transfuse.servertests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.testkit.server.Api;
import transfuse.testkit.server.Transfuse;

/**
 * {@code kill -9} of the server process in the middle of a training job, five times on one HOME.
 * Each round leaves a training job running (with a checkpoint written), a barrier job running on
 * the worker lane and a fuse job queued behind it. After every restart: the store opens, the
 * training job resumes from its checkpoint and succeeds, the interrupted barrier is failed with
 * "interrupted by server restart", the queued fuse runs and succeeds, and the artifacts of earlier
 * rounds are byte for byte what they were. The server log holds no exception.
 */
class ServerCrashTest {
    private static final int ROUNDS = 5;

    @TempDir
    Path work;

    private record Round(String train, String barrier, String fuse) {
    }

    @Test
    void killNineMidTrainingFiveTimes() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        for (String seed : List.of("1", "2")) {
            Transfuse.run(home, "train", "--arch", "vit", "--data", "digits:256", "--epochs", "1", "--batch", "64",
                    "--seed", seed, "--out", home.resolve("models").resolve(seed.equals("1") ? "a" : "b").toString());
        }
        Map<Path, String> finished = new LinkedHashMap<>();
        Round previous = null;
        for (int round = 1; round <= ROUNDS + 1; round++) {
            Transfuse.Server server = Transfuse.serve(home, work.resolve("server-" + round + ".txt"));
            Api api = new Api(server.url(), server.token());
            try {
                if (previous != null) {
                    checkRecovered(api, home, previous, finished);
                }
                if (round > ROUNDS) {
                    server.close(); // the last start only checks the last crash
                    break;
                }
                previous = leaveJobsInFlight(api, home);
            } catch (AssertionError | Exception e) {
                server.close(); // a failed round must not leave its server running
                throw e;
            }
            long pid = server.process().pid();
            server.process().destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
            System.out.printf("crash round %d: killed server %d with train %s running (checkpoint written), barrier %s"
                    + " running, fuse %s queued%n", round, pid, previous.train(), previous.barrier(), previous.fuse());
        }
        String log = Files.readString(home.resolve("logs").resolve("server.log"));
        assertFalse(log.contains("Exception"), log);
        assertTrue(log.contains("queued again after a restart (resumable)"), log);
    }

    private static Round leaveJobsInFlight(Api api, Path home) throws Exception {
        String train = api.submit("train", Map.of("arch", "vit", "data", "digits", "epochs", 12, "batch", 32, "seed", 5));
        String barrier = api.submit("barrier", Map.of("models", List.of("a", "b"), "method", "perm",
                "data", "digits:512", "samples", 256, "steps", 600));
        String fuse = api.submit("fuse", Map.of("models", List.of("a", "b"), "method", "ot", "solver", "emd",
                "data", "digits:128", "samples", 128));
        Path checkpoint = home.resolve("jobs").resolve(train).resolve("out").resolve("model").resolve("checkpoint")
                .resolve("config.json"); // a checkpoint folder appears whole (Checkpoint.write)
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!(Files.exists(checkpoint) && "running".equals(api.job(barrier).get("state"))
                && "queued".equals(api.job(fuse).get("state")))) {
            assertTrue(System.nanoTime() < deadline, "jobs never reached the state to crash in: " + api.job(train)
                    + api.job(barrier) + api.job(fuse));
            assertEquals("running", api.job(train).get("state"), "the training must still run when the server dies");
            Thread.sleep(100);
        }
        return new Round(train, barrier, fuse);
    }

    private static void checkRecovered(Api api, Path home, Round r, Map<Path, String> finished) throws Exception {
        for (Map.Entry<Path, String> f : finished.entrySet()) {
            assertEquals(f.getValue(), sha256(f.getKey()), "an earlier artifact changed: " + f.getKey());
        }
        Map<?, ?> barrier = api.job(r.barrier());
        assertEquals("failed", barrier.get("state"), barrier.toString());
        assertEquals("interrupted by server restart", barrier.get("error"));
        Map<?, ?> fuse = api.await(r.fuse(), Duration.ofMinutes(5));
        assertEquals("succeeded", fuse.get("state"), fuse.toString());
        Map<?, ?> train = api.await(r.train(), Duration.ofMinutes(10));
        assertEquals("succeeded", train.get("state"), train.toString());
        Map<?, ?> result = (Map<?, ?>) train.get("result");
        assertTrue(((Number) result.get("resumed_from_epoch")).intValue() >= 1, "resumed from its checkpoint: " + result);
        for (String id : List.of(r.fuse(), r.train())) {
            Path out = home.resolve("jobs").resolve(id).resolve("out");
            try (Stream<Path> files = Files.walk(out)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    finished.put(p, sha256(p));
                }
            }
        }
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
