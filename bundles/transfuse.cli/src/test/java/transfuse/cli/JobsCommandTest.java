package transfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.io.json.JsonText;

/** {@code transfuse jobs ...} against a stand-in server that speaks the job routes of docs/server.md. */
class JobsCommandTest {
    private static final String JOB = "/api/jobs/j-000003";

    @TempDir
    Path home;
    FakeJobServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeJobServer();
        Files.writeString(home.resolve("token"), "t0k3n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ClientRun jobs(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "jobs";
        System.arraycopy(args, 0, argv, 1, args.length);
        return ClientRun.of(kind -> null, Map.of("TRANSFUSE_SERVER", server.url()), home, argv);
    }

    @Test
    void listShowsOneRowPerJobWithItsProgressAndCreationToTheSecondAndPassesTheStateFilter() {
        server.json("GET", "/api/jobs?state=running", 200, """
                {"jobs":[{"id":"j-000003","kind":"train","state":"running","progress":{"task":"epoch","done":1,"total":4,"fraction":0.25},
                          "created":"2025-01-02T10:00:00.123456789Z"}]}""");

        ClientRun run = jobs("list", "--state", "running");

        assertEquals(0, run.status(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(2, lines.length, run.out());
        assertTrue(lines[0].matches("ID +KIND +STATE +PROGRESS +CREATED"), lines[0]);
        assertTrue(lines[1].matches("j-000003 +train +running +25% +2025-01-02T10:00:00Z"), lines[1]);
        assertEquals("Bearer t0k3n", server.requests.get(0).authorization());
    }

    @Test
    void showUnderJsonPrintsTheJobObjectLast() {
        server.json("GET", JOB, 200, "{\"id\":\"j-000003\",\"kind\":\"fuse\",\"state\":\"queued\"}");

        ClientRun run = jobs("show", "j-000003", "--json");

        assertEquals(0, run.status(), run.err());
        assertEquals(Map.of("id", "j-000003", "kind", "fuse", "state", "queued"), JsonText.parse(run.lastLine(), "stdout"));
    }

    @Test
    void anUnknownJobExitsTwoWithTheServersError() {
        ClientRun run = jobs("show", "j-404");

        assertEquals(2, run.status());
        assertEquals("error: no route /api/jobs/j-404", run.err().strip());
    }

    @Test
    void watchRendersProgressAndLogLinesAndExitsZeroWithTheResultWhenTheJobSucceeds() {
        server.events(JOB + "/events", """
                        : replay follows
                        event: state
                        data: {"state":"running"}

                        event: progress
                        data: {"label":"fuse","task":"aligning",
                        data:  "done":3,"total":3}

                        event: log
                        data: {"line":"solver emd: 120 pivots"}

                        event: state
                        data: {"state":"succeeded"}

                        """)
                .json("GET", JOB, 200, "{\"id\":\"j-000003\",\"state\":\"succeeded\",\"result\":{\"out\":\"model\",\"seconds\":1.5}}");

        ClientRun run = jobs("watch", "j-000003", "--json");

        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("fuse | aligning 3/3 (100%)"), run.err());
        assertTrue(run.err().contains("\nsolver emd: 120 pivots\n"), run.err());
        assertEquals(Map.of("out", "model", "seconds", 1.5), JsonText.parse(run.lastLine(), "stdout"));
    }

    @Test
    void watchExitsOneWithTheErrorLineWhenTheJobFailed() {
        server.events(JOB + "/events", "event: state\ndata: {\"state\":\"failed\",\"error\":\"model.safetensors: truncated\"}\n\n")
                .json("GET", JOB, 200, "{\"id\":\"j-000003\",\"state\":\"failed\"}");

        ClientRun run = jobs("watch", "j-000003");

        assertEquals(1, run.status());
        assertEquals("error: job j-000003 failed: model.safetensors: truncated", run.err().strip());
    }

    @Test
    void watchExitsOneWhenTheJobWasCancelled() {
        server.events(JOB + "/events", "event: state\ndata: {\"state\":\"cancelled\"}\n\n")
                .json("GET", JOB, 200, "{\"id\":\"j-000003\",\"state\":\"cancelled\"}");

        ClientRun run = jobs("watch", "j-000003");

        assertEquals(1, run.status());
        assertEquals("error: job j-000003 was cancelled", run.err().strip());
    }

    @Test
    void watchExitsOneWhenTheStreamEndsBeforeTheJobDoes() {
        server.events(JOB + "/events", "event: state\ndata: {\"state\":\"running\"}\n\n")
                .json("GET", JOB, 200, "{\"id\":\"j-000003\",\"state\":\"running\"}");

        ClientRun run = jobs("watch", "j-000003");

        assertEquals(1, run.status());
        assertTrue(run.err().contains("ended while it was running"), run.err());
    }

    @Test
    void cancelSendsDeleteAndSaysWhatItDidFromTheStateBefore() {
        server.json("GET", JOB, 200, "{\"id\":\"j-000003\",\"state\":\"running\"}")
                .json("DELETE", JOB, 200, "{\"id\":\"j-000003\",\"state\":\"running\"}");
        ClientRun running = jobs("cancel", "j-000003");
        server.json("GET", JOB, 200, "{\"id\":\"j-000003\",\"state\":\"succeeded\"}");
        ClientRun finished = jobs("cancel", "j-000003");

        assertEquals(0, running.status(), running.err());
        assertEquals("DELETE", server.requests.get(1).method());
        assertTrue(running.out().startsWith("job j-000003: cancel requested"), running.out());
        assertEquals("job j-000003: forgotten with its outputs (it had succeeded)", finished.out().strip());
    }

    @Test
    void fetchWritesEveryArtifactUnderItsRelativePathAndLeavesNoTemporaryFile() throws IOException {
        byte[] weights = {1, 2, 3, 4, 5};
        server.json("GET", JOB + "/artifacts", 200, """
                        {"artifacts":[{"path":"model/config.json","bytes":2},{"path":"model/model.safetensors","bytes":5},
                                      {"path":"curve one.json","bytes":2}]}""")
                .bytes(JOB + "/artifacts/model/config.json", "{}".getBytes(StandardCharsets.UTF_8))
                .bytes(JOB + "/artifacts/model/model.safetensors", weights)
                .bytes(JOB + "/artifacts/curve%20one.json", "[]".getBytes(StandardCharsets.UTF_8));
        Path dir = home.resolve("out");

        ClientRun run = jobs("fetch", "j-000003", dir.toString());

        assertEquals(0, run.status(), run.err());
        assertEquals("{}", Files.readString(dir.resolve("model/config.json")));
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model/model.safetensors")));
        assertEquals("[]", Files.readString(dir.resolve("curve one.json")));
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(5, all.count(), "dir, model/, three files, nothing else");
        }
    }

