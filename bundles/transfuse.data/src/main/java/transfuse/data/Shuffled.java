package transfuse.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The fixed example order of the shuffled splits (java.util.Random's algorithm is specified, so this is portable). */
final class Shuffled {
    private Shuffled() {
    }

    static int[] order(int n, long seed) {
        List<Integer> idx = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }
}
