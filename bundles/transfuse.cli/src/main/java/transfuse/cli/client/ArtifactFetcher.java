package transfuse.cli.client;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import transfuse.api.TransfuseException;

/**
 * Downloads a job's artifacts into a directory, keeping their relative paths. Every path the
 * server lists is checked before anything is written, so a listing with one path escaping the
 * directory ({@code ..}, absolute, through a symbolic link) fetches nothing; each file is written
 * under a temporary name beside its target and renamed once complete, so a broken download never
 * leaves a truncated file under the real name.
 */
public final class ArtifactFetcher {
    /** One fetched file. */
    public record Fetched(String path, long bytes) {
    }

    private final ServerClient client;

    public ArtifactFetcher(ServerClient client) {
        this.client = client;
    }

    /**
     * @throws ServerException    when the listing holds a path outside {@code dir}, or a download fails
     * @throws TransfuseException when {@code dir} cannot be created or written
     */
    public List<Fetched> fetch(String id, Path dir) throws IOException {
        List<Map<String, Object>> listed = client.artifacts(id);
        Path root = createDirectory(dir);
        List<String> paths = new ArrayList<>();
        for (Map<String, Object> artifact : listed) {
            String path = String.valueOf(artifact.get("path"));
            realInside(root, inside(root, path, id), path, id);
            paths.add(path);
        }
        List<Fetched> fetched = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            Path target = inside(root, path, id);
            Files.createDirectories(target.getParent());
            realInside(root, target, path, id);
            long bytes = downloadWhole(id, path, target);
            if (listed.get(i).get("bytes") instanceof Number n && n.longValue() != bytes) {
                Files.deleteIfExists(target);
                throw new ServerException(200, "artifact " + path + " of job " + id + ": listed as " + n.longValue()
                        + " bytes, received " + bytes);
            }
            fetched.add(new Fetched(path, bytes));
        }
        return fetched;
    }

    private long downloadWhole(String id, String path, Path target) throws IOException {
        // Not Files.createTempFile: its files are private (0600); a fetched file gets the umask's permissions.
        Path partial = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            client.download(id, path, partial);
            long bytes = Files.size(partial);
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return bytes;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The target of a listed path, which must be relative and stay inside the root. */
    static Path inside(Path root, String path, String id) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("\\") || path.contains("\\")
                || path.contains("\0")) {
            throw escape(path, id, root);
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                throw escape(path, id, root);
            }
        }
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || target.equals(root) || Path.of(path).isAbsolute()) {
            throw escape(path, id, root);
        }
        return target;
    }

    /** Refuses a target whose nearest existing folder is, once symbolic links are followed, outside the root. */
    private static void realInside(Path root, Path target, String path, String id) throws IOException {
        Path existing = target.getParent();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!existing.toRealPath().startsWith(root) || Files.isSymbolicLink(target)) {
            throw escape(path, id, root);
        }
    }

    private static ServerException escape(String path, String id, Path root) {
        return new ServerException(200, "job " + id + " lists artifact '" + path + "', which is not a plain relative path"
                + " inside " + root + "; refused");
    }

    private static Path createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            return dir.toRealPath();
        } catch (IOException e) {
            throw new TransfuseException(dir + ": cannot create the directory to fetch into: " + e.getMessage());
        }
    }
}
