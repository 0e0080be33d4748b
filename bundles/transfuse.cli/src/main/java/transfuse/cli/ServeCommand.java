package transfuse.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.FrameworkStartLevel;

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
        return "transfuse serve [--port P (8480)] [--home DIR (~/.transfuse)] [--json]\n"
                + "  --json prints {url, home, deploy} once the server answers, then serves until stopped";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("port", "home");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        int port = args.getInt("port", 8480);
        if (port < 0 || port > 65535) {
            throw new UsageException("option --port: " + port + " is not a port number");
        }
        Path home = args.has("home") ? Path.of(args.get("home")).toAbsolutePath().normalize() : TransfuseHome.get();
        Path deploy = home.resolve("deploy");
        Files.createDirectories(deploy);
        Files.createDirectories(home.resolve("logs"));

        // Read by Felix HTTP Jetty, FileInstall and the server bundle through BundleContext.getProperty,
        // which falls back to system properties in Felix.
        System.setProperty("org.osgi.service.http.port", Integer.toString(port));
        System.setProperty("org.apache.felix.http.host", "127.0.0.1");
        System.setProperty("felix.fileinstall.dir", deploy.toString());
        System.setProperty("felix.fileinstall.poll", "1000");
        System.setProperty("felix.fileinstall.noInitialDelay", "true");
        System.setProperty("felix.fileinstall.log.level", "2");
        System.setProperty("transfuse.home", home.toString());

        raiseStartLevel(ctx);
        String url = "http://127.0.0.1:" + port;
        waitForHealth(url + "/api/health", 60);
        ctx.err().println("transfuse server listening on " + url + "  (home " + home + ", deploy folder " + deploy + ")");
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("url", url);
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

    private static void raiseStartLevel(CliContext ctx) throws InterruptedException {
        FrameworkStartLevel fsl = ctx.bundleContext().getBundle(0).adapt(FrameworkStartLevel.class);
        CountDownLatch reached = new CountDownLatch(1);
        fsl.setStartLevel(SERVER_START_LEVEL, event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                reached.countDown();
            }
        });
        if (!reached.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server bundles did not start within 60 s");
        }
    }

    private static void waitForHealth(String url, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server did not answer " + url + " within " + seconds
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
