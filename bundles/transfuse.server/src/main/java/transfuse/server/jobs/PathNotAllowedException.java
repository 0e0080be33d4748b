package transfuse.server.jobs;

import transfuse.api.TransfuseException;

/** A spec path outside the server's roots (HTTP 403): a job may read only what the server was told to share. */
public final class PathNotAllowedException extends TransfuseException {
    private static final long serialVersionUID = 1L;

    public PathNotAllowedException(String message) {
        super(message);
    }
}
