/** A hand-written ONNX protobuf reader and the BERT ONNX importer (private to the bundle). */
@org.osgi.annotation.versioning.Version("1.0.0")
package transfuse.arch.bert.onnx;
