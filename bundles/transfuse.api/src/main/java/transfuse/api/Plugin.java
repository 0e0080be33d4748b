package transfuse.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What every pluggable service (architecture, solver, aligner, initializer) tells the registry
 * about itself. The name is how users select it on the command line and over HTTP.
 */
@ConsumerType
public interface Plugin {
    /** Service property carrying {@link #name()}, so consumers can filter without activating. */
    String NAME_PROPERTY = "transfuse.name";

    /** Short unique name within its kind, e.g. {@code vit}, {@code emd}, {@code sinkhorn}. */
    String name();

    /** One line for {@code transfuse plugins}. */
    String description();
}
