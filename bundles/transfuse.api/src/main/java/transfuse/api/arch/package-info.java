@Export
@Version("2.1.0")
package transfuse.api.arch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
