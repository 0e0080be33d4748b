@Export
@Version("2.2.0")
package transfuse.api.arch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
