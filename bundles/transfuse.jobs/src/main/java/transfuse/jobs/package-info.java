/**
 * What front ends share to run jobs: the registry-backed part of a {@link transfuse.api.job.JobContext}
 * (plugins, data sets, cancellation) and the one way a raw key/value map becomes a validated spec and a
 * run. The job kinds themselves are services of this bundle's private packages.
 */
@Export
@Version("1.0.0")
package transfuse.jobs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