    @Test
    void fetchRefusesPathsThatEscapeTheDirectoryAndWritesNothing() throws IOException {
        for (String escaping : List.of("../x", "model/../../x", "/etc/x")) {
            server.json("GET", JOB + "/artifacts", 200, "{\"artifacts\":[{\"path\":\"ok.json\",\"bytes\":2},"
                    + "{\"path\":\"" + escaping + "\",\"bytes\":2}]}");
            Path dir = home.resolve("fetched");

            ClientRun run = jobs("fetch", "j-000003", dir.toString());

            assertEquals(1, run.status(), escaping);
            assertTrue(run.err().contains("'" + escaping + "'") && run.err().contains("refused"), run.err());
            assertFalse(Files.exists(dir.resolve("ok.json")), "nothing fetched for " + escaping);
            assertFalse(Files.exists(home.resolve("x")));
        }
        assertTrue(server.requests.stream().noneMatch(r -> r.uri().contains("/artifacts/")), "no download was attempted");
    }

    @Test
    void fetchRefusesAFileShorterThanListed() {
        server.json("GET", JOB + "/artifacts", 200, "{\"artifacts\":[{\"path\":\"plan.npy\",\"bytes\":10}]}")
                .bytes(JOB + "/artifacts/plan.npy", new byte[] {1, 2});
        Path dir = home.resolve("short");

        ClientRun run = jobs("fetch", "j-000003", dir.toString());

        assertEquals(1, run.status());
        assertTrue(run.err().contains("listed as 10 bytes, received 2"), run.err());
        assertFalse(Files.exists(dir.resolve("plan.npy")));
    }

    @Test
    void aMistypedActionIsAUsageError() {
        ClientRun run = jobs("wacth", "j-1");

        assertEquals(2, run.status());
        assertTrue(run.err().contains("unknown action 'wacth'"), run.err());
        assertTrue(server.requests.isEmpty());
    }
}
