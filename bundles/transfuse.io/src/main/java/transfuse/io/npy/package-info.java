/**
 * NumPy's {@code .npy} format: little-endian, C-order arrays, read into and written from
 * {@link transfuse.api.tensor.Tensor}s by {@link transfuse.io.npy.Npy}.
 */
@Export
@Version("1.0.0")
package transfuse.io.npy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
