package transfuse.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The web page: {@code index.html} at {@code /} and the files of the bundle's {@code web/} folder
 * under {@code /static/NAME}. Registered as the default servlet ({@code /}), so it also answers
 * every path no other servlet claims, with a JSON 404. The page carries no secret: the security
 * filter lets it load without a token and the page sends the token with each API call.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
public final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A flat folder: one name, no slashes or dot-dot, so no path can leave {@code web/}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");
    /** Scripts, styles and images only from this server; blob: for plots and downloads. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            resp.setHeader("Allow", "GET, HEAD");
            sendError(resp, 405, method + " " + path(req) + " is not allowed (the page is read-only)");
            return;
        }
        String path = path(req);
        String name = path.equals("/") || path.equals("/index.html") ? "index.html"
                : path.startsWith("/static/") ? path.substring("/static/".length()) : null;
        String type = name == null ? null : TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null || !NAME.matcher(name).matches()) {
            sendError(resp, 404, "no such page " + path);
            return;
        }
        try (InputStream in = PageServlet.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                sendError(resp, 404, "no such page " + path);
                return;
            }
            byte[] body = in.readAllBytes();
            resp.setStatus(200);
            resp.setContentType(type);
            resp.setContentLength(body.length);
            resp.setHeader("Cache-Control", "no-store");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            // The first load carries ?token=...; no referrer leaves the page with it.
            resp.setHeader("Referrer-Policy", "no-referrer");
            resp.setHeader("Content-Security-Policy", CSP);
            if (method.equals("GET")) {
                resp.getOutputStream().write(body);
            }
        }
    }

    /** The request path below the context, for the default servlet all of it is the servlet path. */
    private static String path(HttpServletRequest req) {
        String servletPath = req.getServletPath() == null ? "" : req.getServletPath();
        String info = req.getPathInfo() == null ? "" : req.getPathInfo();
        String path = servletPath + info;
        return path.isEmpty() ? "/" : path;
    }

    private static void sendError(HttpServletResponse resp, int status, String message) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        JSON.writeValue(resp.getOutputStream(), Map.of("error", message));
    }
}
