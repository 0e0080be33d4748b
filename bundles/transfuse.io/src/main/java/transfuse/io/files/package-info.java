/**
 * Outputs written whole or not at all, the checks that an output can be written before any work
 * starts, and Transfuse's home directory.
 */
@Export
@Version("1.1.0")
package transfuse.io.files;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
