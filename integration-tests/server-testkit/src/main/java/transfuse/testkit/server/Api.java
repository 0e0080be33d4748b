package transfuse.testkit.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A small client of the server's JSON API, as a script would use it. */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, body, and the body as JSON when it is an object. */
    public record Answer(int status, String body, String contentType) {
        public Map<?, ?> json() {
            try {
                return JSON.readValue(body, Map.class);
            } catch (IOException e) {
                throw new AssertionError("not a JSON object (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** One server-sent event. */
    public record Event(String type, Map<?, ?> data) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String token;

    public Api(String url, String token) {
        this.url = url;
        this.token = token;
    }

    public Answer call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, token, null);
    }

    public Answer call(String method, String path, String body, String bearer, String host)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    /** Posts raw bytes (a bundle jar). */
    public Answer upload(String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
        return new Answer(a.statusCode(), a.body(), a.headers().firstValue("Content-Type").orElse(""));
    }

    public byte[] bytes(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token).build();
        HttpResponse<byte[]> a = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        if (a.statusCode() != 200) {
            throw new AssertionError(path + " answered " + a.statusCode());
        }
        return a.body();
    }

    /** Submits a job; fails unless it is accepted. */
    public String submit(String kind, Map<String, Object> spec) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        body.put("spec", spec);
        Answer a = call("POST", "/api/jobs", JSON.writeValueAsString(body));
        if (a.status() != 202) {
            throw new AssertionError("submit " + kind + " " + spec + " -> " + a);
        }
        return (String) a.json().get("id");
    }

    public Map<?, ?> job(String id) throws IOException, InterruptedException {
        return call("GET", "/api/jobs/" + id, null).json();
    }

    /** Reads the job's event stream to its end (the terminal state event). */
    public List<Event> events(String id) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url + "/api/jobs/" + id + "/events"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(10)).build();
        HttpResponse<java.io.InputStream> a = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        if (a.statusCode() != 200) {
            throw new AssertionError("events of " + id + " answered " + a.statusCode());
        }
        List<Event> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(a.body(), StandardCharsets.UTF_8))) {
            String type = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (type != null) {
                        events.add(new Event(type, JSON.readValue(data.toString(), Map.class)));
                    }
                    type = null;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        }
        return events;
    }

    /** Polls until the job is in a terminal state; returns it. */
    public Map<?, ?> await(String id, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Map<?, ?> job = job(id);
            if (List.of("succeeded", "failed", "cancelled").contains(job.get("state"))) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not finish in " + limit + ": " + job(id));
    }

    public static String json(Object value) throws IOException {
        return JSON.writeValueAsString(value);
    }
}
