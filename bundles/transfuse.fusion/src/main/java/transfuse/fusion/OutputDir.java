package transfuse.fusion;

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
 * directory, which is renamed onto the target at the end; on failure it is deleted. An existing
 * target is replaced only when it holds nothing but a model directory's files.
 */
final class OutputDir {
    /** A fused model's files: weights, config, report and the architecture's model files (tokenizer). */
    private static final Set<String> REPLACEABLE = Set.of("config.json", "model.safetensors", "fusion.json",
            "tokenizer.json");

    private OutputDir() {
    }

    interface Writer {
        void write(Path dir) throws IOException;
    }

    static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath().normalize();
        checkReplaceable(abs);
        Path parent = abs.getParent();
        Path tmp = parent.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            writer.write(tmp);
            if (Files.exists(abs)) {
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

    private static void checkReplaceable(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new TransfuseException(target + ": exists and is not a directory; choose another --out");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target)) {
            for (Path p : s) {
                if (!REPLACEABLE.contains(p.getFileName().toString())) {
                    throw new TransfuseException(target + ": exists and holds " + p.getFileName()
                            + ", not only a model; refusing to replace it (choose another --out)");
                }
            }
        } catch (IOException e) {
            throw new TransfuseException(target + ": cannot read (" + e.getMessage() + ")", e);
        }
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

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
