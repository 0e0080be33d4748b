package transfuse.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import transfuse.api.TransfuseException;
import transfuse.io.json.JsonText;

/**
 * The job routes of a running transfuse server (docs/server.md), over the JDK's HTTP client.
 * Every failure is a {@link ServerException} with one line: the server's own {@code error} for a
 * refusal, the URL when the server cannot be reached.
 */
public final class ServerClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Until the answer's headers arrive; bodies (an event stream, a large artifact) may take longer. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final ServerAddress address;
    private final HttpClient http;

    public ServerClient(ServerAddress address) {
        this.address = address;
        // HTTP/1.1: the JDK would otherwise offer an h2c upgrade on every plain-http request.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    public ServerAddress address() {
        return address;
    }

    /** {@code POST /api/jobs}: the queued job's object. */
    public Map<String, Object> submit(String kind, Map<String, Object> spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        body.put("spec", spec);
        HttpRequest request = request("/api/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonText.line(body), StandardCharsets.UTF_8))
                .build();
        return object(sendForBytes(request), request);
    }

    /** {@code GET /api/jobs[?state=S]}: the jobs, newest first. */
    public List<Map<String, Object>> jobs(String state) {
        String query = state == null ? "" : "?state=" + PathSegments.encode(state);
        HttpRequest request = request("/api/jobs" + query).GET().build();
        return objects(object(sendForBytes(request), request), "jobs", request);
    }

    /** {@code GET /api/jobs/ID}. */
    public Map<String, Object> job(String id) {
        HttpRequest request = request(jobPath(id)).GET().build();
        return object(sendForBytes(request), request);
    }

    /** {@code DELETE /api/jobs/ID}: the server's answer (the job as it now stands), or an empty map when it sent none. */
    public Map<String, Object> delete(String id) {
        HttpRequest request = request(jobPath(id)).DELETE().build();
        byte[] body = sendForBytes(request);
        return body.length == 0 ? new LinkedHashMap<>() : object(body, request);
    }

    /** {@code GET /api/jobs/ID/artifacts}: each output file as {@code {"path", "bytes"}}. */
    public List<Map<String, Object>> artifacts(String id) {
        HttpRequest request = request(jobPath(id) + "/artifacts").GET().build();
        return objects(object(sendForBytes(request), request), "artifacts", request);
    }

    /** {@code GET /api/jobs/ID/artifacts/PATH}, written to {@code target}. */
    public void download(String id, String path, Path target) throws IOException {
        HttpRequest request = request(jobPath(id) + "/artifacts/" + PathSegments.encodePath(path)).GET().build();
        HttpResponse<InputStream> answer = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = answer.body()) {
            if (answer.statusCode() / 100 != 2) {
                throw refusal(answer.statusCode(), in.readAllBytes(), request);
            }
            try (OutputStream out = Files.newOutputStream(target)) {
                in.transferTo(out);
            }
        }
    }

    /**
     * {@code GET /api/jobs/ID/events}: hands each event to {@code handler} until it returns false
     * or the server ends the stream.
     *
     * @return whether the handler stopped the stream (false: the server ended it first)
     */
    public boolean events(String id, Predicate<ServerEvent> handler) {
        HttpRequest request = authorized(URI.create(address.url() + jobPath(id) + "/events"))
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> answer = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = answer.body()) {
            if (answer.statusCode() / 100 != 2) {
                throw refusal(answer.statusCode(), in.readAllBytes(), request);
            }
            return EventStreamReader.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), handler);
        } catch (IOException e) {
            throw new ServerException("the event stream of job " + id + " from " + address.url() + " broke off: "
                    + e.getMessage(), e);
        }
    }

    private static String jobPath(String id) {
        return "/api/jobs/" + PathSegments.encode(id);
    }

    private HttpRequest.Builder request(String path) {
        return authorized(URI.create(address.url() + path)).timeout(ANSWER_TIMEOUT);
    }

    private HttpRequest.Builder authorized(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (address.token() != null) {
            b.header("Authorization", "Bearer " + address.token());
        }
        return b;
    }

    private byte[] sendForBytes(HttpRequest request) {
        HttpResponse<byte[]> answer = send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() / 100 != 2) {
            throw refusal(answer.statusCode(), answer.body(), request);
        }
        return answer.body();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            String reason = e instanceof HttpConnectTimeoutException ? "connection timed out"
                    : e instanceof ConnectException ? "connection refused"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ServerException("cannot reach the transfuse server at " + address.url() + " (" + reason
                    + "; start one with 'transfuse serve', or choose another with --server or "
                    + ServerAddress.SERVER_ENV + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("interrupted while waiting for " + address.url(), e);
        }
    }

    /** The server's {@code error} line for a refusal; for 401 also which token was sent. */
    private ServerException refusal(int status, byte[] body, HttpRequest request) {
        String error = errorLine(body);
        String what = request.method() + " " + request.uri();
        if (status == 401) {
            return new ServerException(status, (error == null ? "unauthorized" : error) + " (" + what + "; "
                    + address.tokenHint() + ")");
        }
        if (status / 100 == 4 && error != null) {
            return new ServerException(status, error);
        }
        return new ServerException(status, "HTTP " + status + " from " + what + (error == null ? "" : ": " + error));
    }

    private static String errorLine(byte[] body) {
        try {
            if (JsonText.parse(body, "answer") instanceof Map<?, ?> m && m.get("error") != null) {
                return String.valueOf(m.get("error")).replace('\n', ' ');
            }
        } catch (TransfuseException e) {
            // not JSON (a proxy's page, say): the status alone describes it
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(byte[] body, HttpRequest request) {
        Object tree;
        try {
            tree = JsonText.parse(body, "answer");
        } catch (TransfuseException e) {
            throw new ServerException(200, "malformed answer to " + request.method() + " " + request.uri() + ": "
                    + e.getMessage());
        }
        if (!(tree instanceof Map)) {
            throw new ServerException(200, "malformed answer to " + request.method() + " " + request.uri()
                    + ": expected an object, got " + JsonText.typeName(tree));
        }
        return (Map<String, Object>) tree;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Map<String, Object> answer, String key, HttpRequest request) {
        List<Map<String, Object>> list = new ArrayList<>();
        if (answer.get(key) instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map) {
                    list.add((Map<String, Object>) item);
                    continue;
                }
                throw new ServerException(200, "malformed answer to " + request.uri() + ": '" + key
                        + "' holds " + JsonText.typeName(item));
            }
            return list;
        }
        throw new ServerException(200, "malformed answer to " + request.uri() + ": no '" + key + "' list");
    }
}
