package transfuse.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The job store in an H2 file database, {@code FOLDER/jobs.mv.db} (the server uses {@code HOME/store}).
 * <p>
 * Crash safety: each mutating method is one committed transaction, and the database is opened with
 * {@code WRITE_DELAY=0}, so H2's MVStore has appended the commit to its file before the method returns.
 * The MVStore only ever appends and finds the last complete chunk when it opens, so a {@code kill -9}
 * at any point leaves the state after the last returned call (the operating system keeps written data;
 * a power loss may lose the last commits, as nothing is fsynced).
 * <p>
 * Thread safety: one connection, used by one thread at a time (the methods are synchronized). Store
 * calls are short and H2 is in-process, so a pool would buy nothing here.
 * <p>
 * H2 locks the file while it is open: a second process (another server on the same HOME) gets an
 * {@link IllegalStateException} from the constructor.
 */
public final class H2JobStore implements JobStore {
    private final Path folder;
    private Connection db;

    /**
     * Opens (creating when missing) the store in {@code folder}.
     *
     * @throws IllegalStateException one line naming the folder when the database cannot be opened,
     *                               e.g. another process has it open
     */
    public H2JobStore(Path folder) {
        this.folder = folder.toAbsolutePath();
        this.db = H2Database.open(this.folder);
        try {
            JobSchema.create(db);
        } catch (SQLException e) {
            close();
            throw failure("cannot create the tables", e);
        }
    }

    /** The folder holding the database file. */
    public Path folder() {
        return folder;
    }

