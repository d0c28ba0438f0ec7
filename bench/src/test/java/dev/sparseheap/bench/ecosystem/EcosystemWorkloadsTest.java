/*
 * Every ecosystem workload runs tiny on every one of its peers, checking what the library hands
 * back; the child protocol line survives a round trip; unknown names are refused.
 */
package dev.sparseheap.bench.ecosystem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ecosystem workloads on the real libraries, tiny. */
class EcosystemWorkloadsTest {

    private static final double TINY = 0.002;

    static List<EcosystemWorkload> workloads() {
        return EcosystemWorkloads.all();
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void runsTinyOnEveryPeer(EcosystemWorkload workload) {
        assertEquals("sparseheap", workload.peers().getFirst());
        assertEquals(workload.peers().size(), workload.peerDescriptions().size());
        for (String peer : workload.peers()) {
            try (EcosystemWorkload.Run run = workload.prepare(peer)) {
                assertTrue(run.round(TINY) > 0, workload.name() + " on " + peer);
            }
        }
        assertTrue(workload.parameters(1.0).length() > 10);
    }

    @Test
    void unknownNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EcosystemWorkloads.named(List.of("netty-ftp")));
        assertThrows(IllegalArgumentException.class, () -> new NettyHttpPipeline().prepare("glibc"));
        assertThrows(IllegalArgumentException.class, () -> EcosystemChild.run("arrow-vectors", "netty-pooled", 1));
    }

    @Test
    void theResultLineRoundTrips() {
        var result = new EcosystemResult("netty-http", "netty-pooled", 1000, 123_456_789, 50 << 20, 80 << 20);
        assertEquals(result, EcosystemResult.fromOutput("log line\n" + result.toLine() + "\nbye\n"));
        assertEquals(30 << 20, result.peakRssAboveBaseline());
    }
}
