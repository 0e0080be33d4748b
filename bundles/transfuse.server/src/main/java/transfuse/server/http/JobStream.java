package transfuse.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import transfuse.io.json.JsonText;
import transfuse.server.jobs.JobService;
import transfuse.server.store.JobEvent;
import transfuse.server.store.JobState;

/**
 * {@code GET /api/jobs/{id}/events}: server-sent events. Everything the job has emitted is
 * replayed first (from {@code Last-Event-ID} on a reconnect), then new events as they come; the
 * stream ends after the terminal {@code state} event. A comment line every 15 s keeps proxies and
 * clients from timing out and tells the server when a client has gone.
 */
final class JobStream {
    private static final long HEARTBEAT_MILLIS = 15_000;

    private final JobService jobs;

    JobStream(JobService jobs) {
        this.jobs = jobs;
    }

    void send(String id, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long after = lastEventId(req.getHeader("Last-Event-ID"));
        resp.setStatus(200);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        OutputStream out = resp.getOutputStream();
        out.write(": transfuse job events\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            while (true) {
                List<JobEvent> events = jobs.events(id, after, HEARTBEAT_MILLIS);
                if (events.isEmpty()) {
                    if (jobs.get(id).isEmpty()) {
                        return; // forgotten while watched
                    }
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                for (JobEvent e : events) {
                    String frame = "id: " + e.seq() + "\nevent: " + e.type() + "\ndata: " + JsonText.line(e.data()) + "\n\n";
                    out.write(frame.getBytes(StandardCharsets.UTF_8));
                    after = e.seq();
                    if (isTerminal(e)) {
                        out.flush();
                        return;
                    }
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isTerminal(JobEvent e) {
        if (!e.type().equals("state")) {
            return false;
        }
        try {
            return JobState.parse(String.valueOf(e.data().get("state"))).terminal();
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static long lastEventId(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
