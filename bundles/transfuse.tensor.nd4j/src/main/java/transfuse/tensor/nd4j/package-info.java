/** ND4J inside OSGi: the initialized runtime and conversions to and from the API's Tensor. */
@org.osgi.annotation.versioning.Version("2.0.0")
package transfuse.tensor.nd4j;
