package transfuse.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The event-stream parsing rules of the HTML standard that the job events rely on. */
class EventStreamReaderTest {
    private static List<ServerEvent> read(String stream) throws IOException {
        List<ServerEvent> events = new ArrayList<>();
        EventStreamReader.read(new BufferedReader(new StringReader(stream)), events::add);
        return events;
    }

    @Test
    void dataLinesJoinWithNewlinesAndCommentsAreSkipped() throws IOException {
        List<ServerEvent> events = read(": keep-alive\nevent: log\ndata: first\n: between\ndata: second\n\n");

        assertEquals(List.of(new ServerEvent("log", "first\nsecond")), events);
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDroppedAndAFieldWithoutColonIsEmpty() throws IOException {
        List<ServerEvent> events = read("data:  two spaces\n\ndata:no space\n\ndata\n\n");

        assertEquals(List.of(new ServerEvent("message", " two spaces"), new ServerEvent("message", "no space"),
                new ServerEvent("message", "")), events);
    }

    @Test
    void crAndCrlfEndLinesAsLfDoes() throws IOException {
        List<ServerEvent> events = read("event: state\r\ndata: {}\r\n\r\nevent: log\rdata: x\r\r");

        assertEquals(List.of(new ServerEvent("state", "{}"), new ServerEvent("log", "x")), events);
    }

    @Test
    void theTypeResetsAfterEachEventAndAnEventWithoutDataIsNotDispatched() throws IOException {
        List<ServerEvent> events = read("event: progress\n\ndata: a\n\nid: 7\nretry: 10\nevent: log\ndata: b\n\n");

        assertEquals(List.of(new ServerEvent("message", "a"), new ServerEvent("log", "b")), events);
    }

    @Test
    void anEventCutOffByTheEndOfTheStreamIsDropped() throws IOException {
        assertEquals(List.of(new ServerEvent("log", "whole")), read("event: log\ndata: whole\n\nevent: log\ndata: cut"));
    }

    @Test
    void theHandlerStopsReading() throws IOException {
        List<ServerEvent> seen = new ArrayList<>();
        boolean stopped = EventStreamReader.read(new BufferedReader(new StringReader("data: 1\n\ndata: 2\n\n")), e -> {
            seen.add(e);
            return false;
        });

        assertTrue(stopped);
        assertEquals(1, seen.size());
        assertFalse(EventStreamReader.read(new BufferedReader(new StringReader("data: 1\n\n")), e -> true));
    }
}
