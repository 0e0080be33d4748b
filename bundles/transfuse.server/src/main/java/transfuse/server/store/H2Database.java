package transfuse.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import org.h2.api.ErrorCode;

/** Opens the store's H2 file database, turning H2's long messages into one line that names the folder. */
final class H2Database {
    /** The database's base name: H2 keeps it in {@code jobs.mv.db}. */
    static final String NAME = "jobs";

    // WRITE_DELAY=0: every commit writes its chunk to the file before returning (H2's default, 500 ms,
    // leaves the last half second of commits in memory, lost on kill -9).
    // DB_CLOSE_ON_EXIT=FALSE: H2's shutdown hook would close the database under the server, which still
    // writes while it shuts down (it marks running jobs for resume); the server closes the store itself.
    private static final String SETTINGS = ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";

    private H2Database() {
    }

    /** @throws IllegalStateException one line naming {@code folder} when the database cannot be opened */
    static Connection open(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job store folder " + folder, e);
        }
        String url = "jdbc:h2:file:" + folder.resolve(NAME) + SETTINGS;
        try {
            // The driver class directly: inside OSGi, DriverManager cannot see a bundle's driver.
            Connection connection = new org.h2.Driver().connect(url, new Properties());
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException(openFailure(folder, e), e);
        }
    }

    private static String openFailure(Path folder, SQLException e) {
        if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
            return "job store " + folder + " is in use by another process (is another server using this HOME?)";
        }
        return "cannot open the job store " + folder + ": " + firstLine(e);
    }

    /** H2 messages carry the SQL state and hints on further lines. */
    static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
