package transfuse.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;

/** The order in which a client finds its server and token: flag, environment, home, default. */
class ServerAddressTest {
    @TempDir
    Path home;

    @Test
    void theFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        Map<String, String> env = Map.of("TRANSFUSE_SERVER", "http://env:1/");

        assertEquals("http://flag:2", ServerAddress.resolve("http://flag:2", env, home).url());
        assertEquals("http://env:1", ServerAddress.resolve(null, env, home).url(), "trailing slash dropped");
        assertEquals("http://127.0.0.1:8480", ServerAddress.resolve(null, Map.of(), home).url());
    }

    @Test
    void theTokenComesFromTheEnvironmentElseTheHomeFileElseNowhere() throws IOException {
        assertNull(ServerAddress.resolve(null, Map.of(), home).token());
        Files.writeString(home.resolve("token"), "from-file\n");

        assertEquals("from-file", ServerAddress.resolve(null, Map.of(), home).token());
        assertEquals("from-env", ServerAddress.resolve(null, Map.of("TRANSFUSE_TOKEN", "from-env"), home).token());
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedNamingWhereItCameFrom() {
        TransfuseException e = assertThrows(TransfuseException.class,
                () -> ServerAddress.resolve(null, Map.of("TRANSFUSE_SERVER", "localhost:8480"), home));

        assertTrue(e.getMessage().startsWith("TRANSFUSE_SERVER: 'localhost:8480'"), e.getMessage());
    }
}
