package transfuse.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import transfuse.api.TransfuseException;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginInfo;
import transfuse.io.json.JsonText;
import transfuse.server.ServerHome;
import transfuse.server.bundles.BundleRegistry;
import transfuse.server.jobs.JobService;
import transfuse.server.store.JobRecord;
import transfuse.server.store.JobState;

/**
 * The JSON API of docs/server.md. Routes are matched here by method and path, so an unknown
 * path is a JSON 404 and a known path with another method a JSON 405 (never a container page).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/*")
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PluginCatalog catalog;
    private final transient ServerHome home;
    private final transient JobService jobs;
    private final transient BundleRegistry bundles;
    private final transient JobStream stream;
    private final transient Artifacts artifacts;
    private final String version;

    @Activate
    public ApiServlet(BundleContext context, @Reference PluginCatalog catalog, @Reference ServerHome home,
                      @Reference JobService jobs,
                      // Optional: the API keeps answering if bundle management cannot start.
                      @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                      BundleRegistry bundles) {
        this.catalog = catalog;
        this.home = home;
        this.jobs = jobs;
        this.bundles = bundles;
        this.stream = new JobStream(jobs);
        this.artifacts = new Artifacts(jobs);
        this.version = context.getBundle().getVersion().toString();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String[] parts = path.isEmpty() ? new String[0] : path.substring(1).split("/", 4);
        try {
            route(method, path, parts, req, resp);
        } catch (HttpProblem p) {
            Responses.error(resp, p.status(), p.getMessage());
        } catch (TransfuseException e) {
            Responses.error(resp, 400, e.getMessage());
        }
    }

    private void route(String method, String path, String[] parts, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        String first = parts.length > 0 ? parts[0] : "";
        switch (first) {
            case "health" -> only(parts.length == 1, method, "GET", path, () -> Responses.json(resp, 200, health()));
            case "plugins" -> only(parts.length == 1, method, "GET", path, () -> Responses.json(resp, 200,
                    Map.of("plugins", catalog.list().stream().map(PluginInfo::toJson).toList())));
            case "openapi.json" -> only(parts.length == 1, method, "GET", path, () -> openApi(resp));
            case "bundles" -> bundlesRoute(method, path, parts, req, resp);
            case "jobs" -> jobsRoute(method, path, parts, req, resp);
            default -> throw new HttpProblem(404, "no route " + method + " /api" + path);
        }
    }

    private void bundlesRoute(String method, String path, String[] parts, HttpServletRequest req,
                              HttpServletResponse resp) throws IOException {
        if (bundles == null) {
            throw new HttpProblem(503, "bundle management is not running (see HOME/logs/server.log)");
        }
        if (parts.length == 1) {
            switch (method) {
                case "GET" -> Responses.json(resp, 200, Map.of("bundles", bundles.list()));
                case "POST" -> {
                    try (InputStream body = req.getInputStream()) {
                        Map<String, Object> b = bundles.install(body, jobs.config().maxUpload());
                        home.log("bundle installed over HTTP: " + b.get("symbolic_name") + " " + b.get("version"));
                        Responses.json(resp, 201, b);
                    }
                }
                default -> notAllowed(method, path, "GET, POST");
            }
        } else if (parts.length == 2) {
            if (!method.equals("DELETE")) {
                notAllowed(method, path, "DELETE");
            }
            long id;
            try {
                id = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                throw new HttpProblem(404, "no bundle " + parts[1]);
            }
            Map<String, Object> b = bundles.uninstall(id);
            home.log("bundle removed over HTTP: " + b.get("symbolic_name") + " " + b.get("version"));
            Responses.json(resp, 200, b);
        } else {
            throw new HttpProblem(404, "no route " + method + " /api" + path);
        }
    }

    private void jobsRoute(String method, String path, String[] parts, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        if (parts.length == 1) {
            switch (method) {
                case "GET" -> Responses.json(resp, 200, Map.of("jobs", listJobs(req.getParameter("state"))));
                case "POST" -> submit(req, resp);
                default -> notAllowed(method, path, "GET, POST");
            }
            return;
        }
        String id = parts[1];
        JobRecord job = jobs.get(id).orElseThrow(() -> new HttpProblem(404, "no job " + id));
        String sub = parts.length > 2 ? parts[2] : "";
        switch (sub) {
            case "" -> {
                switch (method) {
                    case "GET" -> Responses.json(resp, 200, JobJson.of(job));
                    case "DELETE" -> Responses.json(resp, 200, JobJson.of(jobs.cancelOrForget(id)));
                    default -> notAllowed(method, path, "GET, DELETE");
                }
            }
            case "events" -> only(parts.length == 3, method, "GET", path, () -> stream.send(id, req, resp));
            case "log" -> only(parts.length == 3, method, "GET", path, () -> log(id, resp));
            case "artifacts" -> only(true, method, "GET", path, () -> {
                if (parts.length == 3) {
                    Responses.json(resp, 200, Map.of("artifacts", artifacts.list(job)));
                } else {
                    artifacts.send(job, parts[3], req, resp);
                }
            });
            default -> throw new HttpProblem(404, "no route " + method + " /api" + path);
        }
    }

    private List<Map<String, Object>> listJobs(String state) {
        JobState filter = null;
        if (state != null) {
            try {
                filter = JobState.parse(state);
            } catch (IllegalArgumentException e) {
                throw new HttpProblem(400, "query 'state': unknown state '" + state
                        + "' (queued, running, succeeded, failed, cancelled)");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JobRecord r : jobs.list(filter)) {
            out.add(JobJson.of(r));
        }
        return out;
    }

    private void submit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(transfuse.server.ServerConfig.MAX_JSON_BODY + 1);
        }
        if (body.length > transfuse.server.ServerConfig.MAX_JSON_BODY) {
            throw new HttpProblem(413, "request body is above the limit of " + transfuse.server.ServerConfig.MAX_JSON_BODY
                    + " bytes");
        }
        Object tree = JsonText.parse(body, "request body");
        if (!(tree instanceof Map<?, ?> map)) {
            throw new HttpProblem(400, "request body: expected a JSON object {\"kind\", \"spec\"}");
        }
        for (Object k : map.keySet()) {
            if (!k.equals("kind") && !k.equals("spec")) {
                throw new HttpProblem(400, "request body: unknown field '" + k + "' (fields: kind, spec)");
            }
        }
        if (!(map.get("kind") instanceof String kind)) {
            throw new HttpProblem(400, "field 'kind': required, a string");
        }
        Object spec = map.get("spec") == null ? Map.of() : map.get("spec");
        if (!(spec instanceof Map<?, ?> specMap)) {
            throw new HttpProblem(400, "field 'spec': expected a JSON object of spec keys");
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        specMap.forEach((k, v) -> keys.put((String) k, v));
        JobRecord r = jobs.submit(kind, keys);
        resp.setHeader("Location", "/api/jobs/" + r.id());
        Responses.json(resp, 202, JobJson.of(r));
    }

    private void log(String id, HttpServletResponse resp) throws IOException {
        Path log = jobs.logOf(id);
        byte[] bytes = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
        resp.setStatus(200);
        resp.setContentType("text/plain");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private Map<String, Object> health() {
        List<String> problems = new ArrayList<>(bundles == null ? List.of("bundle management is not running")
                : bundles.problems());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", problems.isEmpty() ? "ok" : "degraded");
        m.put("version", version);
        m.put("uptime_s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        m.put("home", home.home().toString());
        Map<JobState, Integer> counts = jobs.counts();
        m.put("jobs", Map.of("queued", counts.getOrDefault(JobState.QUEUED, 0),
                "running", counts.getOrDefault(JobState.RUNNING, 0)));
        m.put("problems", problems);
        m.put("pid", ProcessHandle.current().pid());
        return m;
    }

    private void openApi(HttpServletResponse resp) throws IOException {
        try (InputStream in = ApiServlet.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new HttpProblem(404, "openapi.json is missing from the server bundle");
            }
            byte[] bytes = in.readAllBytes();
            resp.setStatus(200);
            resp.setContentType("application/json");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private static void only(boolean pathOk, String method, String allowed, String path, Action action) throws IOException {
        if (!pathOk) {
            throw new HttpProblem(404, "no route " + method + " /api" + path);
        }
        if (!method.equals(allowed) && !(allowed.equals("GET") && method.equals("HEAD"))) {
            notAllowed(method, path, allowed);
        }
        action.run();
    }

    private static void notAllowed(String method, String path, String allowed) {
        throw new HttpProblem(405, "method " + method + " is not allowed on /api" + path + " (allowed: " + allowed + ")");
    }
}
