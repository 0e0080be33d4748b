/**
 * Transformer building blocks on DJL NDArrays (PyTorch engine), shared by the architecture
 * bundles: functional layers over parameters keyed by HF tensor names, AdamW with warmup and
 * cosine decay, and a deterministic, resumable training loop. Inside OSGi, call into this package
 * through {@code DjlRuntime.call}; outside, initialize DJL once with {@code DjlRuntime.initialize}.
 */
@Export
@Version("2.4.0")
package transfuse.nn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
