package transfuse.arch.bert.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import transfuse.api.arch.EpochReport;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.arch.bert.BertArchitecture;
import transfuse.data.DatasetCatalog;
import transfuse.djl.DjlRuntime;
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/**
 * Runs a BERT recipe outside the CLI (what {@code transfuse train --arch bert} does, for
 * measuring while the distribution is rebuilt): {@code BertRecipeRun DATA SEED EPOCHS OUT
 * [CONFIG.json|-] [INIT_DIR] [LR] [BATCH]}. Prints one line per epoch with the held-out
 * masked-token loss and pseudo-perplexity (or accuracy), and writes OUT as a model directory.
 */
public final class BertRecipeRun {
    private BertRecipeRun() {
    }

    public static void main(String[] args) throws Exception {
        DjlRuntime.initialize(DjlRuntime.class);
        BertArchitecture bert = new BertArchitecture(new DjlRuntime());
        String data = args[0];
        long seed = Long.parseLong(args[1]);
        int epochs = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        DatasetCatalog catalog = new DatasetCatalog();
        Dataset train = catalog.open(data, Split.TRAIN);
        Dataset test = catalog.open(data.replaceAll(":\\d+$", ""), Split.TEST);
        Map<String, Tensor> init = null;
        ModelConfig config;
        if (args.length > 5 && !args[5].equals("-")) {
            try (ModelDir dir = ModelDir.open(Path.of(args[5]))) {
                config = bert.finetuneConfig(dir.config(), train);
                init = new java.util.LinkedHashMap<>();
                for (var e : dir.tensors()) {
                    Tensor t = dir.weights().tensor(e.name());
                    init.put(e.name(), Tensor.ofFloats(t.shape(), t.toFloats()));
                }
            }
        } else {
            config = args.length > 4 && !args[4].equals("-") ? ConfigJson.read(Path.of(args[4])) : bert.defaultConfig(train);
        }
        TrainOptions o = bert.defaultOptions().withSeed(seed).withEpochs(epochs);
        if (args.length > 6) {
            o = o.withLr(Double.parseDouble(args[6]));
        }
        if (args.length > 7) {
            o = o.withBatchSize(Integer.parseInt(args[7]));
        }
        System.out.println("config " + config.fields());
        System.out.println("options " + o);
        long start = System.nanoTime();
        TrainResult r = bert.train(new TrainRequest(config, train, test, init, o), (task, done, total, message) -> {
            if (task.equals("epoch")) {
                System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
            }
        });
        for (EpochReport e : r.epochs()) {
            System.out.printf(Locale.ROOT, "EPOCH %d train_loss %.4f test_loss %.4f test_accuracy %.4f %s%n", e.epoch(),
                    e.trainLoss(), e.test().loss(), e.test().accuracy(), e.test().metrics());
        }
        ModelDir.write(out, config, r.weights().entrySet().stream().map(e -> TensorSource.of(e.getKey(), e.getValue()))
                .toList(), Map.of("transfuse.data", data, "transfuse.seed", Long.toString(seed)));
        for (Map.Entry<String, byte[]> f : bert.modelFiles(config).entrySet()) {
            Files.write(out.resolve(f.getKey()), f.getValue());
        }
        System.out.printf(Locale.ROOT, "RESULT %s seed %d: %d epochs in %.1f s -> %s%n", data, seed, epochs,
                (System.nanoTime() - start) / 1e9, out);
    }
}
