/** DJL inside OSGi: the initialized PyTorch engine and the class-loader switch around DJL calls. */
@org.osgi.annotation.versioning.Version("2.0.0")
package transfuse.djl;
