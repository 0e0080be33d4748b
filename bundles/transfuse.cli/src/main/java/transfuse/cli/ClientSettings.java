package transfuse.cli;

import java.nio.file.Path;
import java.util.Map;

import transfuse.cli.client.ServerAddress;
import transfuse.cli.client.ServerClient;
import transfuse.io.files.TransfuseHome;

/**
 * Where the client commands find their server: the environment and transfuse's home, passed in
 * so tests can give their own.
 */
record ClientSettings(Map<String, String> env, Path home) {
    static ClientSettings system() {
        return new ClientSettings(System.getenv(), TransfuseHome.get());
    }

    /** A client for {@code --server URL}, else {@code TRANSFUSE_SERVER}, else the default URL. */
    ServerClient client(Args args) {
        return new ServerClient(ServerAddress.resolve(args.get("server"), env, home));
    }
}
