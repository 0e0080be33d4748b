package transfuse.arch.vit;

import java.nio.file.Path;
import java.util.Locale;

import transfuse.api.arch.EpochReport;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.data.DatasetCatalog;
import transfuse.io.config.ConfigJson;

/**
 * Measures a recipe outside the CLI: {@code RecipeRun DATA [CONFIG.json] [EPOCHS] [LR]} trains with
 * the default options (or the given epochs/lr) on the training split, evaluates the test split
 * after every epoch, and prints the wall time. Used to check the recipe in recipes/.
 */
public final class RecipeRun {
    private RecipeRun() {
    }

    public static void main(String[] args) {
        String data = args[0];
        VitArchitecture vit = Vits.vit();
        DatasetCatalog catalog = new DatasetCatalog();
        Dataset train = catalog.open(data, Split.TRAIN);
        Dataset test = catalog.open(data.replaceAll(":\\d+$", ""), Split.TEST);
        ModelConfig config = args.length > 1 && !args[1].equals("-") ? ConfigJson.read(Path.of(args[1]))
                : vit.defaultConfig(train);
        TrainOptions o = vit.defaultOptions();
        if (args.length > 2) {
            o = o.withEpochs(Integer.parseInt(args[2]));
        }
        if (args.length > 3) {
            o = o.withLr(Double.parseDouble(args[3]));
        }
        System.out.println("config " + config.fields());
        System.out.println("options " + o);
        long start = System.nanoTime();
        TrainResult r = vit.train(new TrainRequest(config, train, test, null, o), (task, done, total, message) -> {
            if (task.equals("epoch")) {
                System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, message);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        EpochReport last = r.epochs().get(r.epochs().size() - 1);
        Evaluation e = last.test();
        System.out.printf(Locale.ROOT, "RESULT train %s (%d examples) %d epochs: test accuracy %.4f loss %.4f,"
                + " wall %.1f s (training %.1f s)%n", data, train.size(), o.epochs(), e.accuracy(), e.loss(), seconds,
                r.epochs().stream().mapToDouble(EpochReport::seconds).sum());
    }
}
