/**
 * HuggingFace {@code tokenizer.json} files for the text architecture bundles: finding a config's
 * tokenizer (beside its config.json, else a vocabulary the calling bundle carries in its own
 * resources) and running it through DJL's tokenizers. Inside OSGi, load and encode through
 * {@code DjlRuntime.call}.
 */
@Export
@Version("1.0.0")
package transfuse.nn.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
