package transfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.option.OptionDecl;
import transfuse.io.json.JsonText;

/** {@code transfuse submit} against a stand-in server that speaks the job routes of docs/server.md. */
class SubmitCommandTest {
    /** The declarations a local registry would give for two kinds: one with flags, one with a positional. */
    static final Function<String, JobFlags> LOCAL_JOBS = kind -> switch (kind) {
        case "fuse" -> new JobFlags("fuse", List.of(
                OptionDecl.inputs("models", "models to fuse"),
                OptionDecl.choice("method", "ot", List.of("ot", "perm", "vanilla"), "how"),
                OptionDecl.number("reg", 0.08, Double.MIN_VALUE, Double.MAX_VALUE, "regularization"),
                OptionDecl.integer("batch", 64L, 1, 1 << 20, "batch"),
                OptionDecl.flag("depth-align", "match layers first"),
                OptionDecl.output("out", "the fused model"),
                OptionDecl.output("plot", "a plot")), null);
        case "solve" -> new JobFlags("solve", List.of(
                OptionDecl.text("solver", null, "solver name"),
                OptionDecl.input("cost", "cost matrix"),
                OptionDecl.output("out", "plan")), "solver");
        default -> null;
    };

    @TempDir
    Path home;
    FakeJobServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeJobServer().json("POST", "/api/jobs", 202,
                "{\"id\":\"j-000007\",\"kind\":\"fuse\",\"state\":\"queued\"}");
        Files.writeString(home.resolve("token"), "file-token\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ClientRun submit(String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "submit";
        System.arraycopy(args, 0, argv, 1, args.length);
        argv[args.length + 1] = "--server";
        argv[args.length + 2] = server.url();
        return ClientRun.of(LOCAL_JOBS, Map.of(), home, argv);
    }

    private Object postedBody() {
        assertEquals(1, server.requests.size(), "one request");
        assertEquals("POST", server.requests.get(0).method());
        return JsonText.parse(server.requests.get(0).body(), "posted body");
    }

    @Test
    void flagsArePostedAsTypedSpecKeysWithTheBearerTokenFromHome() {
        ClientRun run = submit("fuse", "--models", "A", "B", "--method", "perm", "--reg", "0.1", "--batch", "8",
                "--depth-align");

        assertEquals(0, run.status(), run.err());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("models", List.of("A", "B"));
        spec.put("method", "perm");
        spec.put("reg", 0.1);
        spec.put("batch", 8);
        spec.put("depth-align", true);
        assertEquals(Map.of("kind", "fuse", "spec", spec), postedBody());
        assertEquals("Bearer file-token", server.requests.get(0).authorization());
        assertEquals("j-000007", run.out().strip(), "stdout holds the job id alone");
    }

    @Test
    void jsonPrintsTheJobObjectLastAndTheEnvironmentTokenWinsOverTheFile() {
        ClientRun run = ClientRun.of(LOCAL_JOBS, Map.of("TRANSFUSE_TOKEN", "env-token", "TRANSFUSE_SERVER", server.url()),
                home, "submit", "fuse", "--models", "A", "B", "--json");

        assertEquals(0, run.status(), run.err());
        assertEquals("Bearer env-token", server.requests.get(0).authorization());
        assertEquals(Map.of("id", "j-000007", "kind", "fuse", "state", "queued"), JsonText.parse(run.lastLine(), "stdout"));
    }

    @Test
    void specFileKeysAreSentWithFlagsOverThemAndThePositionalUnderItsKey() throws IOException {
        Path spec = home.resolve("solve.yaml");
        Files.writeString(spec, "cost: costs/c.npy\nsolver: emd\n");

        ClientRun run = submit("solve", spec.toString(), "sinkhorn");

        assertEquals(0, run.status(), run.err());
        assertEquals(Map.of("kind", "solve", "spec", Map.of("cost", "costs/c.npy", "solver", "sinkhorn")), postedBody());
    }

