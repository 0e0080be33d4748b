package transfuse.servertests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import transfuse.testkit.server.Api;
import transfuse.testkit.server.Npy;
import transfuse.testkit.server.Transfuse;

/**
 * The server's HTTP contract against the real server process: status codes and one-line JSON
 * errors for auth, hosts, methods, sizes and bad specs; jobs end to end (a fuse and a training
 * job, their events, results and artifacts, which a later job and the CLI accept); cancellation
 * leaving nothing; 100 concurrent status requests during a fuse; the OpenAPI document parsed by
 * swagger-parser with every documented route answering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerApiTest {
    private Path work;
    private Path home;
    private Transfuse.Server server;
    private Api api;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("transfuse-server-api");
        home = Files.createDirectories(work.resolve("home"));
        for (String seed : List.of("1", "2")) {
            Transfuse.run(home, "train", "--arch", "vit", "--data", "digits:256", "--epochs", "1", "--batch", "64",
                    "--seed", seed, "--out", home.resolve("models").resolve(seed.equals("1") ? "a" : "b").toString());
        }
        server = Transfuse.serve(home, work.resolve("server.txt"));
        api = new Api(server.url(), server.token());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> walk = Files.walk(work)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void assertError(Api.Answer a, int status, String words) {
        assertEquals(status, a.status(), a.toString());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        String error = (String) a.json().get("error");
        assertTrue(error != null && error.contains(words) && !error.contains("\n"), "'" + words + "' in " + a);
    }

    @Test
    void authHostsMethodsAndSizesAreRefusedAsOneLineJson() throws Exception {
        Api.Answer health = api.call("GET", "/api/health", null, null, null);
        assertEquals(200, health.status(), health.toString());
        for (String k : List.of("status", "version", "uptime_s", "home", "jobs", "problems")) {
            assertTrue(health.json().containsKey(k), k + " in " + health);
        }
        assertError(api.call("GET", "/api/jobs", null, null, null), 401, "token");
        assertError(api.call("GET", "/api/jobs", null, "wrong" + server.token(), null), 401, "token");
        assertError(api.call("GET", "/api/plugins", null, server.token().substring(1), null), 401, "token");
        // Host is a restricted header for java.net.http; a raw request checks the DNS-rebinding guard.
        assertTrue(rawStatusLine("GET /api/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                .startsWith("HTTP/1.1 403"));
        assertTrue(rawStatusLine("TRACE /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .startsWith("HTTP/1.1 405"));
        assertError(api.call("PUT", "/api/jobs", "{}"), 405, "PUT");
        assertError(api.call("POST", "/api/health", "{}"), 405, "POST");
        assertError(api.call("GET", "/api/nothing", null), 404, "no route");
        assertError(api.call("GET", "/nothing-here", null), 404, "nothing-here");
        assertError(api.call("GET", "/api/jobs/j-999999", null), 404, "no job");
        assertError(api.call("POST", "/api/jobs", "{\"kind\":\"fuse\",\"spec\":{\"x\":\"" + "a".repeat(2 << 20) + "\"}}"),
                413, "limit");
        // A refused body is left unread and the connection dropped; the answer must say so, or a
        // keep-alive client reuses the dead connection and its next request gets no bytes back.
        List<String> head = rawHead("POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + server.token() + "\r\nContent-Type: application/json\r\nContent-Length: " + (3 << 20) + "\r\n\r\n{");
        assertTrue(head.get(0).startsWith("HTTP/1.1 413"), head.toString());
        assertTrue(head.stream().anyMatch(h -> h.equalsIgnoreCase("Connection: close")), head.toString());
        assertEquals(200, api.call("GET", "/api/health", null).status());
    }

    @Test
    void badSpecsAreRefusedNamingTheKeyBeforeAnythingIsQueued() throws Exception {
        int before = ((List<?>) api.call("GET", "/api/jobs", null).json().get("jobs")).size();
        assertError(api.call("POST", "/api/jobs", "{not json"), 400, "request body");
        assertError(api.call("POST", "/api/jobs", "{\"kind\":\"ties\",\"spec\":{}}"), 400, "unknown job kind 'ties'");
        assertError(api.call("POST", "/api/jobs", "{\"kind\":\"eval\",\"spec\":{\"model\":\"a\",\"data\":\"digits\",\"bogus\":1}}"),
                400, "spec key 'bogus'");
        assertError(api.call("POST", "/api/jobs", "{\"kind\":\"eval\",\"spec\":{\"model\":\"a\",\"data\":\"digits\",\"batch\":0}}"),
                400, "spec key 'batch'");
        assertError(api.call("POST", "/api/jobs", Api.json(Map.of("kind", "eval", "spec", Map.of("model", "/etc",
                "data", "digits")))), 403, "outside the server's roots");
        assertError(api.call("POST", "/api/jobs", Api.json(Map.of("kind", "eval", "spec", Map.of("model", "../../etc",
                "data", "digits")))), 403, "outside the server's roots");
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.createSymbolicLink(home.resolve("models").resolve("link"), outside);
        assertError(api.call("POST", "/api/jobs", Api.json(Map.of("kind", "eval", "spec", Map.of("model", "link",
                "data", "digits")))), 403, "outside the server's roots");
        assertError(api.call("POST", "/api/jobs", Api.json(Map.of("kind", "fuse", "spec", Map.of("models", List.of("a", "b"),
                "method", "vanilla", "out", "/tmp/x")))), 400, "spec key 'out'");
        assertError(api.call("POST", "/api/jobs", Api.json(Map.of("kind", "eval", "spec", Map.of("model", "job:j-999999",
                "data", "digits")))), 400, "no job j-999999");
        assertEquals(before, ((List<?>) api.call("GET", "/api/jobs", null).json().get("jobs")).size());
    }

    /** A fuse job: events replayed in order to the terminal state, its result, its model as a later job's input and the CLI's. */
    @Test
    void aFuseJobRunsEndToEndAndItsModelIsUsable() throws Exception {
        String id = api.submit("fuse", Map.of("models", List.of("a", "b"), "method", "ot", "solver", "emd",
                "data", "digits:128", "samples", 128));
        List<Api.Event> events = api.events(id);
        assertEquals("queued", events.get(0).data().get("state"));
        Api.Event last = events.get(events.size() - 1);
        assertEquals("state", last.type());
        assertEquals("succeeded", last.data().get("state"), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.type().equals("progress") && Double.valueOf(1.0)
                .equals(e.data().get("fraction"))), "a progress event reaches 100 %");
        Map<?, ?> job = api.job(id);
        assertTrue(((Map<?, ?>) job.get("result")).containsKey("spaces"), job.toString());
        List<?> artifacts = (List<?>) api.call("GET", "/api/jobs/" + id + "/artifacts", null).json().get("artifacts");
        Path local = Files.createDirectories(work.resolve("fetched-" + id));
        for (Object o : artifacts) {
            String p = (String) ((Map<?, ?>) o).get("path");
            assertTrue(p.startsWith("model/"), p);
            Path target = local.resolve(p.substring("model/".length()));
            Files.createDirectories(target.getParent());
            Files.write(target, api.bytes("/api/jobs/" + id + "/artifacts/" + p));
        }
        String eval = api.submit("eval", Map.of("model", "job:" + id, "data", "digits:100"));
        Map<?, ?> evaluated = api.await(eval, Duration.ofMinutes(5));
        assertEquals("succeeded", evaluated.get("state"), evaluated.toString());
        assertEquals(100, ((Map<?, ?>) evaluated.get("result")).get("examples"));
        Transfuse.run(home, "eval", "--model", local.toString(), "--data", "digits:100");
        String log = api.call("GET", "/api/jobs/" + id + "/log", null).body();
        assertTrue(log.contains("fusing"), log);
    }

    @Test
    void aTrainingJobProducesAModelDirectory() throws Exception {
        String id = api.submit("train", Map.of("arch", "vit", "data", "digits:256", "epochs", 1, "batch", 64, "seed", 3));
        Map<?, ?> job = api.await(id, Duration.ofMinutes(5));
        assertEquals("succeeded", job.get("state"), job.toString());
        Map<?, ?> result = (Map<?, ?>) job.get("result");
        assertTrue(result.containsKey("test_accuracy"), result.toString());
        List<?> artifacts = (List<?>) api.call("GET", "/api/jobs/" + id + "/artifacts", null).json().get("artifacts");
        assertTrue(artifacts.stream().anyMatch(a -> "model/model.safetensors".equals(((Map<?, ?>) a).get("path"))),
                artifacts.toString());
        byte[] config = api.bytes("/api/jobs/" + id + "/artifacts/model/config.json");
        assertTrue(new String(config).contains("\"model_type\": \"vit\""));
    }

    @Test
    void cancellingARunningJobLeavesNoArtifact() throws Exception {
        String id = api.submit("train", Map.of("arch", "vit", "data", "digits", "epochs", 200, "batch", 32, "seed", 4));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!"running".equals(api.job(id).get("state")) || ((Map<?, ?>) api.job(id).get("progress")).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the job never ran");
            Thread.sleep(100);
        }
        assertEquals(200, api.call("DELETE", "/api/jobs/" + id, null).status());
        Map<?, ?> job = api.await(id, Duration.ofMinutes(1));
        assertEquals("cancelled", job.get("state"), job.toString());
        assertEquals(List.of(), api.call("GET", "/api/jobs/" + id + "/artifacts", null).json().get("artifacts"));
        assertFalse(Files.exists(home.resolve("jobs").resolve(id).resolve("out")), "no partial output on disk");
        assertEquals(200, api.call("DELETE", "/api/jobs/" + id, null).status(), "a finished job is forgotten");
        assertEquals(404, api.call("GET", "/api/jobs/" + id, null).status());
    }

    /** 100 clients asking for a job's status at once, while a fuse runs: every answer 200; latency reported. */
    @Test
    void hundredConcurrentStatusRequestsDuringAFuse() throws Exception {
        String id = api.submit("fuse", Map.of("models", List.of("a", "b"), "method", "ot", "solver", "sinkhorn",
                "data", "digits:256", "samples", 256));
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Callable<long[]>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(() -> {
                    long t0 = System.nanoTime();
                    Api.Answer a = api.call("GET", "/api/jobs/" + id, null);
                    return new long[] {a.status(), System.nanoTime() - t0};
                });
            }
            List<Long> nanos = new ArrayList<>();
            int errors = 0;
            for (Future<long[]> f : pool.invokeAll(calls)) {
                long[] r = f.get();
                errors += r[0] == 200 ? 0 : 1;
                nanos.add(r[1]);
            }
            Collections.sort(nanos);
            String state = (String) api.job(id).get("state");
            System.out.printf(Locale.ROOT, "100 concurrent GET /api/jobs/{id} during a fuse (job %s): %d errors, p50 %.1f ms,"
                    + " p99 %.1f ms, max %.1f ms%n", state, errors, nanos.get(49) / 1e6, nanos.get(98) / 1e6, nanos.get(99) / 1e6);
            assertEquals(0, errors);
        } finally {
            pool.shutdown();
        }
        assertEquals("succeeded", api.await(id, Duration.ofMinutes(5)).get("state"));
    }

    /** The document parses as OpenAPI 3 without messages, and every documented route answers (not 404/405). */
    @Test
    void theOpenApiDocumentIsValidAndEveryRouteAnswers() throws Exception {
        Api.Answer doc = api.call("GET", "/api/openapi.json", null);
        assertEquals(200, doc.status());
        SwaggerParseResult parsed = new OpenAPIParser().readContents(doc.body(), null, null);
        assertEquals(List.of(), parsed.getMessages() == null ? List.of() : parsed.getMessages());
        OpenAPI openApi = parsed.getOpenAPI();
        assertTrue(openApi.getPaths().size() >= 11, openApi.getPaths().keySet().toString());
        String job = api.submit("inspect", Map.of("path", "a"));
        assertEquals("succeeded", api.await(job, Duration.ofMinutes(2)).get("state"));
        for (Map.Entry<String, PathItem> e : openApi.getPaths().entrySet()) {
            String path = e.getKey().replace("{id}", e.getKey().startsWith("/api/bundles") ? "999999" : job)
                    .replace("{path}", "nothing");
            if (e.getValue().getGet() != null) {
                int status = path.endsWith("/events") ? 200 : api.call("GET", path, null).status();
                assertTrue(status != 405 && (status != 404 || path.contains("nothing") || path.contains("999999")),
                        "GET " + path + " -> " + status);
            }
        }
        assertNotEquals(405, api.call("DELETE", "/api/bundles/999999", null).status());
    }

    /**
     * A bundle removed while a job uses its plugin fails that job, naming the bundle; a training
     * job running beside it, and a jar of random bytes dropped into deploy/ meanwhile, change
     * nothing for the training job (the jar shows up as a problem in health).
     */
    @Test
    void removingABundleMidJobFailsThatJobOnly() throws Exception {
        Api.Answer installed = api.upload("/api/bundles", Files.readAllBytes(Path.of(System.getProperty("testplugin.jar"))));
        assertEquals(201, installed.status(), installed.toString());
        long bundleId = ((Number) installed.json().get("id")).longValue();
        double[] cost = new double[250 * 250];
        for (int i = 0; i < cost.length; i++) {
            cost[i] = (i * 7919 % 1000) / 1000.0;
        }
        Npy.writeF64(home.resolve("models").resolve("cost250.npy"), new long[] {250, 250}, cost);
        String train = api.submit("train", Map.of("arch", "vit", "data", "digits:512", "epochs", 3, "batch", 32, "seed", 6));
        String solve = api.submit("solve", Map.of("solver", "nw-corner-paced", "cost", "cost250.npy"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!"running".equals(api.job(solve).get("state")) || ((Map<?, ?>) api.job(solve).get("progress")).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the paced solve never ran: " + api.job(solve));
            Thread.sleep(50);
        }
        Files.write(home.resolve("deploy").resolve("random.jar"), new byte[] {7, 7, 7, 7, 7, 7, 7, 7});
        Api.Answer removed = api.call("DELETE", "/api/bundles/" + bundleId, null);
        assertEquals(200, removed.status(), removed.toString());
        Map<?, ?> failed = api.await(solve, Duration.ofMinutes(1));
        assertEquals("failed", failed.get("state"), failed.toString());
        assertTrue(String.valueOf(failed.get("error")).contains("transfuse.testplugin"), failed.toString());
        Map<?, ?> trained = api.await(train, Duration.ofMinutes(5));
        assertEquals("succeeded", trained.get("state"), trained.toString());
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<?, ?> health;
        do {
            health = api.call("GET", "/api/health", null).json();
            Thread.sleep(250);
        } while (!health.toString().contains("random.jar") && System.nanoTime() < until);
        assertEquals("degraded", health.get("status"), health.toString());
        Files.delete(home.resolve("deploy").resolve("random.jar"));
    }

    /** A second server on a taken port stops at once with one line; a full queue answers 429. */
    @Test
    void aTakenPortFailsFastAndAFullQueueIsRefused() throws Exception {
        Path other = Files.createDirectories(work.resolve("other-home"));
        long t0 = System.nanoTime();
        Object[] taken = Transfuse.runStatus(other, "serve", "--port", String.valueOf(java.net.URI.create(server.url())
                .getPort()), "--home", other.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, taken[0], (String) taken[1]);
        List<String> errors = ((String) taken[1]).lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), (String) taken[1]);
        assertTrue(errors.get(0).contains("another server is using it"), errors.get(0));
        System.out.printf(Locale.ROOT, "serve on a taken port exited 1 after %.1f s%n", seconds);

        Path small = Files.createDirectories(work.resolve("small-queue"));
        try (Transfuse.Server two = Transfuse.serve(small, work.resolve("server-small.txt"), "--max-queued", "1")) {
            Api api2 = new Api(two.url(), two.token());
            Map<String, Object> train = Map.of("arch", "vit", "data", "digits", "epochs", 50, "batch", 32);
            String running = api2.submit("train", train);
            String queued = api2.submit("train", train);
            Api.Answer full = api2.call("POST", "/api/jobs", Api.json(Map.of("kind", "train", "spec", train)));
            assertError(full, 429, "queue is full");
            api2.call("DELETE", "/api/jobs/" + queued, null);
            api2.call("DELETE", "/api/jobs/" + running, null);
            assertEquals("cancelled", api2.await(running, Duration.ofMinutes(1)).get("state"));
        }
    }

    private String rawStatusLine(String request) throws IOException {
        return rawHead(request).get(0);
    }

    /** The status line and header lines of the answer to one raw request. */
    private List<String> rawHead(String request) throws IOException {
        URIParts u = URIParts.of(server.url());
        try (java.net.Socket s = new java.net.Socket(u.host(), u.port())) {
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
            List<String> lines = new java.util.ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }

    private record URIParts(String host, int port) {
        static URIParts of(String url) {
            java.net.URI u = java.net.URI.create(url);
            return new URIParts(u.getHost(), u.getPort());
        }
    }
}
