/** Benchmarks as plugins: measured by the command line in fresh JVMs, summarised by median. */
@Export
@Version("1.0.0")
package transfuse.api.bench;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
