package transfuse.api.arch;

/**
 * Which token positions of each sample a tap keeps: positions {@code [from, to)}, clipped to
 * the sequence. {@link #ALL} keeps every token, {@link #FIRST} only the first (ViT's CLS).
 */
public record TokenWindow(int from, int to) {
    public static final TokenWindow ALL = new TokenWindow(0, Integer.MAX_VALUE);
    public static final TokenWindow FIRST = new TokenWindow(0, 1);

    public TokenWindow {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("token window [" + from + ", " + to + ") is empty");
        }
    }

    /** Parses {@code all}, {@code cls}/{@code first}, or {@code FROM:TO}. */
    public static TokenWindow parse(String s) {
        switch (s) {
            case "all": return ALL;
            case "cls": case "first": return FIRST;
            default:
                String[] p = s.split(":");
                if (p.length == 2) {
                    try {
                        return new TokenWindow(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
                    } catch (IllegalArgumentException e) {
                        // fall through to the one-line error below
                    }
                }
                throw new transfuse.api.TransfuseException("bad token window '" + s + "', expected all, cls or FROM:TO");
        }
    }
}
