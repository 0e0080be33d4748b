/**
 * The BERT architecture in HF layout ({@code BertModel}, {@code BertForMaskedLM},
 * {@code BertForSequenceClassification}; post-LN, exact GELU), registered as the {@code bert}
 * {@link transfuse.api.arch.Architecture}, with ONNX import of pretrained encoders.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package transfuse.arch.bert;
