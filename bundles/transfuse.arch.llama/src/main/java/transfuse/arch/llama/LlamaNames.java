package transfuse.arch.llama;

/** HF Llama tensor names ({@code LlamaForCausalLM}: the body under {@code model.}, the head {@code lm_head}). */
final class LlamaNames {
    static final String EMBED = "model.embed_tokens.weight";
    static final String NORM = "model.norm.weight";
    static final String LM_HEAD = "lm_head.weight";

    private LlamaNames() {
    }

    static String layer(int i) {
        return "model.layers." + i;
    }

    /** The tensors of decoder layer i. */
    record Layer(String inputNorm, String q, String k, String v, String o, String postNorm, String gate, String up,
                 String down) {
        static Layer of(int i) {
            String l = layer(i);
            return new Layer(l + ".input_layernorm.weight", l + ".self_attn.q_proj.weight",
                    l + ".self_attn.k_proj.weight", l + ".self_attn.v_proj.weight", l + ".self_attn.o_proj.weight",
                    l + ".post_attention_layernorm.weight", l + ".mlp.gate_proj.weight", l + ".mlp.up_proj.weight",
                    l + ".mlp.down_proj.weight");
        }
    }
}
