@Export
@Version("1.1.0")
package transfuse.api.solver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
