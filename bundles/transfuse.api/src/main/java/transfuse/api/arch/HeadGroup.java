package transfuse.api.arch;

import java.util.List;

/**
 * Headed spaces whose heads must move together: attention head h reads q_h, k_h and v_h as one
 * unit, so a function-preserving map permutes the heads of every space in the group by one
 * common head permutation (the map inside each head may differ per space and per head).
 *
 * @param name   e.g. {@code layer.3.attn}
 * @param heads  number of heads of every member space
 * @param spaces the member spaces, e.g. {@code layer.3.attn.qk} and {@code layer.3.attn.v}
 */
public record HeadGroup(String name, int heads, List<String> spaces) {
    public HeadGroup {
        spaces = List.copyOf(spaces);
    }
}
