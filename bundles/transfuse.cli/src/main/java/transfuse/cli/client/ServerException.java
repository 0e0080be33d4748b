package transfuse.cli.client;

/**
 * A request to the server that did not get the answer it needed: the server refused it (a 4xx
 * status: the request was wrong), failed on it (5xx or a malformed answer), or never answered.
 * The message is one line, ready for the user.
 */
public final class ServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The status when no HTTP answer came back (connection refused, timeout, broken stream). */
    public static final int NO_ANSWER = 0;

    private final int status;

    public ServerException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ServerException(String message, Throwable cause) {
        super(message, cause);
        this.status = NO_ANSWER;
    }

    /** The HTTP status, or {@link #NO_ANSWER}. */
    public int status() {
        return status;
    }

    /** Whether the server refused the request as bad (4xx): the user's input, not the server, is at fault. */
    public boolean refused() {
        return status >= 400 && status < 500;
    }
}
