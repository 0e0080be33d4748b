package transfuse.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.io.config.ModelInspection;

/** {@code transfuse inspect PATH}: the tensor table and config summary of a model dir or .safetensors file. */
final class InspectCommand implements Command {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "tensor table (name, dtype, shape, bytes) and config summary of a model dir or .safetensors";
    }

    @Override
    public String usage() {
        return "transfuse inspect PATH [--json]   (PATH: a model directory or a .safetensors file)";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec();
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        if (args.positional().size() != 1) {
            throw new UsageException("'inspect' needs exactly one PATH");
        }
        Path path = Path.of(args.positional().get(0));
        if (!Files.exists(path)) {
            throw new TransfuseException(path + ": no such file or directory");
        }
        // Reads headers only: tensor data stays mapped and untouched, so any size inspects in little memory.
        ModelInspection inspection = ModelInspection.inspect(path);
        ctx.out().print(inspection.toText());
        return inspection.toJson();
    }
}
