/**
 * The ViT architecture in HF {@code ViTForImageClassification} layout (pre-LN, exact GELU, CLS
 * token classifier), registered as the {@code vit} {@link transfuse.api.arch.Architecture}.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package transfuse.arch.vit;
