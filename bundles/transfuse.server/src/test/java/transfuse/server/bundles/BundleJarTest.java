package transfuse.server.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an upload is judged by before anything is installed: the reasons a client gets for a 400. */
class BundleJarTest {
    @TempDir
    Path dir;

    @Test
    void randomBytesAreNotAJar() throws Exception {
        Path f = dir.resolve("random.jar");
        Files.write(f, new byte[] {1, 2, 3, 4, 5});
        BundleJar.NotABundle e = assertThrows(BundleJar.NotABundle.class, () -> BundleJar.read(f));
        assertEquals(true, e.getMessage().startsWith("not a jar ("), e.getMessage());
    }

    @Test
    void aPlainJarWithoutSymbolicNameIsNotABundle() throws Exception {
        Path f = jar(null, null);
        assertEquals("no Bundle-SymbolicName in its manifest",
                assertThrows(BundleJar.NotABundle.class, () -> BundleJar.read(f)).getMessage());
    }

    @Test
    void aBadVersionIsNamed() throws Exception {
        Path f = jar("my.plugin", "one.two");
        assertEquals("Bundle-Version 'one.two' is not a version",
                assertThrows(BundleJar.NotABundle.class, () -> BundleJar.read(f)).getMessage());
    }

    @Test
    void theIdentityDropsDirectivesAndNamesTheDeployFile() throws Exception {
        BundleJar b = BundleJar.read(jar("my.plugin;singleton:=true", "1.2.3.SNAPSHOT"));
        assertEquals("my.plugin", b.symbolicName());
        assertEquals("my.plugin-1.2.3.SNAPSHOT.jar", b.fileName());
    }

    @Test
    void scrFailureTracesBecomeOneLineWithTheDeepestCause() {
        String trace = "org.osgi.service.component.ComponentException: instantiation failed\n\tat a.B.c(B.java:1)\n"
                + "Caused by: java.lang.reflect.InvocationTargetException\n\tat x\nCaused by: java.lang.IllegalStateException: boom\n\tat y";
        assertEquals("org.osgi.service.component.ComponentException: instantiation failed; caused by java.lang.IllegalStateException: boom",
                Reasons.ofStackTrace(trace));
    }

    private Path jar(String symbolicName, String version) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        if (version != null) {
            m.getMainAttributes().putValue("Bundle-Version", version);
        }
        Path f = Files.createTempFile(dir, "b", ".jar");
        try (OutputStream out = Files.newOutputStream(f); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return f;
    }
}