    @Test
    void outputFlagsAreRefusedBeforeAnyRequestNamingJobsFetch() {
        ClientRun run = submit("fuse", "--models", "A", "B", "--out", "runs/x");

        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("error: option --out: the server chooses"), run.err());
        assertTrue(run.err().contains("transfuse jobs fetch ID DIR"), run.err());
        assertEquals(1, run.err().strip().split("\n").length, "one line");
        assertTrue(server.requests.isEmpty(), "nothing was posted");
    }

    @Test
    void anOutputKeyInASpecFileIsRefusedToo() throws IOException {
        Path spec = home.resolve("fuse.yaml");
        Files.writeString(spec, "models: [A, B]\nplot: p.svg\n");

        ClientRun run = submit("fuse", spec.toString());

        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("error: spec key 'plot': the server chooses"), run.err());
        assertTrue(server.requests.isEmpty());
    }

    @Test
    void aBadValueIsReportedLocallyAsTheLocalCommandWould() {
        ClientRun run = submit("fuse", "--models", "A", "B", "--batch", "0");

        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("error: option --batch: must be between 1"), run.err());
        assertTrue(server.requests.isEmpty());
    }

    @Test
    void aRefusalExitsTwoWithTheServersErrorLine() {
        server.json("POST", "/api/jobs", 400, "{\"error\":\"spec key 'models': path outside the roots\"}");

        ClientRun run = submit("fuse", "--models", "A", "B", "--json");

        assertEquals(2, run.status());
        assertEquals("error: spec key 'models': path outside the roots", run.err().strip());
        assertEquals(Map.of("error", "spec key 'models': path outside the roots", "status", 2),
                JsonText.parse(run.lastLine(), "stdout"));
    }

    @Test
    void a401SaysWhereTheTokenIsLookedFor() throws IOException {
        Files.delete(home.resolve("token"));
        server.json("POST", "/api/jobs", 401, "{\"error\":\"missing or wrong token\"}");

        ClientRun run = submit("fuse", "--models", "A", "B");

        assertEquals(2, run.status());
        assertTrue(run.err().contains("missing or wrong token"), run.err());
        assertTrue(run.err().contains("TRANSFUSE_TOKEN") && run.err().contains(home.resolve("token").toString()), run.err());
        assertEquals(null, server.requests.get(0).authorization(), "no header without a token");
    }

    @Test
    void aServerErrorExitsOne() {
        server.json("POST", "/api/jobs", 500, "{\"error\":\"store unavailable\"}");

        ClientRun run = submit("fuse", "--models", "A", "B");

        assertEquals(1, run.status());
        assertTrue(run.err().contains("HTTP 500") && run.err().contains("store unavailable"), run.err());
    }

    @Test
    void anUnreachableServerExitsOneNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;

        ClientRun run = ClientRun.of(LOCAL_JOBS, Map.of(), home, "submit", "fuse", "--models", "A", "--server", url);

        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("error: cannot reach the transfuse server at " + url), run.err());
        assertEquals(1, run.err().strip().split("\n").length, "one line");
    }

    @Test
    void aKindNotInstalledHereIsSentFromItsSpecFileAndItsFlagsAreRefused() throws IOException {
        Path spec = home.resolve("grow.yaml");
        Files.writeString(spec, "model: m\nwidth: 128\n");

        ClientRun flags = submit("grow", "--width", "128");
        ClientRun file = submit("grow", spec.toString());

        assertEquals(2, flags.status());
        assertTrue(flags.err().contains("not installed here"), flags.err());
        assertEquals(0, file.status(), file.err());
        assertEquals(Map.of("kind", "grow", "spec", Map.of("model", "m", "width", 128)), postedBody());
    }

    @Test
    void waitFollowsTheJobAndExitsWithItsOutcome() {
        server.events("/api/jobs/j-000007/events", "event: state\ndata: {\"state\":\"failed\",\"error\":\"out of memory\"}\n\n")
                .json("GET", "/api/jobs/j-000007", 200, "{\"id\":\"j-000007\",\"state\":\"failed\",\"error\":\"out of memory\"}");

        ClientRun run = submit("fuse", "--models", "A", "B", "--wait");

        assertEquals(1, run.status());
        assertTrue(run.err().strip().endsWith("error: job j-000007 failed: out of memory"), run.err());
    }
}
