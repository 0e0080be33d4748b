/** DJL inside OSGi: the initialised PyTorch engine and the class-loader switch around DJL calls. */
@org.osgi.annotation.versioning.Version("1.0.0")
package transfuse.djl;
