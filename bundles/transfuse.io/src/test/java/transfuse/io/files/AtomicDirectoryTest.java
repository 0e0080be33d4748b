package transfuse.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;

/** A directory is replaced whole: a failed writer leaves the old one, foreign files are never replaced. */
class AtomicDirectoryTest {
    @TempDir
    Path tmp;

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return Set.copyOf(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldDirectoryAndNoTemporary() throws Exception {
        Path target = tmp.resolve("model");
        AtomicDirectory.write(target, Set.of("a"), Set.of(), d -> Files.writeString(d.resolve("a"), "old"));
        assertThrows(IllegalStateException.class, () -> AtomicDirectory.write(target, Set.of("a"), Set.of(), d -> {
            Files.writeString(d.resolve("a"), "new");
            throw new IllegalStateException("writer failed");
        }));
        assertEquals("old", Files.readString(target.resolve("a")));
        assertEquals(Set.of("model"), names(tmp));
    }

    @Test
    void carriedEntriesMoveIntoTheNewDirectory() throws Exception {
        Path target = tmp.resolve("model");
        AtomicDirectory.write(target, Set.of("a"), Set.of(), d -> Files.createDirectories(d.resolve("checkpoint")));
        AtomicDirectory.write(target, Set.of("a"), Set.of("checkpoint"), d -> Files.writeString(d.resolve("a"), "x"));
        assertEquals(Set.of("a", "checkpoint"), names(target));
    }

    @Test
    void foreignFilesAreRefusedButLeftoversOfKilledWritesAreNot() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("model"));
        Files.createDirectories(target.resolve(".checkpoint.tmp-4242"));
        AtomicDirectory.checkReplaceable(target, Set.of("a"), Set.of());
        Files.writeString(target.resolve("notes.txt"), "mine");
        String m = assertThrows(TransfuseException.class, () -> AtomicDirectory.checkReplaceable(target, Set.of("a"),
                Set.of())).getMessage();
        assertTrue(m.contains("notes.txt"), m);
        assertFalse(AtomicDirectory.isLeftover(".checkpoint.tmp-x"));
        assertTrue(AtomicDirectory.isLeftover(".model.old-17"));
    }
}
