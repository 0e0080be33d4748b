/**
 * Stage-wise weight-sharing learngenes: the {@link transfuse.init.sws.Learngene} format shared by
 * the {@code learngene} and {@code grow} jobs, and the default {@link transfuse.init.sws.LayerSchedule}
 * of a descendant. See docs/sws.md.
 */
@Export
@Version("1.0.0")
package transfuse.init.sws;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
