package transfuse.jobs.kinds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.io.config.ModelInspection;
import transfuse.jobs.internal.Outputs;
import transfuse.jobs.internal.Result;

/** {@code inspect PATH}: the tensor table and config summary of a model directory or .safetensors file. */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=inspect")
public final class InspectJob implements Job<Path> {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String description() {
        return "tensor table (name, dtype, shape, bytes) and config summary of a model dir or .safetensors";
    }

    @Override
    public String usage() {
        return "transfuse inspect PATH [--json]   (PATH: a model directory or a .safetensors file)";
    }

    @Override
    public String positional() {
        return "path";
    }

    @Override
    public List<OptionDecl> options() {
        return List.of(OptionDecl.input("path", "a model directory or a .safetensors file"));
    }

    @Override
    public Path spec(OptionValues v, JobContext context) {
        Path path = Outputs.requiredInput(v, context, "path");
        if (!Files.exists(path)) {
            throw new TransfuseException(path + ": no such file or directory");
        }
        return path;
    }

    @Override
    public JobResult run(Path path, JobContext context) {
        // Reads headers only: tensor data stays mapped and untouched, so any size inspects in little memory.
        ModelInspection inspection = ModelInspection.inspect(path);
        return new Result(inspection.toJson(), inspection.toText());
    }
}
