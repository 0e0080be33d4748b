package transfuse.cli.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.io.files.ServerToken;

/**
 * Which server a client command talks to and with which token.
 *
 * @param url         the server's base URL without a trailing slash, e.g. {@code http://127.0.0.1:8480}
 * @param token       the bearer token, or null when none was found
 * @param tokenSource where the token came from ({@code TRANSFUSE_TOKEN} or the file), or null with no token
 * @param tokenFile   the file {@code HOME/token} where a token is looked for (named in 401 messages)
 */
public record ServerAddress(String url, String token, String tokenSource, Path tokenFile) {
    public static final String SERVER_ENV = "TRANSFUSE_SERVER";
    public static final String TOKEN_ENV = ServerToken.ENV;
    public static final String DEFAULT_URL = "http://127.0.0.1:8480";

    /**
     * The URL from {@code --server}, else {@code TRANSFUSE_SERVER}, else the default; the token from
     * {@code TRANSFUSE_TOKEN}, else the file {@code HOME/token} the server writes at first start.
     *
     * @param serverFlag the {@code --server} value, or null
     * @param env        the environment variables
     * @param home       transfuse's home directory
     * @throws TransfuseException when the URL is not an http(s) URL or the token file cannot be read
     */
    public static ServerAddress resolve(String serverFlag, Map<String, String> env, Path home) {
        String url = serverFlag != null ? serverFlag : nonBlank(env.get(SERVER_ENV));
        String urlSource = serverFlag != null ? "option --server" : url != null ? SERVER_ENV : null;
        url = url == null ? DEFAULT_URL : checked(url.trim(), urlSource);
        Path tokenFile = home.resolve("token");
        String token = nonBlank(env.get(TOKEN_ENV));
        if (token != null) {
            return new ServerAddress(url, token.trim(), TOKEN_ENV, tokenFile);
        }
        String fromFile = ServerToken.read(tokenFile); // the same reading as the server's
        if (fromFile != null) {
            return new ServerAddress(url, fromFile, tokenFile.toString(), tokenFile);
        }
        return new ServerAddress(url, null, null, tokenFile);
    }

    /** How a 401 is explained: which token was sent, or where none was found. */
    String tokenHint() {
        return token == null
                ? "no token was sent: it is read from " + TOKEN_ENV + ", else from " + tokenFile
                : "the token from " + tokenSource + " was refused (the server's token is in its own HOME/token)";
    }

    private static String checked(String url, String source) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return trimmed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new TransfuseException(source + ": '" + url + "' is not an http:// or https:// URL");
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
