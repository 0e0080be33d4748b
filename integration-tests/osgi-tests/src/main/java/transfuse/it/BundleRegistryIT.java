package transfuse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import transfuse.core.PluginCatalog;
import transfuse.core.PluginInfo;
import transfuse.it.plugins.ThrowingConstructorSolver;
import transfuse.it.plugins.ThrowingDescriptionSolver;
import transfuse.server.bundles.BundleRegistry;

/**
 * Bundle management through the server's {@link BundleRegistry} with the real FileInstall: uploads
 * that work, that are refused (400, 409, 413, 422) and leave nothing behind, removals (404, 403), and
 * failures that show as problems, in server.log and on the bundle.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class BundleRegistryIT {
    private static final long MAX = 10 * 1024 * 1024;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10000)
    BundleRegistry registry;

    @InjectService
    PluginCatalog catalog;

    @Test
    void aGoodPluginInstallsIntoDeployRegistersItsServicesAndUninstallsCleanly() throws Exception {
        byte[] jar = Files.readAllBytes(Path.of(context.getProperty("transfuse.it.plugin")));
        Map<String, Object> installed = registry.install(new ByteArrayInputStream(jar), MAX);
        long id = ((Number) installed.get("id")).longValue();
        Path stored = deploy().resolve("transfuse.testplugin-0.1.0.SNAPSHOT.jar");
        try {
            assertEquals("transfuse.testplugin", installed.get("symbolic_name"));
            assertEquals("active", installed.get("state"));
            assertTrue(Files.isRegularFile(stored), "stored in deploy as <bsn>-<version>.jar");
            assertTrue(Polling.waitFor(() -> names().contains("nw-corner"), 5000) >= 0, "its solver is registered");
            assertTrue(registry.list().stream().anyMatch(b -> b.get("id").equals(id)), "listed");

            assertEquals(409, status(() -> registry.install(new ByteArrayInputStream(jar), MAX)),
                    "the same symbolic name and version again is refused");
            // FileInstall's next polls leave the API's bundle alone: same bundle, never restarted.
            long modified = context.getBundle(id).getLastModified();
            Thread.sleep(1500);
            assertEquals(modified, context.getBundle(id).getLastModified(), "FileInstall did not update the bundle");
        } finally {
            Map<String, Object> removed = registry.uninstall(id);
            assertEquals(id, ((Number) removed.get("id")).longValue());
        }
        assertFalse(Files.exists(stored), "its jar left deploy");
        assertEquals(null, context.getBundle(id), "uninstalled");
        assertFalse(names().contains("nw-corner"), "its solver is gone");
    }

    @Test
    void randomBytesAreRefusedWith400AndLeaveNothingBehind() throws Exception {
        List<Path> before = deployJars();
        int status = status(() -> registry.install(new ByteArrayInputStream(TestJars.randomBytes(4096)), MAX));
        assertEquals(400, status);
        String message = message(() -> registry.install(new ByteArrayInputStream(TestJars.randomBytes(4096)), MAX));
        assertTrue(message.startsWith("not an OSGi bundle: "), message);
        assertEquals(before, deployJars());
    }

    @Test
    void anUploadPastTheLimitIs413() throws Exception {
        assertEquals(413, status(() -> registry.install(new ByteArrayInputStream(new byte[2048]), 1024)));
    }

    @Test
    void anUnresolvableImportIs422NamingThePackageAndLeavesNothingBehind() throws Exception {
        List<Path> before = deployJars();
        byte[] jar = TestJars.unresolvable("transfuse.it.unresolvable", "transfuse.it.nosuchpackage");
        String message = message(() -> registry.install(new ByteArrayInputStream(jar), MAX));
        assertTrue(message.contains("transfuse.it.nosuchpackage"), message);
        assertEquals(422, status(() -> registry.install(new ByteArrayInputStream(jar), MAX)));
        assertEquals(before, deployJars(), "the jar was deleted from deploy");
        assertTrue(registry.list().stream().noneMatch(b -> "transfuse.it.unresolvable".equals(b.get("symbolic_name"))),
                "the bundle was uninstalled");
    }

    @Test
    void aComponentWhoseConstructorThrowsIsAProblemInTheListAndInServerLog() throws Exception {
        byte[] jar = TestJars.solverPlugin("transfuse.it.throwingctor", ThrowingConstructorSolver.class, "throwing-constructor");
        Map<String, Object> installed = registry.install(new ByteArrayInputStream(jar), MAX);
        long id = ((Number) installed.get("id")).longValue();
        try {
            assertEquals("active", installed.get("state"), "the bundle itself starts");
            String error = String.valueOf(installed.get("error"));
            assertTrue(error.contains("failed to activate") && error.contains(ThrowingConstructorSolver.MESSAGE), error);
            assertTrue(registry.problems().stream().anyMatch(p -> p.contains("transfuse.it.throwingctor")
                    && p.contains(ThrowingConstructorSolver.MESSAGE)), String.valueOf(registry.problems()));
            assertTrue(Polling.waitFor(() -> serverLog().contains(ThrowingConstructorSolver.MESSAGE), 6000) >= 0,
                    "the failure reaches server.log");
            PluginInfo broken = plugin("throwing-constructor").orElseThrow();
            assertNotNull(broken.error(), "the catalog lists it as broken");
        } finally {
            registry.uninstall(id);
        }
        assertTrue(registry.problems().stream().noneMatch(p -> p.contains("transfuse.it.throwingctor")), "gone with its bundle");
    }

    @Test
    void aPluginWhoseDescriptionThrowsKeepsTheCatalogListing() throws Exception {
        byte[] jar = TestJars.solverPlugin("transfuse.it.throwingdescription", ThrowingDescriptionSolver.class, "throwing-description");
        long id = ((Number) registry.install(new ByteArrayInputStream(jar), MAX).get("id")).longValue();
        try {
            PluginInfo broken = plugin("throwing-description").orElseThrow();
            assertTrue(broken.error().contains(ThrowingDescriptionSolver.MESSAGE), broken.error());
            assertTrue(catalog.list().size() > 1, "the other plugins are still listed");
        } finally {
            registry.uninstall(id);
        }
    }

    @Test
    void removalIs404ForUnknownAnd403ForTheRuntimesOwnBundles() throws Exception {
        assertEquals(404, status(() -> registry.uninstall(999_999)));
        assertEquals(403, status(() -> registry.uninstall(0)), "the framework");
        long server = context.getServiceReference(BundleRegistry.class).getBundle().getBundleId();
        assertEquals(403, status(() -> registry.uninstall(server)), "the server bundle");
        assertEquals("active", registry.list().stream().filter(b -> b.get("id").equals(server)).findFirst().orElseThrow().get("state"));
    }

    @Test
    void aRandomBytesJarDroppedIntoDeployIsReportedNotIgnored() throws Exception {
        Path temp = deploy().resolveSibling("garbage.jar.part");
        Path dropped = deploy().resolve("garbage.jar");
        Files.write(temp, TestJars.randomBytes(1000));
        Files.move(temp, dropped, StandardCopyOption.ATOMIC_MOVE);
        try {
            assertTrue(Polling.waitFor(() -> registry.problems().stream()
                    .anyMatch(p -> p.startsWith("deploy/garbage.jar: not an OSGi bundle: not a jar")), 8000) >= 0,
                    String.valueOf(registry.problems()));
            assertTrue(Polling.waitFor(() -> serverLog().contains("deploy/garbage.jar: not an OSGi bundle"), 5000) >= 0,
                    "logged to server.log");
        } finally {
            Files.deleteIfExists(dropped);
        }
        assertTrue(registry.problems().stream().noneMatch(p -> p.contains("garbage.jar")), "gone with the file");
    }

    private Optional<PluginInfo> plugin(String name) {
        return catalog.list().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private List<String> names() {
        return catalog.list().stream().map(PluginInfo::name).toList();
    }

    private Path deploy() {
        return Path.of(context.getProperty("felix.fileinstall.dir"));
    }

    private List<Path> deployJars() throws Exception {
        try (var files = Files.list(deploy())) {
            return files.sorted().toList();
        }
    }

    private String serverLog() {
        try {
            return Files.readString(Path.of(context.getProperty("transfuse.home"), "logs", "server.log"));
        } catch (Exception e) {
            return "";
        }
    }

    /** The HTTP status of the server's HttpProblem (not exported: read reflectively). */
    private static int status(Runnable call) throws Exception {
        RuntimeException e = assertThrows(RuntimeException.class, call::run);
        assertEquals("HttpProblem", e.getClass().getSimpleName(), () -> "unexpected " + e);
        return (Integer) e.getClass().getMethod("status").invoke(e);
    }

    private static String message(Runnable call) {
        return assertThrows(RuntimeException.class, call::run).getMessage();
    }
}
