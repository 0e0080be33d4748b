/** Spec files: a job's keys as flat YAML, read into the same key/value map as command-line flags. */
@Export
@Version("1.0.0")
package transfuse.io.spec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
