package transfuse.cli;

import java.util.ArrayList;
import java.util.List;

/** Every subcommand, in the order {@code transfuse help} lists them. Add new commands here. */
final class Commands {
    private Commands() {
    }

    static List<Command> all() {
        List<Command> list = new ArrayList<>(List.of(
                new PluginsCommand(),
                new InspectCommand(),
                new SolveCommand(),
                new TrainCommand(),
                new EvalCommand(),
                new ForwardCommand(),
                new FuseCommand(),
                new BarrierCommand(),
                new DemoCommand(),
                new ImportCommand(),
                new BenchCommand(),
                new ServeCommand()));
        list.add(0, new HelpCommand(list));
        return list;
    }
}
