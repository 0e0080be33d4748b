package transfuse.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * Reads a {@code text/event-stream} as the HTML standard defines it: lines end with LF, CR or
 * CRLF; a blank line dispatches the event gathered so far; a line starting with {@code :} is a
 * comment (servers send them as keep-alives); {@code field: value} loses one space after the colon;
 * several {@code data:} lines join with newlines; an event without data is not dispatched, nor is
 * one cut off by the end of the stream.
 */
public final class EventStreamReader {
    private static final String DEFAULT_TYPE = "message";

    private EventStreamReader() {
    }

    /**
     * Hands each event to {@code handler} until the stream ends or the handler returns false.
     *
     * @return whether the handler asked to stop (false: the stream ended first)
     */
    public static boolean read(BufferedReader in, Predicate<ServerEvent> handler) throws IOException {
        String type = DEFAULT_TYPE;
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        boolean first = true;
        for (String line; (line = in.readLine()) != null; ) {
            if (first && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            first = false;
            if (line.isEmpty()) {
                if (hasData && !handler.test(new ServerEvent(type, data.toString()))) {
                    return true;
                }
                type = DEFAULT_TYPE;
                data.setLength(0);
                hasData = false;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> type = value.isEmpty() ? DEFAULT_TYPE : value;
                case "data" -> {
                    if (hasData) {
                        data.append('\n');
                    }
                    data.append(value);
                    hasData = true;
                }
                default -> {
                    // id and retry matter for reconnecting, which this client does not do; unknown fields are ignored by the standard
                }
            }
        }
        return false;
    }
}
