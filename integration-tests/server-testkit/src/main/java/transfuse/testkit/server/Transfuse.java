package transfuse.testkit.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exported transfuse.jar in fresh processes: one-shot commands, and the server. The jar is the
 * system property {@code transfuse.jar} (default: the distribution's, relative to a module under
 * {@code integration-tests/}); every process gets {@code TRANSFUSE_HOME} and runs in that folder.
 */
public final class Transfuse {
    private static final Path JAR = Path.of(System.getProperty("transfuse.jar",
            "../../distributions/transfuse/target/transfuse.jar"));
    private static final Pattern URL_LINE = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/\\?token=(\\S+)");

    private Transfuse() {
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmn64m",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static ProcessBuilder builder(Path home, Path outFile, String... args) {
        ProcessBuilder pb = new ProcessBuilder(java(args)).directory(home.toFile());
        pb.environment().put("TRANSFUSE_HOME", home.toString());
        pb.environment().remove("TRANSFUSE_TOKEN"); // the server makes its own, as for a user
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.redirectErrorStream(true).redirectOutput(outFile.toFile());
    }

    /** Runs one command to its end and returns its exit status and output (stdout and stderr together). */
    public static Object[] runStatus(Path home, String... args) throws IOException, InterruptedException {
        return execute(home, 120, args);
    }

    private static Object[] execute(Path home, int limitSeconds, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, ".cli", ".txt");
        Process p = builder(home, out, args).start();
        if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("transfuse " + String.join(" ", args) + " did not finish in " + limitSeconds + " s");
        }
        String text = Files.readString(out);
        Files.delete(out);
        return new Object[] {p.exitValue(), text};
    }

    /** Runs one command to its end and returns its output; fails with the output unless it exits 0. */
    public static String run(Path home, String... args) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError(JAR.toAbsolutePath() + " is missing: build the distribution first "
                    + "(mvn -Dmaven.test.skip=true -pl distributions/transfuse -am install)");
        }
        Object[] r = execute(home, 300, args);
        if ((int) r[0] != 0) {
            throw new AssertionError("transfuse " + String.join(" ", args) + " exited " + r[0] + ":\n" + r[1]);
        }
        return (String) r[1];
    }

    /** A port nobody listens on now: bound by the system's choice, then released for the server. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A running {@code transfuse serve}; closing it ends the process. */
    public record Server(Process process, String url, String token, Path output) implements AutoCloseable {
        public String log() throws IOException {
            return Files.readString(output);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: the server's own shutdown path
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Starts the server on a free port and waits until it answers its health route. The URL and
     * token come from the line it prints once ({@code http://127.0.0.1:PORT/?token=...}), as a user
     * would copy them; the token file is the fallback.
     */
    public static Server serve(Path home, Path output, String... extra) throws IOException, InterruptedException {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--home", home.toString()));
        args.addAll(List.of(extra));
        Process p = builder(home, output, args.toArray(String[]::new)).start();
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("transfuse serve exited " + p.exitValue() + ":\n" + Files.readString(output));
            }
            Matcher m = URL_LINE.matcher(Files.readString(output));
            boolean printed = m.find();
            if ((printed || Files.isRegularFile(home.resolve("token"))) && healthy(http, url)) {
                String token = printed ? m.group(2) : Files.readString(home.resolve("token")).strip();
                return new Server(p, url, token, output);
            }
            Thread.sleep(250);
        }
        p.destroyForcibly();
        throw new AssertionError("transfuse serve was not healthy within 120 s:\n" + Files.readString(output));
    }

    private static boolean healthy(HttpClient http, String url) throws InterruptedException {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/api/health")).timeout(Duration.ofSeconds(2)).build();
            return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
