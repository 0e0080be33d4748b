/**
 * Bundle management of the server: the {@link transfuse.server.bundles.BundleRegistry} service behind
 * {@code /api/bundles} and the problems of {@code /api/health}. Exported so tests and tools can use
 * the service; everything but the interface and its DS component is package-private.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package transfuse.server.bundles;
