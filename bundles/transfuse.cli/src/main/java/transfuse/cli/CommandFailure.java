package transfuse.cli;

/**
 * A command that could not do its work for a reason outside its input (a port already taken, a
 * server that does not answer): one {@code error:} line and exit status 1, without the stack
 * trace of an internal error.
 */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
