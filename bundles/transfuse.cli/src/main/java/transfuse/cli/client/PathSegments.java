package transfuse.cli.client;

import java.nio.charset.StandardCharsets;

/** Percent-encoding for URL path segments (URLEncoder is for forms: it writes a space as '+'). */
final class PathSegments {
    private PathSegments() {
    }

    /** One segment: every byte but the unreserved characters of RFC 3986 is percent-encoded. */
    static String encode(String segment) {
        StringBuilder s = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                s.append(c);
            } else {
                s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return s.toString();
    }

    /** A relative path: each segment encoded, the slashes kept. */
    static String encodePath(String path) {
        String[] parts = path.split("/", -1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            s.append(i == 0 ? "" : "/").append(encode(parts[i]));
        }
        return s.toString();
    }
}
