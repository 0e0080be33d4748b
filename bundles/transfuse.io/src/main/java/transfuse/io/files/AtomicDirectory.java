package transfuse.io.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import transfuse.api.TransfuseException;

/**
 * An output directory written whole or not at all: everything goes into a hidden sibling
 * directory, which is renamed onto the target at the end; on failure (including a cancelled job)
 * it is deleted. An existing target is replaced only when it holds nothing but the files the
 * caller says it may replace, so a mistyped output path never wipes unrelated data.
 */
public final class AtomicDirectory {
    private AtomicDirectory() {
    }

    /** Fills the fresh, empty directory. */
    @FunctionalInterface
    public interface Writer {
        void write(Path dir) throws IOException;
    }

    /**
     * @param target      the directory to create or replace
     * @param replaceable file names an existing target may hold
     * @param carried     entries of an existing target kept in the new one (e.g. a training
     *                    checkpoint beside the model it produced); they count as replaceable
     * @throws TransfuseException when the target holds anything else, or naming the target when
     *         it cannot be written
     */
    public static void write(Path target, Set<String> replaceable, Set<String> carried, Writer writer) {
        Path abs = target.toAbsolutePath().normalize();
        checkReplaceable(abs, replaceable, carried);
        Path parent = abs.getParent();
        Path tmp = parent.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            writer.write(tmp);
            if (Files.exists(abs)) {
                for (String c : carried) {
                    if (Files.exists(abs.resolve(c)) && !Files.exists(tmp.resolve(c))) {
                        move(abs.resolve(c), tmp.resolve(c));
                    }
                }
                Path old = parent.resolve("." + abs.getFileName() + ".old-" + ProcessHandle.current().pid());
                move(abs, old);
                move(tmp, abs);
                deleteTree(old);
            } else {
                move(tmp, abs);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new TransfuseException(target + ": cannot write output (" + e.getMessage() + ")", e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Checks, before any work, that {@link #write} could replace the target: it is absent, or a
     * directory holding only replaceable or carried entries; and that its folder is writable.
     *
     * @throws TransfuseException naming the target and what is in the way
     */
    public static void checkReplaceable(Path target, Set<String> replaceable, Set<String> carried) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new TransfuseException(target + ": exists and is not a directory; choose another output");
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(abs)) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (!replaceable.contains(name) && !carried.contains(name) && !isLeftover(name)) {
                        throw new TransfuseException(target + ": exists and holds " + name
                                + ", not only a model; refusing to replace it (choose another output)");
                    }
                }
            } catch (IOException e) {
                throw new TransfuseException(target + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        OutputCheck.writableFolder(abs.getParent(), target);
    }

    /**
     * A hidden temporary of an earlier write into this folder that a killed process left behind
     * ({@code .NAME.tmp-PID}, {@code .NAME.old-PID}): replaced with the folder, never in the way.
     */
    static boolean isLeftover(String name) {
        return name.startsWith(".") && name.matches("\\..+\\.(tmp|old)-\\d+");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a leftover hidden temp dir is harmless and replaced next time
        }
    }

    /** Deletes a file or a directory tree; absent is fine. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
