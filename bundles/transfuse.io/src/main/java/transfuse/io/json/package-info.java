/** The one JSON reader and writer of Transfuse: results, reports, command-line output, HTTP bodies. */
@Export
@Version("1.0.0")
package transfuse.io.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
