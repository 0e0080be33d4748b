package transfuse.api.data;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens data sets by contract name. A spec is {@code NAME}, {@code NAME:N} (the first N examples
 * of the split), or a filesystem path to the full data (e.g. the directory holding Fashion-MNIST's
 * four IDX files) optionally followed by {@code :N}; a path is recognised by its containing a
 * {@code /} or naming an existing file.
 */
@ProviderType
public interface DatasetProvider {
    /** The contract names this provider serves. */
    Set<String> names();

    /**
     * @throws transfuse.api.TransfuseException for an unknown name, a missing or malformed file,
     *         a bad {@code :N}, or an empty result; the message names the spec
     */
    Dataset open(String spec, Split split);
}
