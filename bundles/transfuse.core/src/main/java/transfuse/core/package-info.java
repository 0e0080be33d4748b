/** Runtime services shared by the command line and the server. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package transfuse.core;
