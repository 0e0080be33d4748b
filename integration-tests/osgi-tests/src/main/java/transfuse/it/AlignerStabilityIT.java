package transfuse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import transfuse.api.Plugin;
import transfuse.api.align.Aligner;

/** Deploying and removing an unrelated solver leaves the ot aligner running: same instance, no re-registration. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class AlignerStabilityIT {
    private static final String OT = "(" + Plugin.NAME_PROPERTY + "=ot)";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceComponentRuntime scr;

    @Test
    void aSolverComingAndGoingDoesNotReactivateTheOtAligner() throws Exception {
        ServiceReference<Aligner> ref = context.getServiceReferences(Aligner.class, OT).iterator().next();
        Aligner held = context.getService(ref); // keeps the delayed component active
        AtomicInteger otEvents = new AtomicInteger();
        ServiceListener listener = e -> {
            if (e.getType() != ServiceEvent.MODIFIED) {
                otEvents.incrementAndGet();
            }
        };
        context.addServiceListener(listener, "(&(objectClass=" + Aligner.class.getName() + ")" + OT + ")");
        try {
            long configuration = otConfiguration().id;
            Bundle solver = context.installBundle("reference:" + new File(context.getProperty("transfuse.it.plugin")).toURI());
            solver.start();
            try {
                assertTrue(Polling.waitFor(() -> boundSolvers().contains("nw-corner"), 5000) >= 0,
                        "the aligner sees the new solver: " + boundSolvers());
            } finally {
                solver.uninstall();
            }
            assertTrue(Polling.waitFor(() -> !boundSolvers().contains("nw-corner"), 5000) >= 0, "and sees it go");

            assertEquals(0, otEvents.get(), "the ot service was never unregistered or registered again");
            assertEquals(configuration, otConfiguration().id, "same component configuration");
            Aligner again = context.getService(ref);
            assertSame(held, again, "same aligner object");
            context.ungetService(ref);
        } finally {
            context.removeServiceListener(listener);
            context.ungetService(ref);
        }
    }

    private ComponentConfigurationDTO otConfiguration() {
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.name.equals("transfuse.fusion.align.OtAligner")).findFirst().orElseThrow();
        ComponentConfigurationDTO c = scr.getComponentConfigurationDTOs(description).iterator().next();
        assertNotNull(c);
        assertEquals(ComponentConfigurationDTO.ACTIVE, c.state, "ot is active while held");
        return c;
    }

    /** The solver names bound to the aligner's dynamic reference, from SCR's DTO. */
    private String boundSolvers() {
        return Arrays.stream(otConfiguration().satisfiedReferences)
                .filter(b -> b.name.equals("Solver"))
                .flatMap(b -> Arrays.stream(b.boundServices))
                .map(s -> String.valueOf(s.properties.get(Plugin.NAME_PROPERTY)))
                .toList().toString();
    }
}
