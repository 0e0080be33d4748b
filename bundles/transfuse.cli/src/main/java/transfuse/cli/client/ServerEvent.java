package transfuse.cli.client;

/**
 * One server-sent event.
 *
 * @param type the {@code event:} field ({@code progress}, {@code log}, {@code state}), or
 *             {@code message} when the event named none (the SSE default)
 * @param data the {@code data:} lines joined by newlines
 */
public record ServerEvent(String type, String data) {
}
