package transfuse.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders a catalog listing and reports duplicate names within a kind.
 */
final class PluginListing {
    private PluginListing() {
    }

    /**
     * Sorted by kind then name; entries sharing a kind and name are flagged as duplicates and keep
     * their incoming order, which callers give as {@link PluginCatalog#open}'s preference.
     */
    static List<PluginInfo> ordered(List<PluginInfo> preferredFirst) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (PluginInfo p : preferredFirst) {
            counts.merge(key(p), 1, Integer::sum);
        }
        List<PluginInfo> out = new ArrayList<>();
        for (PluginInfo p : preferredFirst) {
            out.add(counts.get(key(p)) > 1 ? p.asDuplicate() : p);
        }
        // A stable sort: duplicates stay in preference order.
        out.sort(Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::name));
        return out;
    }

    /** One line per name that several plugins of one kind share, naming the one in use. */
    static List<String> duplicates(List<PluginInfo> ordered) {
        Map<String, List<PluginInfo>> byName = new LinkedHashMap<>();
        for (PluginInfo p : ordered) {
            if (p.duplicate()) {
                byName.computeIfAbsent(key(p), k -> new ArrayList<>()).add(p);
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<PluginInfo> same : byName.values()) {
            PluginInfo used = same.get(0);
            List<String> others = same.subList(1, same.size()).stream().map(p -> p.bundle() + " " + p.version()).toList();
            lines.add("duplicate " + used.kind().label() + " name '" + used.name() + "': " + used.bundle() + " "
                    + used.version() + " is used (highest ranking, then oldest); ignored: " + String.join(", ", others));
        }
        return lines;
    }

    private static String key(PluginInfo p) {
        return p.kind().label() + "\u0000" + p.name();
    }
}
