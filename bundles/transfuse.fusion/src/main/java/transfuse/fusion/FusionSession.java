package transfuse.fusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.Evidence;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.HeadGroup;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportSolver;
import transfuse.api.tensor.Tensor;
import transfuse.fusion.internal.ActivationEvidence;
import transfuse.fusion.internal.DepthAligner;
import transfuse.fusion.internal.FusedTensors;
import transfuse.fusion.internal.ModelWeights;
import transfuse.fusion.internal.SpacePlanner;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.SafetensorsEntry;

/**
 * The models of one fusion opened and checked, the activation evidence gathered, and a planner
 * per model: everything {@link FusionEngine} and {@link LossBarrier} need before producing tensors.
 */
final class FusionSession implements AutoCloseable {
    final List<ModelDir> dirs = new ArrayList<>();
    final List<ModelConfig> configs = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    final List<ModelWeights> weights = new ArrayList<>();
    final List<ModelGraph> graphs = new ArrayList<>();
    final List<SpacePlanner> planners = new ArrayList<>();
    /** How --depth-align matched each model's layers (empty without it). */
    final List<LayerMap> layerMaps = new ArrayList<>();
    final Architecture arch;
    final FusionOptions options;
    final ActivationEvidence evidence;
    final FusedTensors tensors;
    final double evidenceSeconds;

    FusionSession(FusionServices services, List<Path> models, FusionOptions o, ProgressListener progress) {
        this.options = o;
        if (models.size() < 2) {
            throw new TransfuseException("fusion needs at least two models, got " + models.size());
        }
        if (o.alpha().length != models.size()) {
            throw new TransfuseException("option alpha: " + o.alpha().length + " weights for " + models.size() + " models");
        }
        try {
            for (Path p : models) {
                ModelDir d = ModelDir.open(p);
                dirs.add(d);
                configs.add(d.config());
                labels.add(p.toString());
            }
            GraphCheck.sameArchitecture(configs, labels);
            arch = services.architecture(configs.get(0).modelType());
            for (int k = 0; k < dirs.size(); k++) {
                graphs.add(arch.graph(configs.get(k)));
                Map<String, Tensor> map = new LinkedHashMap<>();
                for (SafetensorsEntry e : dirs.get(k).tensors()) {
                    map.put(e.name(), dirs.get(k).weights().tensor(e.name()));
                }
                try {
                    arch.validate(configs.get(k), map);
                } catch (TransfuseException e) {
                    throw new TransfuseException(labels.get(k) + ": " + e.getMessage(), e);
                }
                weights.add(new ModelWeights(labels.get(k), map, dirs.get(k).weights()));
            }
            boolean sampled = o.align() == Evidence.ACTS || o.depthAlign();
            if (sampled) {
                for (int k = 0; k < dirs.size(); k++) {
                    o.checkTokens(arch.maxTokens(configs.get(k)), labels.get(k));
                }
            }
            if (!o.depthAlign()) {
                checkCompatible();
            }
            Aligner aligner = services.aligner(o.method());
            long start = System.nanoTime();
            Dataset data = null;
            if (sampled) {
                for (ModelWeights w : weights) {
                    w.checkAllFinite();
                }
                data = services.dataset(o.data(), Split.TRAIN);
                o.checkSamples(data.size());
            }
            if (o.depthAlign()) {
                alignDepths(services, data, progress);
                checkCompatible();
            }
            if (o.align() == Evidence.ACTS) {
                evidence = ActivationEvidence.collect(arch, configs, weights, graphs.get(0), data, o.samples(), o.seed(),
                        o.tokenWindow(), progress);
            } else {
                evidence = null;
            }
            evidenceSeconds = (System.nanoTime() - start) / 1e9;
            Map<String, String> alignerOptions = new LinkedHashMap<>();
            o.toMap().forEach((k, v) -> alignerOptions.put(k, String.valueOf(v)));
            List<HeadGroup> groups = arch.headGroups(configs.get(0));
            for (int k = 1; k < dirs.size(); k++) {
                planners.add(new SpacePlanner(k, graphs.get(0), graphs.get(k), groups, o, alignerOptions, aligner,
                        evidence, weights.get(0), weights.get(k), progress));
            }
            tensors = new FusedTensors(graphs.get(0), weights, planners, o.alpha());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void checkCompatible() {
        for (int k = 1; k < dirs.size(); k++) {
            GraphCheck.compatible(graphs.get(0), configs.get(0), labels.get(0), graphs.get(k), configs.get(k),
                    labels.get(k));
        }
    }

    /**
     * Replaces every model after the anchor by its layers re-indexed to the anchor's depth
     * (DepthAligner), so the neuron alignment that follows sees models of one depth.
     */
    private void alignDepths(FusionServices services, Dataset data, ProgressListener progress) {
        TransportSolver emd = services.solver("emd");
        DepthAligner.Model anchor = new DepthAligner.Model(configs.get(0), graphs.get(0), weights.get(0));
        for (int k = 1; k < dirs.size(); k++) {
            DepthAligner.Virtual v = DepthAligner.align(k, arch, anchor,
                    new DepthAligner.Model(configs.get(k), graphs.get(k), weights.get(k)), data, options, emd, progress);
            weights.get(k).close();
            configs.set(k, v.model().config());
            graphs.set(k, v.model().graph());
            weights.set(k, v.model().weights());
            layerMaps.add(v.layers());
            // On the progress channel, so every caller (fuse, barrier, demo, server) shows the map.
            progress.progress("depth-align model " + k, 1, 1, v.layers().describe(labels.get(k)));
        }
    }

    /** Every model's per-space statistics, model by model. */
    List<SpaceStat> stats() {
        List<SpaceStat> all = new ArrayList<>();
        for (SpacePlanner p : planners) {
            all.addAll(p.stats());
        }
        return all;
    }

    @Override
    public void close() {
        for (ModelWeights w : weights) {
            w.close();
        }
        for (ModelDir d : dirs) {
            d.close();
        }
    }
}
