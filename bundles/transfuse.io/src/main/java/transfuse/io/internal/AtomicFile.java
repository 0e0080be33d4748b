package transfuse.io.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

import transfuse.api.TransfuseException;

/**
 * Replaces a file all at once: the content goes to a temporary file in the target's directory,
 * is forced to disk, and is renamed over the target. Readers see the old file or the new one,
 * never a half-written one; when writing fails the temporary file is deleted and the old target
 * is left as it was.
 */
public final class AtomicFile {
    /** Writes the whole content to a fresh, empty channel positioned at 0. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    private static final int NAME_ATTEMPTS = 100;

    private AtomicFile() {
    }

    /**
     * @throws TransfuseException    if the target is a directory or its directory does not exist
     * @throws java.io.UncheckedIOException if writing fails for another I/O reason
     * @throws RuntimeException      whatever {@code content} throws, after cleaning up
     */
    public static void write(Path target, Content content) {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw new TransfuseException(target + ": is a directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new TransfuseException(target + ": directory " + dir + " does not exist");
        }
        try {
            replace(target, dir, content);
        } catch (IOException e) {
            throw IoFailures.of(target, e);
        }
        syncDirectory(dir);
    }

    private static void replace(Path target, Path dir, Content content) throws IOException {
        Path temp = createTemp(dir, target.getFileName().toString());
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(out);
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (Throwable failure) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /**
     * Creates the temporary file with default permissions (unlike Files.createTempFile, which
     * makes it owner-only, and the rename would carry that over to the target). The leading dot
     * keeps it out of directory listings and the random part avoids concurrent writers.
     */
    private static Path createTemp(Path dir, String targetName) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
            Path temp = dir.resolve("." + targetName + "." + suffix + ".tmp");
            try {
                Files.createFile(temp);
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Makes the rename itself durable. Some platforms cannot open a directory for syncing; the
     * file is complete and renamed by then, so failing here is not worth failing the write.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // best effort, see above
        }
    }
}
