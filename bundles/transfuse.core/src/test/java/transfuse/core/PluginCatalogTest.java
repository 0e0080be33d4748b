package transfuse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import transfuse.api.align.Aligner;
import transfuse.api.solver.TransportSolver;

class PluginCatalogTest {
    /** A solver with a fixed name and description; only the catalog's calls matter here. */
    private static TransportSolver solver(String name, String description) {
        return (TransportSolver) java.lang.reflect.Proxy.newProxyInstance(PluginCatalogTest.class.getClassLoader(),
                new Class<?>[] {TransportSolver.class}, (self, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "description" -> {
                        if (description == null) {
                            throw new IllegalStateException("description\nnot ready");
                        }
                        yield description;
                    }
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> method.getName();
                });
    }

    private static TransportSolver throwingName() {
        return (TransportSolver) java.lang.reflect.Proxy.newProxyInstance(PluginCatalogTest.class.getClassLoader(),
                new Class<?>[] {TransportSolver.class}, (self, method, args) -> {
                    throw new NoClassDefFoundError("gone/Helper");
                });
    }

    @Test
    void aThrowingDescriptionIsListedWithItsErrorAndTheOthersStillWork() {
        FakeRegistry registry = new FakeRegistry()
                .register(TransportSolver.class, "emd", 0, solver("emd", "exact"), "solvers")
                .register(TransportSolver.class, "flaky", 0, solver("flaky", null), "bad.plugin");
        List<PluginInfo> list = new PluginCatalog(registry.context()).list();

        assertEquals(List.of("emd", "flaky"), list.stream().map(PluginInfo::name).toList());
        assertNull(list.get(0).error());
        PluginInfo flaky = list.get(1);
        assertEquals(PluginKind.SOLVER, flaky.kind());
        assertEquals("java.lang.IllegalStateException: description not ready", flaky.error(), "one line");
        assertEquals("java.lang.IllegalStateException: description not ready", flaky.toJson().get("error"));
        assertEquals("bad.plugin", flaky.bundle());
    }

    @Test
    void aPluginWhoseEveryMethodThrowsAnErrorIsNamedFromItsServiceProperty() {
        FakeRegistry registry = new FakeRegistry().register(TransportSolver.class, "lost", 0, throwingName(), "bad.plugin");
        PluginInfo lost = new PluginCatalog(registry.context()).list().get(0);
        assertEquals("lost", lost.name());
        assertEquals("java.lang.NoClassDefFoundError: gone/Helper", lost.error());
    }

    @Test
    void aComponentThatFailsToActivateIsListedAsBroken() {
        FakeRegistry registry = new FakeRegistry().register(Aligner.class, "ot", 0, null, "fusion");
        PluginCatalog catalog = new PluginCatalog(registry.context());
        PluginInfo ot = catalog.list().get(0);
        assertEquals(PluginKind.ALIGNER, ot.kind());
        assertEquals("its component failed to activate", ot.error());
        assertEquals(List.of(), catalog.problems(), "problems() reports names only (component failures are SCR's to report)");
    }

    @Test
    void duplicateNamesAreFlaggedReportedAndOpenPrefersHighestRankingThenOldest() {
        TransportSolver oldest = solver("emd", "first");
        TransportSolver newer = solver("emd", "second");
        TransportSolver ranked = solver("emd", "ranked");
        FakeRegistry registry = new FakeRegistry()
                .register(TransportSolver.class, "emd", 0, oldest, "solvers")
                .register(TransportSolver.class, "emd", 0, newer, "copycat")
                .register(TransportSolver.class, "sinkhorn", 0, solver("sinkhorn", "entropic"), "solvers");
        PluginCatalog catalog = new PluginCatalog(registry.context());

        List<PluginInfo> list = catalog.list();
        assertEquals(List.of(true, true, false), list.stream().map(PluginInfo::duplicate).toList());
        assertEquals(List.of("first", "second", "entropic"), list.stream().map(PluginInfo::description).toList(),
                "duplicates are listed in the order open() prefers them");
        assertEquals(true, list.get(0).toJson().get("duplicate"));
        assertFalse(list.get(2).toJson().containsKey("duplicate"));
        assertEquals(List.of("duplicate solver name 'emd': solvers 1.0.0 is used (highest ranking, then oldest); ignored: copycat 1.0.0"),
                catalog.problems());
        try (PluginHandle<TransportSolver> h = catalog.open(TransportSolver.class, "emd")) {
            assertSame(oldest, h.get(), "equal rankings: the oldest registration wins");
        }

        registry.register(TransportSolver.class, "emd", 5, ranked, "ranked");
        try (PluginHandle<TransportSolver> h = new PluginCatalog(registry.context()).open(TransportSolver.class, "emd")) {
            assertSame(ranked, h.get(), "a higher ranking wins over age");
        }
    }

    @Test
    void openSkipsACandidateWhoseComponentFailed() {
        TransportSolver working = solver("emd", "works");
        FakeRegistry registry = new FakeRegistry()
                .register(TransportSolver.class, "emd", 9, null, "broken")
                .register(TransportSolver.class, "emd", 0, working, "solvers");
        try (PluginHandle<TransportSolver> h = new PluginCatalog(registry.context()).open(TransportSolver.class, "emd")) {
            assertSame(working, h.get());
        }
        assertTrue(new PluginCatalog(registry.context()).list().get(0).duplicate());
    }
}
