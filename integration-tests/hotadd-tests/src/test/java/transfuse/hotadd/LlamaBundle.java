package transfuse.hotadd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import transfuse.testkit.server.Api;

/** The Llama bundle under test (copied from the reactor by maven-dependency-plugin) and what the tests ask of it. */
final class LlamaBundle {
    static final String SYMBOLIC_NAME = "transfuse.arch.llama";
    static final String ARCH = "llama";

    private LlamaBundle() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("llama.jar", "target/plugins/transfuse.arch.llama.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar.toAbsolutePath() + " is missing: build the module with Maven, which copies"
                    + " the transfuse.arch.llama artifact there");
        }
        return jar;
    }

    /** Copies the jar into a deploy folder as users should: written beside it, then renamed in at once. */
    static Path deployInto(Path deploy) throws IOException {
        Files.createDirectories(deploy);
        Path part = deploy.resolve(SYMBOLIC_NAME + ".jar.part");
        Path target = deploy.resolve(SYMBOLIC_NAME + ".jar");
        Files.copy(jar(), part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Whether the plugin listing (GET /api/plugins or plugins --json) holds architecture llama from this bundle. */
    static boolean listed(Map<?, ?> listing) {
        return ((List<?>) listing.get("plugins")).stream().map(p -> (Map<?, ?>) p)
                .anyMatch(p -> "architecture".equals(p.get("kind")) && ARCH.equals(p.get("name"))
                        && SYMBOLIC_NAME.equals(p.get("bundle")) && p.get("error") == null);
    }

    static boolean listed(Api api) throws IOException, InterruptedException {
        return listed(api.call("GET", "/api/plugins", null).json());
    }

    /**
     * Polls the server's plugin listing every 20 ms until llama is (or is no longer) listed; returns
     * the nanoTime it first was, or fails after the limit.
     */
    static long awaitListed(Api api, boolean wanted, long limitMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limitMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (listed(api) == wanted) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("llama " + (wanted ? "not listed" : "still listed") + " after " + limitMillis + " ms: "
                + api.call("GET", "/api/plugins", null).body());
    }
}
