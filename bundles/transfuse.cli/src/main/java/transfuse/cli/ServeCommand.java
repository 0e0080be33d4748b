package transfuse.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.FrameworkStartLevel;

import transfuse.io.files.ServerToken;
import transfuse.io.files.TransfuseHome;
import transfuse.io.json.JsonText;

/**
 * {@code transfuse serve}: turns this process into the long-running server. The HTTP
 * service, the server bundle and FileInstall sit at a start level above the command line's,
 * so a plain command never opens a port or watches a folder; serving sets their properties
 * and raises the framework's start level.
 */
final class ServeCommand implements Command {
    /**
     * Above every level in the distribution's bndrun (server bundles sit at 20, bundles the
     * launcher did not list at 21), so deployed plugins start too.
     */
    static final int SERVER_START_LEVEL = 100;

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run the long-running fusion server (HTTP on 127.0.0.1, hot-deploy folder)";
    }

    @Override
    public String usage() {
        return """
                transfuse serve [--port 8480] [--home DIR] [--host 127.0.0.1] [--token-file F] [--root DIR ...]
                                [--workers 1] [--max-queued 100] [--max-upload BYTES] [--json]
                  --home        the server's folder (default $TRANSFUSE_HOME or ~/.transfuse): store, jobs, deploy, logs
                  --host        the address to listen on; anything but loopback exposes the API (a warning is printed)
                  --token-file  where the access token is kept (default HOME/token; $TRANSFUSE_TOKEN wins)
                  --root        a folder whose files specs may name, besides HOME/models (repeatable)
                  --workers     jobs of non-training kinds running at once beside the one training job
                  --max-queued  queued jobs beyond which submissions are refused (429)
                  --max-upload  the largest bundle jar POST /api/bundles accepts (default 268435456)
                  Prints http://HOST:PORT/?token=... once; --json prints {url, token_url, home, deploy} once the
                  server answers, then serves until stopped.""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("port", "home", "host", "token-file", "workers", "max-queued", "max-upload")
                .values("root");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        int port = args.getInt("port", 8480);
        if (port < 0 || port > 65535) {
            throw new UsageException("option --port: " + port + " is not a port number");
        }
        if (port == 0) {
            throw new UsageException("option --port: give a port number from 1 to 65535");
        }
        Path home = args.has("home") ? Path.of(args.get("home")).toAbsolutePath().normalize() : TransfuseHome.get();
        String host = args.get("host", "127.0.0.1");
        int workers = positive(args, "workers", 1);
        int maxQueued = positive(args, "max-queued", 100);
        long maxUpload = positive(args, "max-upload", 256 << 20);
        List<Path> roots = new ArrayList<>();
        for (String r : args.all("root")) {
            Path root = Path.of(r).toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new UsageException("option --root: " + r + " is not a folder");
            }
            roots.add(root);
        }
        checkPortFree(host, port);
        Path deploy = home.resolve("deploy");
        Files.createDirectories(deploy);
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("models"));
        Path tokenFile = args.has("token-file") ? Path.of(args.get("token-file")).toAbsolutePath() : home.resolve("token");
        String token = ServerToken.loadOrCreate(tokenFile);
        if (!isLoopback(host)) {
            ctx.err().println("warning: listening on " + host + ", not loopback: anyone who can reach it and has the token"
                    + " can run jobs and install bundles (code) in this process; see docs/server.md");
        }

        // Read by Felix HTTP Jetty, FileInstall and the server bundle through BundleContext.getProperty,
        // which falls back to system properties in Felix.
        System.setProperty("org.osgi.service.http.port", Integer.toString(port));
        System.setProperty("org.apache.felix.http.host", host);
        // 100+ concurrent clients must not be refused or delayed by a listen backlog of 50.
        System.setProperty("org.apache.felix.http.jetty.acceptQueueSize", "1024");
        System.setProperty("org.apache.felix.http.jetty.sendServerHeader", "false");
        System.setProperty("transfuse.server.token-file", tokenFile.toString());
        System.setProperty("transfuse.server.workers", Integer.toString(workers));
        System.setProperty("transfuse.server.max-queued", Integer.toString(maxQueued));
        System.setProperty("transfuse.server.max-upload", Long.toString(maxUpload));
        System.setProperty("transfuse.server.roots", String.join(java.io.File.pathSeparator,
                roots.stream().map(Path::toString).toList()));
        System.setProperty("felix.fileinstall.dir", deploy.toString());
        System.setProperty("felix.fileinstall.poll", "1000");
        System.setProperty("felix.fileinstall.noInitialDelay", "true");
        System.setProperty("felix.fileinstall.log.level", "2");
        System.setProperty("transfuse.home", home.toString());

        long start = System.nanoTime();
        raiseStartLevel(ctx);
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        waitForHealth(url + "/api/health", 60);
        String tokenUrl = url + "/?token=" + token;
        ctx.err().printf(java.util.Locale.ROOT, "transfuse server listening on %s (healthy after %.1f s; home %s, deploy folder %s)%n",
                url, (System.nanoTime() - start) / 1e9, home, deploy);
        ctx.err().println("open the page, or use the token with the API:");
        ctx.err().println("    " + tokenUrl);
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("url", url);
        ready.put("token_url", tokenUrl);
        ready.put("home", home.toString());
        ready.put("deploy", deploy.toString());
        if (ctx.json()) {
            // The server runs until stopped, so the readiness object is printed now, not at exit.
            ctx.stdout().println(JsonText.line(ready));
            ctx.stdout().flush();
        }
        awaitFrameworkStop(ctx);
        return null; // the JSON line was printed when the server became ready
    }

    private static int positive(Args args, String name, int fallback) {
        int v = args.getInt(name, fallback);
        if (v <= 0) {
            throw new UsageException("option --" + name + ": must be positive, got " + v);
        }
        return v;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Jetty only logs a port it cannot bind and the process would keep running without HTTP (and a
     * health probe would reach the other server), so the port is tried first.
     */
    private static void checkPortFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new CommandFailure("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): another server is using it; choose another --port");
        }
    }

    private static void raiseStartLevel(CliContext ctx) throws InterruptedException {
        FrameworkStartLevel fsl = ctx.bundleContext().getBundle(0).adapt(FrameworkStartLevel.class);
        CountDownLatch reached = new CountDownLatch(1);
        fsl.setStartLevel(SERVER_START_LEVEL, event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                reached.countDown();
            }
        });
        if (!reached.await(60, TimeUnit.SECONDS)) {
            throw new CommandFailure("server bundles did not start within 60 s (see HOME/logs/server.log)");
        }
    }

    /** Waits until this process's server answers (the pid in the health answer tells it from another one). */
    private static void waitForHealth(String url, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    String body = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    if (body.contains("\"pid\":" + ProcessHandle.current().pid() + ",")
                            || body.contains("\"pid\":" + ProcessHandle.current().pid() + "}")) {
                        return;
                    }
                    throw new CommandFailure(url + " is answered by another process; choose another --port");
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new CommandFailure("server did not answer " + url + " within " + seconds
                + " s (port in use? see the log under --home/logs)" + (last == null ? "" : ": " + last.getMessage()));
    }

    private static void awaitFrameworkStop(CliContext ctx) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        ctx.bundleContext().addBundleListener(event -> {
            if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                stopped.countDown();
            }
        });
        stopped.await();
    }
}
