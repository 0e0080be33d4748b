package transfuse.data;

import transfuse.api.TransfuseException;

final class Ranges {
    private Ranges() {
    }

    static void check(String name, int from, int to, int size) {
        if (from < 0 || to > size || from > to) {
            throw new TransfuseException(name + ": range [" + from + ", " + to + ") outside [0, " + size + ")");
        }
    }
}
