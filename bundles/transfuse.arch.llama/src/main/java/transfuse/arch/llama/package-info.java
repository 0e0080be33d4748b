/**
 * The Llama decoder in HF layout ({@code LlamaForCausalLM}: RMSNorm, rotary position embeddings,
 * grouped-query attention, SwiGLU MLP, no biases), registered as the {@code llama}
 * {@link transfuse.api.arch.Architecture}; causal language modelling on text data sets.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package transfuse.arch.llama;
