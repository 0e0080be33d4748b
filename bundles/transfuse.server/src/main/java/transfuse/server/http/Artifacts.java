package transfuse.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import transfuse.server.jobs.JobService;
import transfuse.server.store.JobRecord;
import transfuse.server.store.JobState;

/**
 * A job's output files, {@code HOME/jobs/ID/out/**}: listed and served only once the job has
 * succeeded, so a partial artifact is never served; paths are relative to that folder and may
 * not leave it.
 */
final class Artifacts {
    private final JobService jobs;

    Artifacts(JobService jobs) {
        this.jobs = jobs;
    }

    List<Map<String, Object>> list(JobRecord job) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (job.state() != JobState.SUCCEEDED) {
            return out;
        }
        Path root = jobs.outputOf(job.id());
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("path", root.relativize(p).toString().replace('\\', '/'));
                a.put("bytes", Files.size(p));
                out.add(a);
            }
        }
        return out;
    }

    void send(JobRecord job, String encodedPath, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (job.state() != JobState.SUCCEEDED) {
            throw new HttpProblem(404, "job " + job.id() + " is " + job.state().label() + ": artifacts exist once it has"
                    + " succeeded");
        }
        Path root = jobs.outputOf(job.id()).toAbsolutePath().normalize();
        String rel = URLDecoder.decode(encodedPath, StandardCharsets.UTF_8);
        Path file = root.resolve(rel).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            throw new HttpProblem(404, "job " + job.id() + " has no artifact " + rel);
        }
        long size = Files.size(file);
        long from = 0;
        long to = size - 1;
        String range = req.getHeader("Range");
        if (range != null && range.matches("bytes=\\d*-\\d*") && !range.equals("bytes=-")) {
            String[] r = range.substring(6).split("-", -1);
            if (r[0].isEmpty()) {
                from = Math.max(0, size - Long.parseLong(r[1]));
            } else {
                from = Long.parseLong(r[0]);
                to = r[1].isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(r[1]));
            }
            if (from > to || from >= size) {
                resp.setHeader("Content-Range", "bytes */" + size);
                throw new HttpProblem(416, "range " + range + " is outside the file's " + size + " bytes");
            }
            resp.setStatus(206);
            resp.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + size);
        } else {
            resp.setStatus(200);
        }
        resp.setHeader("Accept-Ranges", "bytes");
        // A job's files are data, never active content on this origin (an HTML report or an SVG
        // could carry script that would read the page's token).
        resp.setHeader("Content-Security-Policy", "sandbox");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentType(contentType(file));
        resp.setContentLengthLong(to - from + 1);
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(from);
            long left = to - from + 1;
            byte[] buf = new byte[1 << 16];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                resp.getOutputStream().write(buf, 0, n);
                left -= n;
            }
        }
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            return "application/json";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return name.endsWith(".log") || name.endsWith(".txt") ? "text/plain; charset=utf-8" : "application/octet-stream";
    }
}
