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
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One node of Kavosh's local OpenSearch cluster: the server's own {@link Node} class, built from an
 * {@link Environment} with the two modules the distribution would load from its modules/ folder
 * (Netty4 for HTTP and transport, analysis-common for whitespace, keyword and persian analysis).
 * Nothing is mocked: the only difference from bin/opensearch is that the plugin classes come from
 * the class path instead of a plugins folder, so there is no jar-hell check and no security manager.
 *
 * <p>Usage: {@code ClusterNode NUMBER COUNT DIR} starts node NUMBER (1-based) of a COUNT-node
 * cluster. Node N listens on 127.0.0.1, HTTP port 9199+N, transport port 9299+N; its data and logs
 * live in DIR/node-N/, and once it serves it writes DIR/node-N.pid and DIR/node-N.port (the HTTP port)
 * for cluster/nodes.sh and the tests. SIGTERM closes the node cleanly and removes both files.
 */
public final class ClusterNode {

    static final String CLUSTER_NAME = "kavosh";
    static final int HTTP_BASE = 9199;
    static final int TRANSPORT_BASE = 9299;

    private ClusterNode() {}

    /** {@link Node}'s constructor that takes plugin classes is protected: open it, as the test framework's MockNode does. */
    static final class PluginNode extends Node {
        PluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    static Settings settings(int number, int count, Path dir) {
        String name = nodeName(number);
        Path home = dir.resolve(name);
        List<String> seeds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            seeds.add("127.0.0.1:" + (TRANSPORT_BASE + n));
            names.add(nodeName(n));
        }
        return Settings.builder()
            .put("cluster.name", CLUSTER_NAME)
            .put("node.name", name)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", Integer.toString(HTTP_BASE + number))
            .put("transport.port", Integer.toString(TRANSPORT_BASE + number))
            .putList("discovery.seed_hosts", seeds)
            // only read on the very first start of a fresh data folder
            .putList("cluster.initial_cluster_manager_nodes", names)
            // small developer disks: never stop allocating shards or make indexes read-only
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
    }

    static String nodeName(int number) {
        return "node-" + number;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ClusterNode NUMBER COUNT DIR   (e.g. 1 3 var/cluster)");
            System.exit(2);
        }
        int number = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        if (count < 1 || count > 9 || number < 1 || number > count) {
            System.err.println("ClusterNode: NUMBER must be in 1.." + count + " and COUNT in 1..9");
            System.exit(2);
        }
        Path dir = Paths.get(args[2]).toAbsolutePath();
        String name = nodeName(number);
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Logger logger = LogManager.getLogger(ClusterNode.class);

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings(number, count, dir), Map.of(), home.resolve("config"), () -> name);
        Node node = new PluginNode(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
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
        writeAtomically(portFile, Integer.toString(HTTP_BASE + number));
        logger.info("{} serving http://127.0.0.1:{} (pid {})", name, HTTP_BASE + number, ProcessHandle.current().pid());
        closed.await();
    }

    /** A reader never sees a half-written file: write beside it, then rename over it. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
