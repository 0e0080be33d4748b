package transfuse.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import transfuse.api.data.Split;

/** The King James Bible, one verse per example, reference prefix removed; every 10th verse is test. */
final class Kjv {
    static final String NAME = "kjv";
    static final String ATTRIBUTION = "King James Bible via Debian bible-kjv-text 4.38, public domain";

    private Kjv() {
    }

    static TextSet load(DataSource source, Split split) throws IOException {
        List<String> texts = new ArrayList<>();
        try (InputStream in = source.open("kjv.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int index = 0;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                boolean test = index % 10 == 9;
                index++;
                if (test == (split == Split.TEST)) {
                    texts.add(stripReference(line));
                }
            }
        }
        return new TextSet(NAME, split, texts, null, texts.size(), List.of(), ATTRIBUTION);
    }

    /** "Ge1:1 In the beginning ..." -> "In the beginning ...". */
    static String stripReference(String line) {
        int space = line.indexOf(' ');
        return space > 0 && line.substring(0, space).contains(":") ? line.substring(space + 1).strip() : line.strip();
    }
}
