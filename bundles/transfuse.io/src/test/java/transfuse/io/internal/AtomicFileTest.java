package transfuse.io.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;

class AtomicFileTest {
    @TempDir
    Path dir;

    /** Until the rename, the target holds the old content; the content is written to another file. */
    @Test
    void targetKeepsOldContentWhileWriting() throws IOException {
        Path target = dir.resolve("out.bin");
        Files.write(target, new byte[] {1, 2, 3});
        AtomicFile.write(target, out -> {
            out.write(ByteBuffer.wrap(new byte[] {9, 9}));
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
            assertEquals(2, listing().size(), "the content goes to a temporary file beside the target");
        });
        assertArrayEquals(new byte[] {9, 9}, Files.readAllBytes(target));
        assertEquals(List.of(target), listing());
    }

    /** The written file gets default permissions, like any new file, not a temp file's owner-only ones. */
    @Test
    void writtenFileHasDefaultPermissions() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path target = dir.resolve("atomic");
        AtomicFile.write(target, out -> out.write(ByteBuffer.wrap(new byte[] {1})));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(target));
    }

    @Test
    void missingDirectoryIsTheUsersError() {
        Path target = dir.resolve("no/such/dir/out.bin");
        TransfuseException e = assertThrows(TransfuseException.class, () -> AtomicFile.write(target, out -> { }));
        assertEquals(target + ": directory " + dir.resolve("no/such/dir") + " does not exist", e.getMessage());
    }

    @Test
    void directoryTargetIsRefused() throws IOException {
        Path target = Files.createDirectory(dir.resolve("sub"));
        TransfuseException e = assertThrows(TransfuseException.class, () -> AtomicFile.write(target, out -> { }));
        assertEquals(target + ": is a directory", e.getMessage());
        assertEquals(0, target.toFile().list().length, "nothing written into it");
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
