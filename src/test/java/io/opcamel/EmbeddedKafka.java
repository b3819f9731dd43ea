package io.opcamel;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.BrokerServer;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Exit;

/**
 * One real KRaft Kafka broker inside the test JVM, started on first use and shared by every test that needs one.
 * Its client port is fixed when it starts, so a test can stop the broker and start it again on the same address
 * ({@link #stopBroker()}, {@link #startBroker()}: a broker outage the clients must ride out).
 */
public final class EmbeddedKafka {

    private static KafkaClusterTestKit cluster;
    /** In front of the broker's second listener (PROXIED), which advertises the proxy's port: see {@link #proxy()}. */
    private static DelayingProxy proxy;
    /** Kafka's own shutdown hooks (the test kit's folder deletion), run once the broker is closed. */
    private static final List<Runnable> AFTER_CLOSE = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EmbeddedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            try {
                int port;
                int proxiedPort;
                try (ServerSocket free = new ServerSocket(0); ServerSocket free2 = new ServerSocket(0)) {
                    port = free.getLocalPort();
                    proxiedPort = free2.getLocalPort();
                }
                proxy = DelayingProxy.start(0, proxiedPort);
                // The test kit deletes its data folder from a JVM shutdown hook of its own, which ran alongside the
                // one closing the broker: a broker that loses its log dirs while running calls Exit.halt(1), and the
                // test JVM ended with exit code 1 after every test had passed (surefire: "Error occurred in starting
                // fork"). So Kafka's shutdown hooks are kept here and run after the broker is closed, in one hook.
                Exit.setShutdownHookAdder((name, hook) -> AFTER_CLOSE.add(hook));
                cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        // few partitions: the first transaction of the JVM creates this topic, 50 partitions by default
                        .setConfigProp("transaction.state.log.num.partitions", "4")
                        .setConfigProp("auto.create.topics.enable", "true")
                        .setConfigProp("num.partitions", "3")
                        // the test kit's default is port 0: a restarted broker would come back on another port
                        .setConfigProp("listeners", "EXTERNAL://localhost:" + port + ",PROXIED://127.0.0.1:"
                                + proxiedPort + ",CONTROLLER://localhost:0")
                        // a client that bootstraps through the proxy is told the proxy's address for the broker, so
                        // all its traffic goes through it: the proxy rewrites nothing
                        .setConfigProp("advertised.listeners", "EXTERNAL://localhost:" + port
                                + ",PROXIED://127.0.0.1:" + proxy.port())
                        .setConfigProp("listener.security.protocol.map",
                                "EXTERNAL:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0").build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                warmUpTransactions(cluster.bootstrapServers());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    // while the JVM ends, a broker that wants it gone says so in the log; during the tests it may
                    Exit.setHaltProcedure(EmbeddedKafka::refuseToEndTheJvm);
                    Exit.setExitProcedure(EmbeddedKafka::refuseToEndTheJvm);
                    try {
                        cluster.close();
                    } catch (Exception ignored) {
                        // the JVM is going away
                    }
                    for (Runnable hook : AFTER_CLOSE) {
                        try {
                            hook.run();
                        } catch (RuntimeException ignored) {
                            // one folder left behind in /tmp; the next hook still runs
                        }
                    }
                }, "embedded-kafka-close"));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded Kafka broker", e);
            }
        }
        return cluster.bootstrapServers();
    }

    /**
     * The same broker behind a {@link DelayingProxy}: a client bootstrapped here talks to the broker only through the
     * proxy, which can hold its acknowledgements back (a slow broker, a slow network) while the writes land on time.
     */
    public static synchronized String proxiedBootstrapServers() {
        bootstrapServers();
        return "127.0.0.1:" + proxy.port();
    }

    public static synchronized DelayingProxy proxy() {
        bootstrapServers();
        return proxy;
    }

    /**
     * Makes the broker's transaction state log before any test needs it: the first transactional producer of a broker
     * waits for it to be created, which on a busy machine takes longer than the short timeouts fault tests give.
     */
    private static void warmUpTransactions(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("transactional.id", "embedded-kafka-warm-up");
        p.put("max.block.ms", "120000");
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> warm =
                new org.apache.kafka.clients.producer.KafkaProducer<>(p,
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            warm.initTransactions();
        }
    }

    private static void refuseToEndTheJvm(int statusCode, String message) {
        System.err.println("embedded Kafka asked to end the JVM with status " + statusCode + " (" + message
                + "); the test JVM carries on");
    }

    /** Stops the broker (the controller stays up); clients see it gone until {@link #startBroker()}. */
    public static synchronized void stopBroker() {
        bootstrapServers();
        for (BrokerServer b : cluster.brokers().values()) {
            b.shutdown();
            b.awaitShutdown();
        }
    }

    /** Starts the stopped broker again on the same port, with the data it had. */
    public static synchronized void startBroker() throws Exception {
        for (BrokerServer b : cluster.brokers().values()) {
            b.startup();
        }
        cluster.waitForReadyBrokers();
    }

    public static void createTopics(List<String> topics, int partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
            // created is not led yet: the broker takes each partition's leadership a moment later, and a producer
            // that sends before then gets NOT_LEADER, then OUT_OF_ORDER_SEQUENCE for every retry until its delivery
            // timeout (2 minutes), and the batch is lost (ReconcileKafkaIT, once, in CI). Listing a partition's
            // offsets is answered by its leader only, and the admin client retries until it is.
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all =
                    new java.util.HashMap<>();
            for (String t : topics) {
                for (int i = 0; i < partitions; i++) {
                    all.put(new org.apache.kafka.common.TopicPartition(t, i),
                            org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
            }
            admin.listOffsets(all).all().get();
        }
    }

    public static Map<String, Object> consumerConfig() {
        return Map.of("bootstrap.servers", bootstrapServers(), "auto.offset.reset", "earliest",
                "enable.auto.commit", "false", "isolation.level", "read_committed");
    }

    /**
     * Every record of a one-partition topic from its start, waiting (at most a minute: a liveness bound, not a speed
     * target) until there are {@code expected} of them.
     */
    public static java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> readAll(String topic,
            int expected) {
        java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> out = new java.util.ArrayList<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> c =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(consumerConfig(),
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer())) {
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            c.assign(java.util.List.of(tp));
            c.seekToBeginning(java.util.List.of(tp));
            long deadline = System.currentTimeMillis() + 60_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                c.poll(java.time.Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
