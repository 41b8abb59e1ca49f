/*
 * Conformance probe for zoo.cfg files: parses each file given on the command line with the real
 * ZooKeeper QuorumPeerConfig, as QuorumPeerMain.initializeAndRun does before it starts anything,
 * and prints one verdict per file:
 *
 *   ### <path>
 *   (ZooKeeper's own WARN/ERROR log lines, if any)
 *   RESULT OK distributed=<bool> serverId=<id>
 *   RESULT FAIL <exception class>: <message> [<- <cause class>: <cause message>]...
 *
 * One JVM parses every file: ZooKeeper keeps standaloneEnabled and reconfigEnabled in static
 * fields and turns unknown keys into system properties, so both are reset between files.
 *
 * After a successful parse of a distributed config the probe also applies the first check of
 * QuorumPeer.start() ("My id N not in the peer list"): it needs nothing but the parsed config,
 * and the real server exits on it before opening any socket of its own.
 */
import java.util.Properties;

import org.apache.zookeeper.server.quorum.QuorumPeerConfig;

public final class ZkParseCheck {
    private ZkParseCheck() {
    }

    public static void main(String[] args) {
        Properties pristine = new Properties();
        pristine.putAll(System.getProperties());
        for (String path : args) {
            System.out.println("### " + path);
            System.out.flush();
            QuorumPeerConfig.setStandaloneEnabled(true);
            QuorumPeerConfig.setReconfigEnabled(false);
            String verdict;
            try {
                QuorumPeerConfig config = new QuorumPeerConfig();
                config.parse(path);
                if (config.isDistributed() && !config.getServers().containsKey(config.getServerId())) {
                    verdict = "FAIL java.lang.RuntimeException: My id " + config.getServerId()
                        + " not in the peer list (QuorumPeer.start)";
                } else {
                    verdict = "OK distributed=" + config.isDistributed() + " serverId=" + config.getServerId();
                }
            } catch (Throwable t) {
                StringBuilder sb = new StringBuilder("FAIL ");
                int depth = 0;
                for (Throwable c = t; c != null && depth < 6; c = c.getCause(), depth++) {
                    if (depth > 0) {
                        sb.append(" <- ");
                    }
                    sb.append(c.getClass().getName()).append(": ").append(String.valueOf(c.getMessage()).replace('\n', ' '));
                    if (c.getCause() == c) {
                        break;
                    }
                }
                verdict = sb.toString();
            }
            System.setProperties(null);
            Properties fresh = new Properties();
            fresh.putAll(pristine);
            System.setProperties(fresh);
            System.out.println("RESULT " + verdict);
            System.out.flush();
        }
    }
}
