@Export
@Version("1.2.0")
package transfuse.api.align;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
