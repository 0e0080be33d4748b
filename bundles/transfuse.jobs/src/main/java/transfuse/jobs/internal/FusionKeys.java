package transfuse.jobs.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import transfuse.api.align.Aligner;
import transfuse.api.option.OptionDecl;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginHandle;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.FusionServices;

/**
 * The fusion options a job accepts: the engine's keys and every registered aligner's declared
 * options, read from the registry when asked, so an aligner deployed at run time brings its
 * options into {@code fuse --help} and into validation without this bundle naming it.
 */
public final class FusionKeys {
    /** The aligners registered now, lent for one call. */
    public interface AlignerSource {
        <R> R withAligners(Function<List<Aligner>, R> use);
    }

    private final AlignerSource aligners;

    public FusionKeys(AlignerSource aligners) {
        this.aligners = aligners;
    }

    /** The registry's aligners, each held only while the function runs. */
    public static FusionKeys of(PluginCatalog catalog) {
        return new FusionKeys(new AlignerSource() {
            @Override
            public <R> R withAligners(Function<List<Aligner>, R> use) {
                List<PluginHandle<Aligner>> handles = new ArrayList<>();
                try {
                    for (String name : catalog.names(Aligner.class)) {
                        handles.add(catalog.open(Aligner.class, name));
                    }
                    return use.apply(handles.stream().map(PluginHandle::get).toList());
                } finally {
                    handles.forEach(PluginHandle::close);
                }
            }
        });
    }

    /**
     * The engine's options, then each aligner's (by aligner name). A key two aligners share
     * ({@code heads}: ot and perm) is listed once, with each aligner's text and default and the
     * union of their choices; the chosen aligner checks the value against its own.
     */
    public List<OptionDecl> declarations() {
        Map<String, OptionDecl> all = new LinkedHashMap<>();
        for (OptionDecl d : FusionOptions.engineOptions()) {
            all.put(d.name(), d);
        }
        aligners.withAligners(list -> {
            FusionOptions.alignerOptions(list).forEach((aligner, options) -> {
                for (OptionDecl d : options) {
                    OptionDecl own = new OptionDecl(d.name(), d.type(), d.defaultValue(), aligner + ": " + d.doc(),
                            d.choices(), d.min(), d.max());
                    all.merge(d.name(), own, FusionKeys::shared);
                }
            });
            return null;
        });
        return List.copyOf(all.values());
    }

    /** One declaration for a key two aligners share: both texts, each with its default when they differ. */
    private static OptionDecl shared(OptionDecl first, OptionDecl second) {
        if (first.type() != second.type()) {
            return first; // not the same option after all: the first aligner's, as before
        }
        boolean sameDefault = Objects.equals(first.defaultValue(), second.defaultValue());
        String doc = sameDefault ? first.doc() + "; " + second.doc()
                : withDefault(first) + "; " + withDefault(second);
        List<String> choices = new ArrayList<>(first.choices());
        second.choices().stream().filter(c -> !choices.contains(c)).forEach(choices::add);
        return new OptionDecl(first.name(), first.type(), sameDefault ? first.defaultValue() : null, doc, choices,
                Math.max(first.min(), second.min()), Math.min(first.max(), second.max()));
    }

    private static String withDefault(OptionDecl d) {
        return d.defaultValue() == null ? d.doc() : d.doc() + " (default " + d.defaultValue() + ")";
    }

    /** Validated options: the method must name a registered aligner, every key must be its or the engine's. */
    public static FusionOptions parse(Map<String, ?> given, int models, FusionServices services) {
        return FusionOptions.parse(given, models, services::aligner);
    }
}
