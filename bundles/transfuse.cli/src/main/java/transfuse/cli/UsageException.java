package transfuse.cli;

import transfuse.api.TransfuseException;

/** Bad command-line usage: unknown command or option, missing or malformed value. Exit 2. */
final class UsageException extends TransfuseException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
