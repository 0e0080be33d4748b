/**
 * Data sets by contract name ({@code fashion-mnist}, {@code digits}, {@code sentiment},
 * {@code kjv}): the engine and the command line ask a {@link transfuse.api.data.DatasetProvider}
 * for them and never name the bundle that ships the data.
 */
@Export
@Version("1.0.0")
package transfuse.api.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
