package transfuse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.net.HttpURLConnection;
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

/** The server's JSON API answers on loopback and lists the same plugins as the catalog (and so the CLI). */
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
        Map<?, ?> health = get(base + "api/health", 200);
        assertEquals("ok", health.get("status"));

        Map<?, ?> plugins = get(base + "api/plugins", 200);
        List<Map<String, Object>> expected = catalog.list().stream().map(PluginInfo::toJson).toList();
        assertEquals(JSON.readTree(JSON.writeValueAsString(Map.of("plugins", expected))), JSON.valueToTree(plugins));

        Map<?, ?> missing = get(base + "api/nothing-here", 404);
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

    private static Map<?, ?> get(String url, int expectedStatus) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        assertEquals(expectedStatus, c.getResponseCode(), url);
        try (InputStream in = expectedStatus < 400 ? c.getInputStream() : c.getErrorStream()) {
            return JSON.readValue(in, Map.class);
        }
    }
}
