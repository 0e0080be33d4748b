package transfuse.io.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import transfuse.api.TransfuseException;

/**
 * Checks made before a job starts work, so that an output that cannot be written is reported in
 * one line naming the path (exit 2) instead of failing after minutes of work, and nothing is
 * created by the check itself.
 */
public final class OutputCheck {
    private OutputCheck() {
    }

    /**
     * An output file: not a directory, and its folder (or the nearest existing ancestor, as
     * folders are created on writing) accepts new files.
     *
     * @throws TransfuseException naming the path
     */
    public static void file(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new TransfuseException(file + ": is a directory; give a file name for the output");
        }
        writableFolder(abs.getParent(), file);
    }

    /**
     * Whether new files can be made in {@code folder} or, when it does not exist yet, in its
     * nearest existing ancestor. Tried by creating and deleting a hidden file, since permission
     * bits do not tell for root or read-only file systems.
     *
     * @param named the path the user gave, for the message
     */
    static void writableFolder(Path folder, Path named) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new TransfuseException(named + ": no existing folder above it");
        }
        if (!Files.isDirectory(existing)) {
            throw new TransfuseException(named + ": " + existing + " is a file, not a folder");
        }
        try {
            Path probe = Files.createTempFile(existing, ".transfuse-write-check", null);
            Files.delete(probe);
        } catch (IOException e) {
            throw new TransfuseException(named + ": cannot write in " + existing + " ("
                    + e.getClass().getSimpleName().replace("Exception", "") + ")", e);
        }
    }
}
