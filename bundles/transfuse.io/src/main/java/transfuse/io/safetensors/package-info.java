/**
 * The safetensors format: {@link transfuse.io.safetensors.SafetensorsReader} maps tensors from
 * a file lazily, {@link transfuse.io.safetensors.SafetensorsWriter} streams tensors into a file
 * and replaces the target atomically.
 */
@Export
@Version("1.0.0")
package transfuse.io.safetensors;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
