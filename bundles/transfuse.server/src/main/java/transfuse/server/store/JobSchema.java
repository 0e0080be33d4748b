package transfuse.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The store's tables. {@code num} is the job's sequence number (its id is {@code j-} and the number,
 * zero-padded), kept as a number so that ordering by age still holds past a million jobs.
 * JSON values are text written by {@code JsonText}; times are UTC timestamps.
 */
final class JobSchema {
    private static final String[] STATEMENTS = {
            "CREATE SEQUENCE IF NOT EXISTS job_numbers START WITH 1",
            """
            CREATE TABLE IF NOT EXISTS jobs (
                id       VARCHAR(32)  PRIMARY KEY,
                num      BIGINT       NOT NULL UNIQUE,
                kind     VARCHAR(200) NOT NULL,
                spec     CHARACTER LARGE OBJECT NOT NULL,
                state    VARCHAR(16)  NOT NULL
                         CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
                progress CHARACTER LARGE OBJECT NOT NULL,
                created  TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                started  TIMESTAMP(9) WITH TIME ZONE,
                finished TIMESTAMP(9) WITH TIME ZONE,
                error    CHARACTER LARGE OBJECT,
                result   CHARACTER LARGE OBJECT
            )""",
            "CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, num)",
            """
            CREATE TABLE IF NOT EXISTS job_events (
                job_id VARCHAR(32) NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                seq    BIGINT      NOT NULL,
                type   VARCHAR(32) NOT NULL,
                data   CHARACTER LARGE OBJECT NOT NULL,
                time   TIMESTAMP(9) WITH TIME ZONE NOT NULL,
                PRIMARY KEY (job_id, seq)
            )""",
    };

    private JobSchema() {
    }

    /** Creates what is missing; an existing store is left as it is. */
    static void create(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
        }
    }
}
