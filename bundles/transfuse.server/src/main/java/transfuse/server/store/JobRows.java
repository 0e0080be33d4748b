package transfuse.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import transfuse.io.json.JsonText;

/** Column values to and from the store's rows: JSON objects as text, instants as UTC timestamps. */
final class JobRows {
    static final String JOB_COLUMNS = "id, kind, spec, state, progress, created, started, finished, error, result";
    static final String EVENT_COLUMNS = "seq, type, data, time";

    private JobRows() {
    }

    static JobRecord job(ResultSet row) throws SQLException {
        String id = row.getString("id");
        return new JobRecord(id, row.getString("kind"),
                object(row.getString("spec"), id + " spec"),
                JobState.parse(row.getString("state")),
                object(row.getString("progress"), id + " progress"),
                instant(row, "created"), instant(row, "started"), instant(row, "finished"),
                row.getString("error"),
                object(row.getString("result"), id + " result"));
    }

    static JobEvent event(ResultSet row, String jobId) throws SQLException {
        long seq = row.getLong("seq");
        return new JobEvent(seq, row.getString("type"),
                object(row.getString("data"), jobId + " event " + seq), instant(row, "time"));
    }

    /** JSON text of a map, or null for null. */
    static String json(Map<String, Object> map) {
        return map == null ? null : JsonText.line(map);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json, String source) {
        return json == null ? null : (Map<String, Object>) JsonText.parse(json, "job store: " + source);
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
