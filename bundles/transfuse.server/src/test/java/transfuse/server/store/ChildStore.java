package transfuse.server.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link StoreWriter} in a separate JVM, on the test classpath, killed with SIGKILL. */
final class ChildStore implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final List<String> lines = new ArrayList<>();

    ChildStore(String mode, Path folder, Path stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        process = new ProcessBuilder(java, "-Xmx128m", "-cp", classpath, StoreWriter.class.getName(), mode,
                folder.toString())
                .redirectError(stderr.toFile())
                .start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads reported lines until there are {@code count} of them; fails if the child ends first. */
    List<String> awaitLines(int count) throws IOException {
        while (lines.size() < count) {
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the child ended after " + lines.size() + " lines");
            }
            lines.add(line);
        }
        return lines;
    }

    /** SIGKILL, then every line the child had written before it died. */
    List<String> kill() throws IOException, InterruptedException {
        // Through the handle: Process.destroyForcibly() would also close our end of the pipe,
        // dropping the lines the child wrote just before it died.
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child outlived SIGKILL");
        }
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
        }
        return lines;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
