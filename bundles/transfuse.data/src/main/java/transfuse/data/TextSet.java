package transfuse.data;

import java.util.List;

import transfuse.api.TransfuseException;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.data.Split;
import transfuse.api.tensor.Tensor;

/** Texts with optional labels (null for unlabelled corpora). */
final class TextSet implements Dataset {
    private final String name;
    private final Split split;
    private final List<String> texts;
    private final int[] labels;
    private final int count;
    private final List<String> classNames;
    private final String attribution;

    TextSet(String name, Split split, List<String> texts, int[] labels, int count, List<String> classNames,
            String attribution) {
        this.name = name;
        this.split = split;
        this.texts = List.copyOf(texts);
        this.labels = labels;
        this.count = count;
        this.classNames = List.copyOf(classNames);
        this.attribution = attribution;
    }

    TextSet first(int n) {
        return new TextSet(name, split, texts, labels, n, classNames, attribution);
    }

    @Override public String name() { return name; }
    @Override public Split split() { return split; }
    @Override public int size() { return count; }
    @Override public Modality modality() { return Modality.TEXT; }
    @Override public List<String> classNames() { return classNames; }
    @Override public long[] imageShape() { return new long[0]; }
    @Override public String attribution() { return attribution; }

    @Override
    public Tensor images(int from, int to) {
        throw new TransfuseException(name + " is a text data set; it has no images");
    }

    @Override
    public List<String> texts(int from, int to) {
        Ranges.check(name, from, to, count);
        return texts.subList(from, to);
    }

    @Override
    public int[] labels(int from, int to) {
        if (labels == null) {
            throw new TransfuseException(name + " is unlabelled");
        }
        Ranges.check(name, from, to, count);
        return java.util.Arrays.copyOfRange(labels, from, to);
    }
}
