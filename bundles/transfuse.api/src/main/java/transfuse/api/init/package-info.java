@Export
@Version("1.1.0")
package transfuse.api.init;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
