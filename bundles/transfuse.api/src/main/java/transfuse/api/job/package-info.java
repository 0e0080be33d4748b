/**
 * Jobs: the work behind every command (fuse, train, eval, ...), run alike by the command line and
 * the server. A job kind is a service; a plugin can add one.
 */
@Export
@Version("1.0.0")
package transfuse.api.job;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
