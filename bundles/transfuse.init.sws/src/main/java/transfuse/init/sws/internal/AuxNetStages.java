package transfuse.init.sws.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import transfuse.api.TransfuseException;

/**
 * The stages of an SWS Aux-Net: {@code lengths[s]} consecutive layers share stage s's block. The
 * first layer of each stage holds the shared parameters (the representative).
 */
record AuxNetStages(int[] lengths) {
    /** The official SWS split: 16 layers in 5 stages. */
    static final String DEFAULT = "3,3,4,3,3";

    /**
     * Parses items that are whole numbers or comma-separated lists of them.
     *
     * @throws TransfuseException naming {@code key} when an entry is not a positive whole number
     */
    static AuxNetStages parse(List<String> items, String key) {
        List<Integer> out = new ArrayList<>();
        for (String item : items) {
            for (String part : item.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int n;
                try {
                    n = Integer.parseInt(part.strip());
                } catch (NumberFormatException e) {
                    throw new TransfuseException(key + ": '" + part.strip() + "' is not a whole number of layers");
                }
                if (n < 1) {
                    throw new TransfuseException(key + ": every stage needs at least one layer, got " + n);
                }
                out.add(n);
            }
        }
        if (out.isEmpty()) {
            throw new TransfuseException(key + ": at least one stage is needed");
        }
        return new AuxNetStages(out.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The Aux-Net's depth: the sum of the stage lengths. */
    int depth() {
        return Arrays.stream(lengths).sum();
    }

    /** For each Aux-Net layer, the representative layer whose parameters it uses. */
    int[] sharedLayers() {
        int[] out = new int[depth()];
        int i = 0;
        for (int length : lengths) {
            int first = i;
            for (int k = 0; k < length; k++) {
                out[i++] = first;
            }
        }
        return out;
    }

    /** For each stage, its representative layer in the Aux-Net (the learngene's layer s comes from it). */
    int[] representatives() {
        int[] out = new int[lengths.length];
        int first = 0;
        for (int s = 0; s < lengths.length; s++) {
            out[s] = first;
            first += lengths[s];
        }
        return out;
    }

    /** The stage model's own schedule back to the Aux-Net: stage s repeated {@code lengths[s]} times. */
    int[] schedule() {
        int[] out = new int[depth()];
        int i = 0;
        for (int s = 0; s < lengths.length; s++) {
            for (int k = 0; k < lengths[s]; k++) {
                out[i++] = s;
            }
        }
        return out;
    }

    /**
     * For each Aux-Net layer, the layer of an ancestor of depth L its stage starts from: stage s
     * of S takes layer {@code floor((s + 1/2) · L / S)}, evenly spaced over the ancestor.
     */
    int[] ancestorLayers(int ancestorDepth) {
        int[] schedule = schedule();
        int[] out = new int[schedule.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) ((2L * schedule[i] + 1) * ancestorDepth / (2L * lengths.length));
        }
        return out;
    }

    List<Integer> asList() {
        return Arrays.stream(lengths).boxed().toList();
    }
}
