package transfuse.arch.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Distillation;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;

/** Masked-LM distillation at the masked positions, and shared layers, on a tiny KJV BERT. */
class BertDistillationTest {
    private final BertArchitecture bert = Berts.bert();
    private final Dataset train = new DatasetCatalog().open("kjv:256", Split.TRAIN);
    private final ModelConfig teacherConfig = BertContractTest.kjvTiny().with(LayerReindexing.DEPTH_FIELD, 2);

    @Test
    void aStudentThatStartsAsItsTeacherHasNoSoftLossAndASharedStudentLearnsFromTheTeacher() {
        TrainResult teacher = bert.train(new TrainRequest(teacherConfig, train, null, null,
                new TrainOptions(1, 32, 3e-3, 0.01, 0.06, 1.0, 7, null, false)), ProgressListener.NONE);
        // Adam moves weights by about lr even for rounding-noise gradients: keep them where they are.
        TrainOptions still = new TrainOptions(1, 32, 1e-9, 0.0, 0.06, 1.0, 7, null, false);
        TrainResult self = bert.train(new TrainRequest(teacherConfig, train, null, teacher.weights(), still, null,
                new Distillation(teacherConfig, teacher.weights(), 1.0, 1.0, false)), ProgressListener.NONE);
        assertTrue(self.epochs().get(0).trainLoss() < 1e-5, "KL(p ‖ p) = 0: " + self.epochs().get(0).trainLoss());

        ModelConfig student = teacherConfig.with(LayerReindexing.DEPTH_FIELD, 3);
        TrainResult r = bert.train(new TrainRequest(student, train, null, null,
                new TrainOptions(2, 32, 3e-3, 0.01, 0.06, 1.0, 7, null, false), new int[] {0, 0, 0},
                new Distillation(teacherConfig, teacher.weights(), 1.0, 1.0, false)), ProgressListener.NONE);
        double first = r.epochs().get(0).trainLoss();
        double last = r.epochs().get(1).trainLoss();
        assertTrue(last < first, "the distillation loss falls: " + first + " -> " + last);
        List<String> l0 = bert.graph(student).layers().get(0).tensors();
        List<String> l2 = bert.graph(student).layers().get(2).tensors();
        Map<String, Tensor> w = r.weights();
        for (int k = 0; k < l0.size(); k++) {
            assertArrayEquals(w.get(l0.get(k)).toFloats(), w.get(l2.get(k)).toFloats(), l2.get(k));
        }
    }

    @Test
    void aTeacherOfAnotherTaskIsRefused() {
        ModelConfig classifier = Berts.tiny(16, 1, 2, 32, BertRecipe.bundledVocabSize(), BertTask.CLASSIFICATION);
        Map<String, Tensor> w = bert.initialize(classifier, 1);
        TransfuseException e = assertThrows(TransfuseException.class, () -> bert.train(new TrainRequest(
                teacherConfig, train, null, null, new TrainOptions(1, 32, 3e-3, 0.01, 0.06, 1.0, 7, null, false), null,
                new Distillation(classifier, w, 1.0, 1.0, false)), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("same task"), e.getMessage());
    }
}
