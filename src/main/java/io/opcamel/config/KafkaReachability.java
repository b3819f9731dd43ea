package io.opcamel.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One policy for every Kafka use of the bundle (the Kafka sink and its tail read, the cursor, dedupe and lifecycle
 * ledger stores, the audit, dead-letter and report topics, the lifecycle command topic, the reconciliation source):
 *
 * <ul>
 * <li>At start, the brokers of each use in force must answer within that use's timeout, or the start stops with
 * an {@link InvalidConfigException} naming the key of those brokers ({@code onepassword.sink.kafka.brokers}, ...);
 * an unresolvable host name counts as not answering. Brokers several uses share are asked once.</li>
 * <li>Once started, each set of brokers is asked again every timeout, and a change of state (unreachable, then
 * reachable again) is logged once, with the keys that name them; nothing is logged while the state holds. Kafka's
 * clients' own reconnect warnings are off in the shipped simplelogger.properties, so these lines are the report.</li>
 * </ul>
 */
public final class KafkaReachability extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.kafka");
    /** Its name in the context's registry, where each Kafka use finds it. */
    public static final String BEAN = "kafkaReachability";
    public static final String SINK_BROKERS = "onepassword.sink.kafka.brokers";
    public static final String SINK_TIMEOUT = "onepassword.sink.kafka.tail-timeout";

    /** One set of brokers (with its security settings), the keys that name it and the uses on it. */
    private static final class Brokers {
        final KafkaClients clients;
        final Duration timeout;
        final Set<String> keys = new LinkedHashSet<>();
        final Set<String> uses = new LinkedHashSet<>();
        volatile boolean reachable = true;

        Brokers(KafkaClients clients, Duration timeout) {
            this.clients = clients;
            this.timeout = timeout;
        }

        String named() {
            return clients + " (" + String.join(", ", keys) + ": " + String.join(", ", uses) + ")";
        }
    }

    private final Map<String, Brokers> watched = new LinkedHashMap<>();
    private final AtomicLong probes = new AtomicLong();
    private ScheduledExecutorService timer;

    private KafkaReachability() {
    }

    /** The context's, created (and added as a service, started and stopped with the context) on first use. */
    public static synchronized KafkaReachability of(CamelContext context) {
        KafkaReachability found = context.getRegistry().lookupByNameAndType(BEAN, KafkaReachability.class);
        if (found == null) {
            found = new KafkaReachability();
            context.getRegistry().bind(BEAN, found);
            try {
                context.addService(found, true, false);
            } catch (Exception e) {
                throw new IllegalStateException("could not add the Kafka reachability watch", e);
            }
        }
        return found;
    }

    /**
     * A Kafka use in force: its brokers answer now within {@code timeout}, or the start stops naming
     * {@code brokersKey}; from then on they are watched.
     *
     * @param use what uses them, for the log ("the Kafka sink")
     */
    public static void require(CamelContext context, String brokersKey, KafkaClients clients, Duration timeout,
            String use) {
        of(context).add(brokersKey, clients, timeout, use, true);
    }

    /** A Kafka use whose own start already reached its brokers (a store that read its topic): watched only. */
    public static void watch(CamelContext context, String brokersKey, KafkaClients clients, Duration timeout,
            String use) {
        of(context).add(brokersKey, clients, timeout, use, false);
    }

    /**
     * A use of {@value #SINK_BROKERS} (the Kafka sink, and the audit, dead-letter, report and command topics, which
     * the camel-kafka component sends to there), checked within {@value #SINK_TIMEOUT}.
     */
    public static void requireSinkBrokers(CamelContext context, Settings settings, String use) {
        require(context, SINK_BROKERS, KafkaClients.of(context, settings.required(SINK_BROKERS)),
                settings.positiveDuration(SINK_TIMEOUT), use);
    }

    private synchronized void add(String brokersKey, KafkaClients clients, Duration timeout, String use,
            boolean check) {
        Brokers b = watched.get(clients.toString());
        if (b == null) {
            if (check) {
                String problem = probe(clients, timeout);
                if (problem != null) {
                    throw new InvalidConfigException(brokersKey, "names Kafka brokers (" + clients + ") that did not "
                            + "answer within " + timeout + " (" + use + "): " + problem);
                }
            }
            b = new Brokers(clients, timeout);
            watched.put(clients.toString(), b);
            if (timer != null) {
                schedule(b);
            }
        }
        b.keys.add(brokersKey);
        b.uses.add(use);
    }

    /** How many times brokers were asked since start (tests wait on it instead of on a clock). */
    public long probes() {
        return probes.get();
    }

    @Override
    protected synchronized void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "onepassword-kafka-reachability");
            t.setDaemon(true);
            return t;
        });
        watched.values().forEach(this::schedule);
    }

    @Override
    protected synchronized void doStop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private void schedule(Brokers b) {
        long every = Math.max(1000, b.timeout.toMillis());
        timer.scheduleWithFixedDelay(() -> ask(b), every, every, TimeUnit.MILLISECONDS);
    }

    private void ask(Brokers b) {
        String problem = probe(b.clients, b.timeout);
        probes.incrementAndGet();
        if (problem != null && b.reachable) {
            b.reachable = false;
            LOG.warn("Kafka brokers {} cannot be reached: {}. Logged once, until they are back", b.named(), problem);
        } else if (problem == null && !b.reachable) {
            b.reachable = true;
            LOG.info("Kafka brokers {} are reachable again", b.named());
        }
    }

    /** Asks the brokers for the cluster's nodes; null when they answered, else why not (one line). */
    static String probe(KafkaClients clients, Duration timeout) {
        Properties p = clients.properties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "onepassword-kafka-reachability");
        Admin admin = null;
        try {
            admin = Admin.create(p); // an unresolvable host fails here: "No resolvable bootstrap urls"
            admin.describeCluster().nodes().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return oneLine(e.getCause() == null ? e : e.getCause());
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            // KafkaException among them; anything else as well, so the scheduled watch never dies of it
            return oneLine(e);
        } finally {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
        }
    }

    private static String oneLine(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !parts.contains(t.getMessage())) {
                parts.add(t.getMessage());
            }
        }
        return parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts);
    }
}
