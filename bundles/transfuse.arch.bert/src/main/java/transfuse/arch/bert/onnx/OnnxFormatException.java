package transfuse.arch.bert.onnx;

/** The bytes are not a well-formed ONNX model; the importer adds the file name. */
final class OnnxFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OnnxFormatException(String message) {
        super(message);
    }
}
