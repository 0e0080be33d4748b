package transfuse.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import transfuse.core.PluginCatalog;

/** FileInstall hot deployment: a jar copied into the deploy folder registers its plugin within 5 s. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HotDeployIT {
    /** The bound for a dropped-in plugin to appear (and to disappear once deleted). */
    static final long LIMIT_MS = 5000;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    PluginCatalog catalog;

    @Test
    void droppedJarAppearsAndDeletedJarDisappears() throws Exception {
        Path jar = Path.of(context.getProperty("transfuse.it.plugin"));
        Path deploy = Path.of(context.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(deploy);
        Path target = deploy.resolve("nw-corner-plugin.jar");
        Path temp = deploy.resolve("nw-corner-plugin.jar.part");
        // Copy then rename, as users should: FileInstall must never see a half-written jar.
        Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        try {
            long appeared = Polling.waitFor(this::listed, LIMIT_MS);
            assertTrue(appeared >= 0, "deployed plugin not listed within " + LIMIT_MS + " ms");
            System.out.println("hot deploy: nw-corner listed " + appeared + " ms after the jar landed");
        } finally {
            Files.deleteIfExists(target);
        }
        long vanished = Polling.waitFor(() -> !listed(), LIMIT_MS);
        assertTrue(vanished >= 0, "removed plugin still listed after " + LIMIT_MS + " ms");
        System.out.println("hot deploy: nw-corner gone " + vanished + " ms after the jar was deleted");
    }

    private boolean listed() {
        return catalog.list().stream().anyMatch(p -> p.name().equals("nw-corner") && p.bundle().equals("transfuse.testplugin"));
    }
}
