package transfuse.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginInfo;

/** The JSON API: {@code GET /api/health} and {@code GET /api/plugins}. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/*")
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient PluginCatalog catalog;
    private final transient ServerHome home;
    private final String version;

    @Activate
    public ApiServlet(BundleContext context, @Reference PluginCatalog catalog, @Reference ServerHome home) {
        this.catalog = catalog;
        this.home = home;
        this.version = context.getBundle().getVersion().toString();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (path) {
            case "/health" -> send(resp, 200, health());
            case "/plugins" -> send(resp, 200, Map.of("plugins", catalog.list().stream().map(PluginInfo::toJson).toList()));
            default -> send(resp, 404, Map.of("error", "no route GET /api" + path));
        }
    }

    private Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("version", version);
        m.put("uptime_s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        m.put("home", home.home().toString());
        return m;
    }

    private static void send(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        JSON.writeValue(resp.getOutputStream(), body);
    }
}
