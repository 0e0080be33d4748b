/** The bundled data sets and their loaders; consumers use {@link transfuse.api.data.DatasetProvider}. */
@org.osgi.annotation.versioning.Version("1.0.0")
package transfuse.data;
