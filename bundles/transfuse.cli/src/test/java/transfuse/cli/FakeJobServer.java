package transfuse.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the transfuse server's job routes on a free loopback port: each route answers
 * what the test set, every request is recorded. Unset routes answer 404 with a JSON error, as the
 * real server does.
 */
final class FakeJobServer implements AutoCloseable {
    /** One request as it arrived. */
    record Request(String method, String uri, String authorization, String body) {
    }

    private record Answer(int status, String contentType, byte[] body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeJobServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD URI} (path and query as sent) with a JSON body. */
    FakeJobServer json(String method, String uri, int status, String body) {
        answers.put(method + " " + uri, new Answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Answers {@code GET URI} with an event stream that ends after {@code stream}. */
    FakeJobServer events(String uri, String stream) {
        answers.put("GET " + uri, new Answer(200, "text/event-stream", stream.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    FakeJobServer bytes(String uri, byte[] body) {
        answers.put("GET " + uri, new Answer(200, "application/octet-stream", body));
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String uri = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        requests.add(new Request(exchange.getRequestMethod(), uri,
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        Answer a = answers.getOrDefault(exchange.getRequestMethod() + " " + uri, new Answer(404, "application/json",
                ("{\"error\":\"no route " + uri + "\"}").getBytes(StandardCharsets.UTF_8)));
        exchange.getResponseHeaders().set("Content-Type", a.contentType());
        exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(a.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
