package transfuse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.ObjectMapper;

import transfuse.core.PluginCatalog;
import transfuse.core.PluginInfo;

/**
 * The server's JSON API answers on loopback, health without a token and everything else with the
 * token the server wrote to HOME/token, and lists the same plugins as the catalog (and so the CLI).
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HttpApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectBundleContext
    BundleContext context;

    @InjectService
    PluginCatalog catalog;

    @InjectService(timeout = 10000)
    HttpServiceRuntime http;

    @Test
    void healthAndPluginsAnswerLikeTheCatalog() throws Exception {
        String base = endpoint();
        Map<?, ?> health = get(base + "api/health", 200, null);
        assertTrue(List.of("ok", "degraded").contains(health.get("status")), health.toString());
        assertTrue(health.get("problems") instanceof List, health.toString());

        assertTrue(String.valueOf(get(base + "api/plugins", 401, null).get("error")).contains("token"));
        String token = Files.readString(Path.of(context.getProperty("transfuse.home"), "token")).strip();
        Map<?, ?> plugins = get(base + "api/plugins", 200, token);
        List<Map<String, Object>> expected = catalog.list().stream().map(PluginInfo::toJson).toList();
        assertEquals(JSON.readTree(JSON.writeValueAsString(Map.of("plugins", expected))), JSON.valueToTree(plugins));

        Map<?, ?> missing = get(base + "api/nothing-here", 404, token);
        assertFalse(String.valueOf(missing.get("error")).isEmpty());
    }

    /** The HTTP runtime publishes its URLs; the test framework asked for port 0 (any free port). */
    private String endpoint() {
        ServiceReference<HttpServiceRuntime> ref = context.getServiceReference(HttpServiceRuntime.class);
        Object endpoints = ref.getProperty("osgi.http.endpoint");
        String first = endpoints instanceof Collection<?> c ? String.valueOf(c.iterator().next())
                : endpoints instanceof String[] a ? a[0] : String.valueOf(endpoints);
        return first.endsWith("/") ? first : first + "/";
    }

    private static Map<?, ?> get(String url, int expectedStatus, String token) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        assertEquals(expectedStatus, c.getResponseCode(), url);
        try (InputStream in = expectedStatus < 400 ? c.getInputStream() : c.getErrorStream()) {
            return JSON.readValue(in, Map.class);
        }
    }
}
