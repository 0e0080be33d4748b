package transfuse.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

import transfuse.api.TransfuseException;
import transfuse.api.data.Dataset;
import transfuse.api.data.DatasetProvider;
import transfuse.api.data.Split;

/**
 * The data sets of the contract, bundled or from a path. Full splits are loaded once and kept:
 * fusion reads the training split several times and decoding 60,000 images costs seconds.
 */
@Component(service = DatasetProvider.class, property = "transfuse.name=bundled")
public final class DatasetCatalog implements DatasetProvider {
    private static final Set<String> NAMES = Set.of(FashionMnist.NAME, Digits.NAME, Sentiment.NAME, Kjv.NAME);

    private final Map<String, Dataset> loaded = new ConcurrentHashMap<>();

    @Override
    public Set<String> names() {
        return NAMES;
    }

    @Override
    public Dataset open(String spec, Split split) {
        DatasetSpec parsed = DatasetSpec.parse(spec);
        Dataset full = loaded.computeIfAbsent(parsed.key() + "#" + split, k -> load(parsed, split));
        if (full.size() == 0) {
            throw new TransfuseException(spec + ": the " + split.label() + " split holds no examples");
        }
        if (parsed.limit() < 0) {
            return full;
        }
        if (parsed.limit() > full.size()) {
            throw new TransfuseException(spec + ": the " + split.label() + " split has only " + full.size()
                    + " examples" + (parsed.path() == null && parsed.name().equals(FashionMnist.NAME)
                    ? " in the bundled subset (pass the directory of the full data)" : ""));
        }
        return full instanceof ImageSet img ? img.first(parsed.limit()) : ((TextSet) full).first(parsed.limit());
    }

    private static Dataset load(DatasetSpec spec, Split split) {
        try {
            if (spec.path() == null) {
                return switch (spec.name()) {
                    case FashionMnist.NAME -> FashionMnist.load(DataSource.bundled("fashion-mnist"), split);
                    case Digits.NAME -> Digits.load(DataSource.bundled("digits"), split);
                    case Sentiment.NAME -> Sentiment.load(DataSource.bundled("sentiment"), split);
                    case Kjv.NAME -> Kjv.load(DataSource.bundled("kjv"), split);
                    default -> throw new TransfuseException("unknown data set '" + spec.name()
                            + "', expected one of fashion-mnist, digits, sentiment, kjv or a path");
                };
            }
            return loadPath(spec.path(), split);
        } catch (IOException e) {
            throw new TransfuseException(spec.original() + ": cannot read data: " + e.getMessage(), e);
        }
    }

    /** Recognises the data set a path holds by its file names. */
    private static Dataset loadPath(Path path, Split split) throws IOException {
        if (!Files.exists(path)) {
            throw new TransfuseException(path + ": no such file or directory");
        }
        DataSource source = DataSource.path(path);
        String file = path.getFileName() == null ? "" : path.getFileName().toString();
        if (Files.isDirectory(path)) {
            if (exists(path, "train-images-idx3-ubyte") || exists(path, "t10k-images-idx3-ubyte")) {
                return FashionMnist.load(source, split);
            }
            if (exists(path, "amazon.json")) {
                return Sentiment.load(source, split);
            }
            if (exists(path, "digits.csv")) {
                return Digits.load(source, split);
            }
            if (exists(path, "kjv.txt")) {
                return Kjv.load(source, split);
            }
        } else if (file.startsWith("digits") && file.contains(".csv")) {
            return Digits.load(source, split);
        } else if (file.startsWith("kjv") && file.contains(".txt")) {
            return Kjv.load(source, split);
        }
        throw new TransfuseException(path + ": not a recognised data set (expected a directory with Fashion-MNIST"
                + " IDX files or amazon/imdb/yelp.json, or a digits.csv[.gz] or kjv.txt[.gz] file)");
    }

    private static boolean exists(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name)) || Files.isRegularFile(dir.resolve(name + ".gz"));
    }
}
