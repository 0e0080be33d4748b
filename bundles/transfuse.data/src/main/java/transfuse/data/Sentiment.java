package transfuse.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import transfuse.api.TransfuseException;
import transfuse.api.data.Split;

/** UCI Sentiment Labelled Sentences: amazon, imdb, yelp together; 80/20 split after a fixed shuffle. */
final class Sentiment {
    static final String NAME = "sentiment";
    static final long SHUFFLE_SEED = 2015;
    static final List<String> FILES = List.of("amazon.json", "imdb.json", "yelp.json");
    static final List<String> CLASSES = List.of("negative", "positive");
    static final String ATTRIBUTION = "UCI Sentiment Labelled Sentences (Kotzias et al. 2015), CC BY 4.0;"
            + " JSON from npm package sentiment 5.0.2, MIT";

    private Sentiment() {
    }

    static TextSet load(DataSource source, Split split) throws IOException {
        List<SentenceJson.Sentence> all = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = source.open(file)) {
                String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (SentenceJson.Sentence s : SentenceJson.parse(json, source.describe() + "/" + file)) {
                    if (s.label() == null && s.text().isEmpty()) {
                        continue; // each upstream file ends with an empty placeholder entry
                    }
                    if (s.label() == null || s.label() != 0 && s.label() != 1) {
                        throw new TransfuseException(source.describe() + "/" + file + ": class " + s.label() + " is not 0 or 1");
                    }
                    all.add(s);
                }
            }
        }
        int n = all.size();
        int[] order = Shuffled.order(n, SHUFFLE_SEED);
        int trainSize = (int) Math.round(n * 0.8);
        int from = split == Split.TRAIN ? 0 : trainSize;
        int to = split == Split.TRAIN ? trainSize : n;
        List<String> texts = new ArrayList<>(to - from);
        int[] labels = new int[to - from];
        for (int i = from; i < to; i++) {
            texts.add(all.get(order[i]).text());
            labels[i - from] = all.get(order[i]).label();
        }
        return new TextSet(NAME, split, texts, labels, texts.size(), CLASSES, ATTRIBUTION);
    }
}
