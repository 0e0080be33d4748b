package transfuse.server.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.server.store.JobRecord;

/** A job as the API shows it (docs/server.md): times as ISO-8601 strings, absent ones as null. */
final class JobJson {
    private JobJson() {
    }

    static Map<String, Object> of(JobRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind());
        m.put("spec", r.spec());
        m.put("state", r.state().label());
        m.put("progress", r.progress() == null ? Map.of() : r.progress());
        m.put("created", time(r.created()));
        m.put("started", time(r.started()));
        m.put("finished", time(r.finished()));
        m.put("error", r.error());
        m.put("result", r.result());
        return m;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
