package transfuse.io.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import transfuse.api.TransfuseException;

/**
 * The server's access token: {@code $TRANSFUSE_TOKEN}, else the first line of a token file
 * ({@code HOME/token} unless {@code serve --token-file} names another), created on first use with
 * 32 random bytes as hex, readable by its owner only (mode 0600). The server, {@code serve}'s
 * printed URL and the client commands all read it here.
 */
public final class ServerToken {
    public static final String ENV = "TRANSFUSE_TOKEN";
    public static final String FILE = "token";

    private ServerToken() {
    }

    /** The token from the environment or the file, creating the file when neither has one. */
    public static String loadOrCreate(Path file) {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        String existing = read(file);
        if (existing != null) {
            return existing;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.deleteIfExists(tmp);
            // Created with owner-only permissions, so the secret is never readable by others, not even briefly.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file); // no replace: a token another process just made wins
            } catch (FileAlreadyExistsException e) {
                Files.delete(tmp);
                return read(file);
            }
            return token;
        } catch (IOException e) {
            throw new TransfuseException(file + ": cannot write the server token (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The token in a token file (its first line, trimmed), or null when there is no file or it is empty.
     *
     * @throws TransfuseException naming the file when it cannot be read
     */
    public static String read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            return first.isEmpty() ? null : first;
        } catch (IOException e) {
            throw new TransfuseException(file + ": cannot read the server token (" + e.getMessage() + ")", e);
        }
    }
}
