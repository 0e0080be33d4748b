package transfuse.server.bundles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Components that SCR could not activate, read from its runtime DTOs: a constructor or activate
 * method that threw (FAILED_ACTIVATION with SCR's failure text) for every bundle, and, for deployed
 * bundles, components waiting for a service nobody provides.
 */
final class ComponentFailures {
    private final ServiceComponentRuntime scr;

    ComponentFailures(ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    /** Lines per bundle id; {@code deployed} says which bundles also get unsatisfied references reported. */
    Map<Long, List<String>> byBundle(LongPredicate deployed) {
        Map<Long, List<String>> lines = new LinkedHashMap<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                String line = describe(d, c, deployed.test(d.bundle.id));
                if (line != null) {
                    lines.computeIfAbsent(d.bundle.id, id -> new ArrayList<>()).add(line);
                }
            }
        }
        return lines;
    }

    private static String describe(ComponentDescriptionDTO d, ComponentConfigurationDTO c, boolean deployed) {
        if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
            return "component " + d.name + " failed to activate: " + Reasons.ofStackTrace(c.failure);
        }
        if (deployed && c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
            List<String> missing = new ArrayList<>();
            for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                missing.add(interfaceOf(d, r.name) + (r.target == null ? "" : " " + r.target));
            }
            return "component " + d.name + " waits for services nobody provides: " + String.join(", ", missing);
        }
        return null;
    }

    private static String interfaceOf(ComponentDescriptionDTO d, String reference) {
        for (ReferenceDTO r : d.references) {
            if (r.name.equals(reference)) {
                return r.interfaceName;
            }
        }
        return reference;
    }
}