    @Override
    public synchronized JobRecord create(String kind, Map<String, Object> spec) {
        return transaction(() -> {
            long number;
            try (PreparedStatement next = db().prepareStatement("VALUES NEXT VALUE FOR job_numbers");
                 ResultSet row = next.executeQuery()) {
                row.next();
                number = row.getLong(1);
            }
            String id = String.format(Locale.ROOT, "j-%06d", number);
            try (PreparedStatement insert = db().prepareStatement(
                    "INSERT INTO jobs (id, num, kind, spec, state, progress, created) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setLong(2, number);
                insert.setString(3, kind);
                insert.setString(4, JobRows.json(spec == null ? Map.of() : spec));
                insert.setString(5, JobState.QUEUED.label());
                insert.setString(6, JobRows.json(Map.of()));
                JobRows.setInstant(insert, 7, Instant.now());
                insert.executeUpdate();
            }
            return find(id).orElseThrow();
        });
    }

    @Override
    public synchronized Optional<JobRecord> get(String id) {
        return query(() -> find(id));
    }

    @Override
    public synchronized List<JobRecord> list(JobState state) {
        String where = state == null ? "" : " WHERE state = ?";
        return query(() -> jobs("SELECT " + JobRows.JOB_COLUMNS + " FROM jobs" + where + " ORDER BY num DESC",
                state == null ? null : state.label()));
    }

    @Override
    public synchronized List<JobRecord> queued() {
        return query(() -> jobs("SELECT " + JobRows.JOB_COLUMNS + " FROM jobs WHERE state = ? ORDER BY num",
                JobState.QUEUED.label()));
    }

    /**
     * RUNNING sets {@code started} and clears {@code finished} and the error; a terminal state sets
     * {@code finished} and the error; QUEUED (a resume) clears {@code finished} and the error. The store
     * does not police the order of states: the scheduler owns the state machine.
     *
     * @throws NoSuchElementException for an unknown id
     */
    @Override
    public synchronized JobRecord setState(String id, JobState state, String error) {
        return transaction(() -> {
            String times = switch (state) {
                case RUNNING -> "started = ?, finished = NULL, error = NULL";
                case QUEUED -> "finished = NULL, error = NULL";
                default -> "finished = ?, error = ?";
            };
            try (PreparedStatement update = db.prepareStatement(
                    "UPDATE jobs SET state = ?, " + times + " WHERE id = ?")) {
                int index = 1;
                update.setString(index++, state.label());
                if (state != JobState.QUEUED) {
                    JobRows.setInstant(update, index++, Instant.now());
                }
                if (state.terminal()) {
                    update.setString(index++, error);
                }
                update.setString(index, id);
                requireOne(update.executeUpdate(), id);
            }
            return find(id).orElseThrow();
        });
    }

    /** @throws NoSuchElementException for an unknown id */
    @Override
    public synchronized void setProgress(String id, Map<String, Object> progress) {
        updateJson(id, "progress", progress == null ? Map.of() : progress);
    }

    /** @throws NoSuchElementException for an unknown id */
    @Override
    public synchronized void setResult(String id, Map<String, Object> result) {
        updateJson(id, "result", result);
    }

    /**
     * The sequence number is one more than the job's last, read and written in one transaction.
     *
     * @throws NoSuchElementException for an unknown id
     */
    @Override
    public synchronized JobEvent appendEvent(String id, String type, Map<String, Object> data) {
        return transaction(() -> {
            if (find(id).isEmpty()) {
                throw new NoSuchElementException("no job " + id);
            }
            long seq;
            try (PreparedStatement last = db.prepareStatement(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM job_events WHERE job_id = ?")) {
                last.setString(1, id);
                try (ResultSet row = last.executeQuery()) {
                    row.next();
                    seq = row.getLong(1);
                }
            }
            Map<String, Object> json = data == null ? Map.of() : data;
            Instant time = Instant.now();
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO job_events (job_id, seq, type, data, time) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setLong(2, seq);
                insert.setString(3, type);
                insert.setString(4, JobRows.json(json));
                JobRows.setInstant(insert, 5, time);
                insert.executeUpdate();
            }
            // Read back so that the caller sees exactly what a replay will show (JSON numbers normalized).
            return events(id, seq - 1).get(0);
        });
    }

    @Override
    public synchronized List<JobEvent> events(String id, long afterSeq) {
        return query(() -> {
            try (PreparedStatement select = db().prepareStatement("SELECT " + JobRows.EVENT_COLUMNS
                    + " FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq")) {
                select.setString(1, id);
                select.setLong(2, afterSeq);
                try (ResultSet rows = select.executeQuery()) {
                    List<JobEvent> events = new ArrayList<>();
                    while (rows.next()) {
                        events.add(JobRows.event(rows, id));
                    }
                    return events;
                }
            }
        });
    }

    /** Its events go with it (ON DELETE CASCADE); an unknown id is ignored. */
    @Override
    public synchronized void delete(String id) {
        transaction(() -> {
            try (PreparedStatement delete = db().prepareStatement("DELETE FROM jobs WHERE id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
            return null;
        });
    }

    /** Every state, 0 where there is none. */
    @Override
    public synchronized Map<JobState, Integer> counts() {
        return query(() -> {
            Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
            for (JobState state : JobState.values()) {
                counts.put(state, 0);
            }
            try (PreparedStatement select = db().prepareStatement(
                    "SELECT state, COUNT(*) FROM jobs GROUP BY state");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(JobState.parse(rows.getString(1)), rows.getInt(2));
                }
            }
            return counts;
        });
    }

    /** Closes the database (idempotent); later calls throw {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (db == null) {
            return;
        }
        try {
            db.close();
        } catch (SQLException e) {
            throw failure("cannot close", e);
        } finally {
            db = null;
        }
    }

    private void updateJson(String id, String column, Map<String, Object> value) {
        transaction(() -> {
            try (PreparedStatement update = db().prepareStatement("UPDATE jobs SET " + column + " = ? WHERE id = ?")) {
                update.setString(1, JobRows.json(value));
                update.setString(2, id);
                requireOne(update.executeUpdate(), id);
            }
            return null;
        });
    }

    private Optional<JobRecord> find(String id) throws SQLException {
        try (PreparedStatement select = db().prepareStatement(
                "SELECT " + JobRows.JOB_COLUMNS + " FROM jobs WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(JobRows.job(row)) : Optional.empty();
            }
        }
    }

    private List<JobRecord> jobs(String sql, String parameter) throws SQLException {
        try (PreparedStatement select = db().prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            try (ResultSet rows = select.executeQuery()) {
                List<JobRecord> jobs = new ArrayList<>();
                while (rows.next()) {
                    jobs.add(JobRows.job(rows));
                }
                return jobs;
            }
        }
    }

    private static void requireOne(int updated, String id) {
        if (updated == 0) {
            throw new NoSuchElementException("no job " + id);
        }
    }

    private Connection db() {
        if (db == null) {
            throw new IllegalStateException("job store " + folder + " is closed");
        }
        return db;
    }

    /** Reads in autocommit mode. */
    private <T> T query(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure("cannot read", e);
        }
    }

    /** Runs {@code work} as one transaction: committed before this returns, rolled back if it throws. */
    private <T> T transaction(Work<T> work) {
        Connection connection = db();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("cannot write", e);
        }
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("job store " + folder + ": " + what + ": " + H2Database.firstLine(e), e);
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }
}
