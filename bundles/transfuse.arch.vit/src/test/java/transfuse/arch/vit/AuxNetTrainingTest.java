package transfuse.arch.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Distillation;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;

/** Training with shared stage layers and with distillation from a teacher (the SWS Aux-Net's recipe). */
class AuxNetTrainingTest {
    private final VitArchitecture vit = Vits.vit();
    private final Dataset train = new DatasetCatalog().open("digits:256", Split.TRAIN);
    private final ModelConfig deep = Vits.tiny(16, 4, 2, 32, 8, 2, 1, 10);
    private final TrainOptions options = new TrainOptions(1, 32, 3e-3, 0.05, 0.1, 1.0, 7, null, false);

    private List<String> layerTensors(int layer) {
        return vit.graph(deep).layers().get(layer).tensors();
    }

    @Test
    void layersOfOneStageStayBitwiseEqualAfterTrainingAndStagesDiffer() {
        int[] stages = {0, 0, 2, 2};
        Map<String, Tensor> init = VitInit.weights(VitConfig.of(deep), 7);
        Map<String, Tensor> w = vit.train(new TrainRequest(deep, train, null, null, options, stages, null),
                ProgressListener.NONE).weights();
        for (int i = 0; i < 4; i++) {
            List<String> own = layerTensors(i);
            List<String> rep = layerTensors(stages[i]);
            for (int k = 0; k < own.size(); k++) {
                assertArrayEquals(w.get(rep.get(k)).toFloats(), w.get(own.get(k)).toFloats(), own.get(k));
            }
        }
        String q0 = layerTensors(0).get(0);
        String q2 = layerTensors(2).get(0);
        assertFalse(Arrays.equals(init.get(q0).toFloats(), w.get(q0).toFloats()), "the shared block trained");
        assertFalse(Arrays.equals(w.get(q0).toFloats(), w.get(q2).toFloats()), "two stages, two blocks");
    }

    @Test
    void aMapOfTheWrongLengthOrNamingASharedLayerIsRefused() {
        assertThrows(TransfuseException.class, () -> vit.train(new TrainRequest(deep, train, null, null, options,
                new int[] {0, 0, 2}, null), ProgressListener.NONE));
        assertThrows(TransfuseException.class, () -> vit.train(new TrainRequest(deep, train, null, null, options,
                new int[] {0, 0, 1, 1}, null), ProgressListener.NONE));
    }

    @Test
    void alphaZeroDistillationIsOrdinaryTrainingBitwise() {
        ModelConfig small = Vits.tiny(16, 1, 2, 32, 8, 2, 1, 10);
        Map<String, Tensor> teacher = VitInit.weights(VitConfig.of(small), 3);
        Map<String, Tensor> plain = vit.train(new TrainRequest(small, train, null, null, options),
                ProgressListener.NONE).weights();
        Map<String, Tensor> distilled = vit.train(new TrainRequest(small, train, null, null, options, null,
                new Distillation(small, teacher, 0.0, 2.0, false)), ProgressListener.NONE).weights();
        for (String name : plain.keySet()) {
            assertArrayEquals(plain.get(name).toFloats(), distilled.get(name).toFloats(), name);
        }
    }

    @Test
    void aStudentThatStartsAsItsTeacherHasNoSoftLossAndAShallowSharedStudentLearnsFromADeepTeacher() {
        ModelConfig small = Vits.tiny(16, 2, 2, 32, 8, 2, 1, 10);
        // Adam moves weights by about lr even for rounding-noise gradients: keep them where they are.
        TrainOptions still = new TrainOptions(1, 32, 1e-9, 0.0, 0.1, 1.0, 7, null, false);
        TrainResult teacher = vit.train(new TrainRequest(deep, train, null, null, options.withEpochs(3).withLr(1e-2)),
                ProgressListener.NONE);
        TrainResult self = vit.train(new TrainRequest(deep, train, null, teacher.weights(), still, null,
                new Distillation(deep, teacher.weights(), 1.0, 1.0, false)), ProgressListener.NONE);
        assertTrue(self.epochs().get(0).trainLoss() < 1e-6, "KL(p ‖ p) = 0: " + self.epochs().get(0).trainLoss());

        TrainResult student = vit.train(new TrainRequest(small, train, null, null, options.withEpochs(3).withLr(1e-2),
                new int[] {0, 0}, new Distillation(deep, teacher.weights(), 1.0, 1.0, false)), ProgressListener.NONE);
        double first = student.epochs().get(0).trainLoss();
        double last = student.epochs().get(2).trainLoss();
        assertTrue(last < first, "the distillation loss falls: " + first + " -> " + last);
    }

    @Test
    void aTeacherWithAnotherLabelSetIsRefused() {
        ModelConfig five = Vits.tiny(16, 1, 2, 32, 8, 2, 1, 5);
        Map<String, Tensor> teacher = VitInit.weights(VitConfig.of(five), 3);
        ModelConfig small = Vits.tiny(16, 1, 2, 32, 8, 2, 1, 10);
        TransfuseException e = assertThrows(TransfuseException.class, () -> vit.train(new TrainRequest(small, train,
                null, null, options, null, new Distillation(five, teacher, 1.0, 1.0, false)), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("label"), e.getMessage());
    }
}
