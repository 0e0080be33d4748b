package transfuse.server.http;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import transfuse.io.files.ServerToken;
import transfuse.server.ServerConfig;
import transfuse.server.ServerHome;
import transfuse.server.jobs.JobService;

/**
 * In front of every route: TRACE and friends refused, requests for another host refused (a page
 * on another site that rebinds its DNS name to 127.0.0.1 must not reach the API), the bearer
 * token checked in constant time for every API route except {@code GET /api/health}, and bodies
 * above the route's limit refused before they are read. Uploading a bundle is running code in
 * this process, hence the token even on loopback (docs/server.md, threat model).
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern("/*")
public final class SecurityFilter implements Filter {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "DELETE", "OPTIONS");

    private final byte[] token;
    private final ServerConfig config;

    @Activate
    public SecurityFilter(@Reference ServerHome home, @Reference JobService jobs) {
        this.config = jobs.config();
        this.token = ServerToken.loadOrCreate(config.tokenFile()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            resp.setHeader("Allow", "GET, HEAD, POST, DELETE");
            Responses.error(resp, 405, "method " + method + " is not allowed");
            return;
        }
        String host = hostName(req.getHeader("Host"));
        if (!allowedHost(host)) {
            Responses.error(resp, 403, "host '" + host + "' is not this server's name (requests must name "
                    + "127.0.0.1, localhost or the configured --host)");
            return;
        }
        String path = req.getRequestURI();
        boolean api = path.equals("/api") || path.startsWith("/api/");
        boolean open = !api || path.equals("/api/health") && (method.equals("GET") || method.equals("HEAD"));
        if (!open && !authorised(req.getHeader("Authorization"))) {
            resp.setHeader("WWW-Authenticate", "Bearer");
            Responses.error(resp, 401, "missing or wrong token: send 'Authorization: Bearer TOKEN' (the token is in"
                    + " HOME/token, printed by transfuse serve)");
            return;
        }
        long limit = method.equals("POST") && path.equals("/api/bundles") ? config.maxUpload()
                : ServerConfig.MAX_JSON_BODY;
        if (req.getContentLengthLong() > limit) {
            Responses.error(resp, 413, "request body of " + req.getContentLengthLong() + " bytes is above the limit of "
                    + limit + " bytes");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean authorised(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token); // constant time: no timing oracle on the token
    }

    private boolean allowedHost(String host) {
        if (host == null) {
            return false;
        }
        if (LOOPBACK_NAMES.contains(host) || host.equalsIgnoreCase(config.host())) {
            return true;
        }
        // A literal address of this machine's loopback range (127.x.y.z) is loopback too.
        if (host.matches("127(\\.\\d{1,3}){3}")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /** The host part of a Host header: {@code name}, {@code name:port}, {@code [v6]:port}. */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
