package transfuse.io.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;

/**
 * Several output files that belong together (a curve and its plot), written so that none appears
 * unless all could be written: every file goes to a hidden temporary beside its target first, and
 * only then are they renamed into place.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** @throws TransfuseException naming the file that could not be written; no target is touched then */
    public static void writeAll(Map<Path, byte[]> files) {
        List<Path[]> staged = new ArrayList<>();
        try {
            for (Map.Entry<Path, byte[]> f : files.entrySet()) {
                Path target = f.getKey().toAbsolutePath().normalize();
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
                staged.add(new Path[] {tmp, target});
                Files.write(tmp, f.getValue());
            }
            for (Path[] s : staged) {
                try {
                    Files.move(s[0], s[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(s[0], s[1], StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            for (Path[] s : staged) {
                try {
                    Files.deleteIfExists(s[0]);
                } catch (IOException ignored) {
                    // best effort: a hidden leftover temporary is harmless
                }
            }
            throw new TransfuseException((staged.isEmpty() ? files.keySet().iterator().next()
                    : staged.get(staged.size() - 1)[1]) + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
