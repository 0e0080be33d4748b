package transfuse.server.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import transfuse.io.json.JsonText;

/** Every answer of the API is JSON, errors included: {@code {"error": "one line"}}. */
public final class Responses {
    private Responses() {
    }

    public static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        byte[] bytes = (JsonText.line(body) + "\n").getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    public static void error(HttpServletResponse resp, int status, String message) throws IOException {
        if (status == 413) {
            // The body is refused unread, so the server drops the connection after answering; said
            // here, a keep-alive client does not reuse it (its next request would get no bytes back).
            resp.setHeader("Connection", "close");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "" : message.replace('\n', ' ').replace('\r', ' '));
        json(resp, status, body);
    }
}
