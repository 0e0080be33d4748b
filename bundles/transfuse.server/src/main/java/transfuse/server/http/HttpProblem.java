package transfuse.server.http;

/**
 * A request that cannot be served, with the HTTP status and the one-line reason the client gets
 * as {@code {"error": "..."}}: 400 bad input, 401/403 auth, 404 unknown, 405 method, 413 too
 * large, 422 unprocessable (e.g. a bundle that does not resolve), 429 queue full.
 */
public final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpProblem(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
