package transfuse.solvers.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import transfuse.api.solver.TransportSolver;
import transfuse.solvers.emd.EmdSolver;
import transfuse.solvers.lap.LapSolver;
import transfuse.solvers.sinkhorn.SinkhornEpsilonSolver;
import transfuse.solvers.sinkhorn.SinkhornLogSolver;
import transfuse.solvers.sinkhorn.SinkhornSolver;
import transfuse.solvers.sinkhorn.SinkhornStabilizedSolver;

class ServiceNamesTest {
    /** The names users type (and the services' transfuse.name property) are the documented ones, each with a description. */
    @Test
    void namesAreTheContractOnes() {
        List<TransportSolver> all = List.of(new EmdSolver(), new SinkhornSolver(), new SinkhornLogSolver(),
                new SinkhornStabilizedSolver(), new SinkhornEpsilonSolver(), new LapSolver());
        assertEquals(List.of("emd", "sinkhorn", "sinkhorn-log", "sinkhorn-stabilized", "sinkhorn-epsilon", "lap"),
                all.stream().map(TransportSolver::name).collect(Collectors.toList()));
        for (TransportSolver s : all) {
            assertFalse(s.description().isBlank());
            assertFalse(s.description().contains("\n"));
        }
    }
}
