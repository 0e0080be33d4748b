package transfuse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import transfuse.api.TransfuseException;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginHandle;
import transfuse.core.PluginInfo;
import transfuse.core.PluginKind;

/** A solver bundle built apart from the runtime appears when installed and disappears when removed. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class PluginLifecycleIT {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    PluginCatalog catalog;

    @Test
    void installedSolverIsListedUsableByNameAndGoneAfterUninstall() throws Exception {
        File jar = new File(context.getProperty("transfuse.it.plugin"));
        assertTrue(jar.isFile(), "test plugin jar missing: " + jar);
        assertFalse(listed(), "nw-corner must not be registered before the test installs it");

        Bundle plugin = context.installBundle("reference:" + jar.toURI());
        plugin.start();
        try {
            assertTrue(Polling.waitFor(this::listed, 5000) >= 0, "nw-corner not listed after start");
            PluginInfo info = catalog.list().stream().filter(p -> p.name().equals("nw-corner")).findFirst().orElseThrow();
            assertEquals(PluginKind.SOLVER, info.kind());
            assertEquals("transfuse.testplugin", info.bundle());

            // Used by name through the catalog, like the engine and the CLI do.
            try (PluginHandle<TransportSolver> solver = catalog.open(TransportSolver.class, "nw-corner")) {
                double[] cost = {1, 2, 3, 4, 5, 6};
                TransportProblem p = new TransportProblem(2, 3, cost, new double[] {0.5, 0.5}, new double[] {0.2, 0.3, 0.5});
                TransportResult r = solver.get().solve(p, SolverOptions.DEFAULTS, (t, d, n, m) -> { });
                // North-west corner: rows fill left to right; marginals hold exactly.
                assertEquals(0.5, r.plan()[0] + r.plan()[1] + r.plan()[2], 1e-15);
                assertEquals(0.5, r.plan()[3] + r.plan()[4] + r.plan()[5], 1e-15);
                assertEquals(0.2, r.plan()[0] + r.plan()[3], 1e-15);
            }
        } finally {
            plugin.uninstall();
        }
        assertTrue(Polling.waitFor(() -> !listed(), 5000) >= 0, "nw-corner still listed after uninstall");
        TransfuseException gone = assertThrows(TransfuseException.class, () -> catalog.open(TransportSolver.class, "nw-corner"));
        assertTrue(gone.getMessage().contains("unknown solver 'nw-corner'"), gone.getMessage());
    }

    private boolean listed() {
        return catalog.list().stream().anyMatch(p -> p.name().equals("nw-corner"));
    }
}
