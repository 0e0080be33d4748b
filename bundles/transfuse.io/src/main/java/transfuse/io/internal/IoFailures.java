package transfuse.io.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

import transfuse.api.TransfuseException;

/**
 * Turns an {@link IOException} into a one-line unchecked exception naming the file. A path that
 * does not exist or may not be opened is the user's input problem ({@link TransfuseException},
 * exit status 2); anything else (disk full, I/O error) is a failure of the run.
 */
public final class IoFailures {
    private IoFailures() {
    }

    public static RuntimeException of(Path file, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
            return new TransfuseException(file + ": no such file or directory", e);
        }
        if (e instanceof AccessDeniedException) {
            return new TransfuseException(file + ": permission denied", e);
        }
        return new UncheckedIOException(file + ": " + Messages.oneLine(e.toString()), e);
    }
}
