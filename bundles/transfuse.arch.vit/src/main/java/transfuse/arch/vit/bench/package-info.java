/**
 * The training-throughput benchmark of the reference ViT (docs/vit.md), for the command line:
 * {@link transfuse.arch.vit.bench.TrainThroughput#measure(transfuse.djl.DjlRuntime, int, int)} times one run in
 * this JVM; {@code main} runs several fresh JVMs and prints the table.
 */
@Export
@Version("1.0.0")
package transfuse.arch.vit.bench;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
