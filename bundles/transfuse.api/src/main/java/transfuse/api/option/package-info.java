/**
 * Declared options: what a job or an aligner accepts (name, type, default, one-line doc), and the
 * validated values of one request, read alike from command-line flags, a spec file or an HTTP body.
 */
@Export
@Version("1.0.0")
package transfuse.api.option;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
