/**
 * HuggingFace model directories: {@code config.json} as a
 * {@link transfuse.api.model.ModelConfig} ({@link transfuse.io.config.ConfigJson}), the
 * directory itself ({@link transfuse.io.config.ModelDir}) and the {@code inspect} report
 * ({@link transfuse.io.config.ModelInspection}).
 */
@Export
@Version("1.0.0")
package transfuse.io.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
