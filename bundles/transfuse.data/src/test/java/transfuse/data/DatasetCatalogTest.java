package transfuse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.data.Split;
import transfuse.api.tensor.Tensor;

class DatasetCatalogTest {
    private final DatasetCatalog catalog = new DatasetCatalog();

    @Test
    void bundledSplitsHaveTheDocumentedSizes() {
        assertEquals(12_000, catalog.open("fashion-mnist", Split.TRAIN).size());
        assertEquals(10_000, catalog.open("fashion-mnist", Split.TEST).size());
        assertEquals(1_438, catalog.open("digits", Split.TRAIN).size());
        assertEquals(359, catalog.open("digits", Split.TEST).size());
        assertEquals(2_400, catalog.open("sentiment", Split.TRAIN).size());
        assertEquals(600, catalog.open("sentiment", Split.TEST).size());
        assertEquals(27_992, catalog.open("kjv", Split.TRAIN).size());
        assertEquals(3_110, catalog.open("kjv", Split.TEST).size());
    }

    @Test
    void imagesAreFloat32NchwScaledToUnitInterval() {
        Dataset d = catalog.open("fashion-mnist:5", Split.TEST);
        assertEquals(5, d.size());
        assertEquals(Modality.IMAGE, d.modality());
        Tensor t = d.images(0, 5);
        assertArrayEquals(new long[] {5, 1, 28, 28}, t.shape());
        float max = 0;
        for (float v : t.toFloats()) {
            assertTrue(v >= 0 && v <= 1);
            max = Math.max(max, v);
        }
        assertEquals(1f, max, "some pixel is 255");
        // The first Fashion-MNIST test image is an ankle boot (label 9), upstream's documented example.
        assertEquals(9, d.labels(0, 1)[0]);
        assertEquals("Ankle boot", d.classNames().get(9));
        Dataset digits = catalog.open("digits:3", Split.TRAIN);
        assertArrayEquals(new long[] {1, 8, 8}, digits.imageShape());
    }

    @Test
    void limitTakesTheFirstExamplesOfTheSplit() {
        Dataset all = catalog.open("sentiment", Split.TRAIN);
        Dataset first = catalog.open("sentiment:10", Split.TRAIN);
        assertEquals(all.texts(0, 10), first.texts(0, 10));
        assertArrayEquals(all.labels(0, 10), first.labels(0, 10));
    }

    @Test
    void shuffledSplitsAreFixedAndDisjoint() {
        Dataset train = new DatasetCatalog().open("sentiment", Split.TRAIN);
        Dataset again = new DatasetCatalog().open("sentiment", Split.TRAIN);
        assertEquals(train.texts(0, train.size()), again.texts(0, again.size()));
        Dataset test = catalog.open("sentiment", Split.TEST);
        Set<String> trainTexts = new HashSet<>(train.texts(0, train.size()));
        long overlap = test.texts(0, test.size()).stream().filter(trainTexts::contains).count();
        // The UCI files repeat a handful of short sentences verbatim; the index split itself is disjoint.
        assertTrue(overlap < 20, "overlap " + overlap);
        int positives = 0;
        for (int l : train.labels(0, train.size())) {
            positives += l;
        }
        assertTrue(positives > 1100 && positives < 1300, "roughly balanced after the shuffle: " + positives);
    }

    @Test
    void kjvVersesLoseTheirReference() {
        Dataset kjv = catalog.open("kjv:1", Split.TRAIN);
        assertEquals("In the beginning God created the heaven and the earth.", kjv.texts(0, 1).get(0));
        assertEquals(0, kjv.numClasses());
        assertThrows(TransfuseException.class, () -> kjv.labels(0, 1));
    }

    @Test
    void badSpecsFailWithOneLineNamingTheSpec() {
        assertEquals("unknown data set 'mnist', expected one of fashion-mnist, digits, sentiment, kjv or a path",
                assertThrows(TransfuseException.class, () -> catalog.open("mnist", Split.TRAIN)).getMessage());
        assertTrue(assertThrows(TransfuseException.class, () -> catalog.open("digits:0", Split.TRAIN))
                .getMessage().contains("must be positive"));
        assertTrue(assertThrows(TransfuseException.class, () -> catalog.open("fashion-mnist:60000", Split.TRAIN))
                .getMessage().contains("only 12000 examples in the bundled subset"));
        assertTrue(assertThrows(TransfuseException.class, () -> catalog.open("/nonexistent/data", Split.TRAIN))
                .getMessage().contains("no such file"));
    }

    @Test
    void emptyDataIsRejected(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("digits.csv");
        Files.writeString(csv, "");
        TransfuseException e = assertThrows(TransfuseException.class, () -> catalog.open(csv.toString(), Split.TRAIN));
        assertTrue(e.getMessage().contains("holds no examples"), e.getMessage());
    }

    @Test
    void fullFashionMnistLoadsFromItsDirectory() {
        Path full = Path.of("/work/shared/data/fashion-mnist");
        assumeTrue(Files.isDirectory(full), "the full data is only on the development machines");
        Dataset d = catalog.open(full + ":20000", Split.TRAIN);
        assertEquals(20_000, d.size());
        assertEquals("fashion-mnist", d.name());
        // The bundled subset is the head of the full training file.
        assertArrayEquals(catalog.open("fashion-mnist:100", Split.TRAIN).images(0, 100).toFloats(),
                d.images(0, 100).toFloats());
    }
}
