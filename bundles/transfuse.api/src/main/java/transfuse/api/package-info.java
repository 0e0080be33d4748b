/** Contracts shared by every Transfuse bundle; no implementation lives here. */
@Export
@Version("1.0.0")
package transfuse.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
