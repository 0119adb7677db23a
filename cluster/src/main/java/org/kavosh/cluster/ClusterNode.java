package org.kavosh.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One node of Kavosh's local OpenSearch cluster: the server's own {@link Node} class, built from an
 * {@link Environment} with the two modules the distribution would load from its modules/ folder
 * (Netty4 for HTTP and transport, analysis-common for whitespace, keyword and persian analysis).
 * Nothing is mocked: the only difference from bin/opensearch is that the plugin classes come from
 * the class path instead of a plugins folder, so there is no jar-hell check and no security manager.
 *
 * <p>Usage: {@code ClusterNode NUMBER COUNT DIR [HTTP TRANSPORT NAME]} starts node NUMBER (1-based)
 * of the COUNT-node cluster NAME (default kavosh). Node N listens on 127.0.0.1, HTTP port HTTP+N-1,
 * transport port TRANSPORT+N-1 (defaults 9200 and 9300); its data and logs live in DIR/node-N/, and
 * once it serves it writes DIR/node-N.pid and DIR/node-N.port (its HTTP port) for cluster/nodes.sh
 * and the tests. SIGTERM closes the node cleanly and removes both files.
 */
public final class ClusterNode {

    /** Where one node is: its number among COUNT, its folder, and the cluster's first ports and name. */
    record Place(int number, int count, Path dir, int http, int transport, String cluster) {
        String name() {
            return "node-" + number;
        }

        int httpPort() {
            return http + number - 1;
        }
    }

    private ClusterNode() {}

    /** {@link Node}'s constructor that takes plugin classes is protected: open it, as the test framework's MockNode does. */
    static final class PluginNode extends Node {
        PluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    static Settings settings(Place place) {
        Path home = place.dir().resolve(place.name());
        List<String> seeds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= place.count(); n++) {
            seeds.add("127.0.0.1:" + (place.transport() + n - 1));
            names.add("node-" + n);
        }
        return Settings.builder()
            .put("cluster.name", place.cluster())
            .put("node.name", place.name())
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", Integer.toString(place.httpPort()))
            .put("transport.port", Integer.toString(place.transport() + place.number() - 1))
            .putList("discovery.seed_hosts", seeds)
            // only read on the very first start of a fresh data folder
            .putList("cluster.initial_cluster_manager_nodes", names)
            // small developer disks: never stop allocating shards or make indexes read-only
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 6) {
            System.err.println("usage: ClusterNode NUMBER COUNT DIR [HTTP TRANSPORT NAME]   (e.g. 1 3 var/cluster)");
            System.exit(2);
        }
        int number = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        if (count < 1 || count > 9 || number < 1 || number > count) {
            System.err.println("ClusterNode: NUMBER must be in 1.." + count + " and COUNT in 1..9");
            System.exit(2);
        }
        Place place = args.length == 6
            ? new Place(number, count, Paths.get(args[2]).toAbsolutePath(), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), args[5])
            : new Place(number, count, Paths.get(args[2]).toAbsolutePath(), 9200, 9300, "kavosh");
        Path dir = place.dir();
        String name = place.name();
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Logger logger = LogManager.getLogger(ClusterNode.class);

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings(place), Map.of(), home.resolve("config"), () -> name);
        Node node = new PluginNode(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class));
        Path pidFile = dir.resolve(name + ".pid");
        Path portFile = dir.resolve(name + ".port");
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(portFile);
                Files.deleteIfExists(pidFile);
                node.close();
                if (!node.awaitClose(30, TimeUnit.SECONDS)) {
                    logger.warn("{} did not close within 30 s", name);
                }
            } catch (IOException | InterruptedException e) {
                logger.error("closing " + name, e);
            } finally {
                closed.countDown();
            }
        }, "kavosh-node-close"));
        try {
            node.start();
        } catch (Exception e) {
            // e.g. a port already taken: say so and exit non-zero, the start script shows the log
            logger.error(name + " failed to start", e);
            System.exit(1);
        }
        writeAtomically(pidFile, Long.toString(ProcessHandle.current().pid()));
        writeAtomically(portFile, Integer.toString(place.httpPort()));
        logger.info("{} serving http://127.0.0.1:{} (pid {})", name, place.httpPort(), ProcessHandle.current().pid());
        closed.await();
    }

    /** A reader never sees a half-written file: write beside it, then rename over it. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
