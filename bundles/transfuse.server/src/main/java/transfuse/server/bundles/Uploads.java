package transfuse.server.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import transfuse.server.http.HttpProblem;

/** Receives an upload into a staging folder beside the deploy folder, never inside it (FileInstall watches that). */
final class Uploads {
    private final Path staging;

    Uploads(Path staging) {
        this.staging = staging;
    }

    /** The body as a file in the staging folder; 413 once it passes {@code maxBytes}. */
    Path receive(InputStream body, long maxBytes) {
        Path file;
        try {
            Files.createDirectories(staging);
            file = Files.createTempFile(staging, "upload-", ".jar.part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the upload in " + staging, e);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = body.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new HttpProblem(413, "bundle jar larger than " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            delete(file);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new HttpProblem(400, "upload interrupted: " + Reasons.of(e));
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Best effort: a leftover staged file is harmless, FileInstall does not watch staging.
        }
    }
}
