/**
 * What transformer architectures declare alike, as pure data with no tensor library: an encoder
 * layer's neuron spaces, joins and taps, the axis spaces of linear and LayerNorm parameters, the
 * attention head groups, and checked reads of HF config fields. The computation on DJL NDArrays
 * lives in {@code transfuse.nn}; this package is for any bundle that declares a model, DJL-bound
 * or not (docs/architecture.md).
 */
@Export
@Version("1.1.0")
package transfuse.arch.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
