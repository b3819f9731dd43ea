package io.opcamel.bench;

import static io.opcamel.bench.BenchTable.ACCOUNTS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opcamel.BundleHarness;
import io.opcamel.EmbeddedKafka;
import io.opcamel.events.EventPage;
import io.opcamel.events.EventsApiBreakers;
import io.opcamel.events.EventsFeedRoutes;
import io.opcamel.events.Feature;
import io.opcamel.events.FileUuidRepository;
import io.opcamel.sandbox.EventsApi;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import io.opcamel.sandbox.ScriptedFeed;
import io.opcamel.sandbox.Tokens;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronExpression;

/**
 * Many accounts in one bundle (issue 19, point 3): 1, 10 and 100 accounts of three feeds each, every account with
 * its own sandbox token, so its own event streams and its own rate-limit bucket in the sandbox (429s per token) and
 * in the bundle ({@code onepassword.events.rate.key=token}). The feeds run on their real Quartz schedules (a short
 * cron) against a trickle of new events, into the file sink; after a warm-up, a fixed window measures:
 *
 * <ul>
 *   <li>lateness: for each delivered event, the time its page's cursor was saved (the sink acknowledged it) minus the
 *       time the event happened in the sandbox; p50 and p99 over every event of every feed, and the slowest feed's
 *       p99. With nothing queued it is spread over one poll interval (an event waits for the next tick).</li>
 *   <li>threads: live threads (ThreadMXBean) with the bundle running minus before it started, the peak in the
 *       window, and the threads whose name carries an account's name (a thread per account or feed).</li>
 *   <li>heap: used heap after {@code System.gc()} with the bundle running minus before it started.</li>
 *   <li>CPU per 1,000 events delivered: the whole JVM's (process CPU time), the sandbox's threads' and the feed polls'
 *       (the Quartz worker threads, on which a poll runs from its request to its cursor save).</li>
 * </ul>
 *
 * <p>At the largest size two more phases: one more account backfilling (its start-time two days back) while the
 * others stay in steady state, then, in a fresh bundle, one more account whose API answers 500 to every call; each
 * compares the others' lateness with a steady window before it. Then the same accounts into the Kafka sink, for its
 * threads, and the dedupe store of one feed filled to its capacity, for the heap a long run reaches.
 *
 * <p>Knobs: {@code bench.accounts} (1,10,100), {@code bench.accounts.seconds} (40), {@code bench.accounts.warmup}
 * (10), {@code bench.accounts.cron} (every 2 s), {@code bench.accounts.backfill-limit} (100),
 * {@code bench.accounts.kafka} (true).
 */
class ManyAccountsBench {

    private static final List<Integer> SIZES = Arrays.stream(System.getProperty("bench.accounts", "1,10,100")
            .split(",")).map(String::trim).map(Integer::valueOf).sorted().toList();
    private static final int LARGEST = SIZES.get(SIZES.size() - 1);
    private static final int SECONDS = Integer.getInteger("bench.accounts.seconds", 40);
    private static final int WARMUP = Integer.getInteger("bench.accounts.warmup", 10);
    private static final String CRON = System.getProperty("bench.accounts.cron", "0/2 * * * * ?");
    /** The API's default page: the backfill reaches its 600-request minute within seconds, then waits for it. */
    private static final int BACKFILL_LIMIT = Integer.getInteger("bench.accounts.backfill-limit", 100);
    private static final boolean KAFKA = Boolean.parseBoolean(System.getProperty("bench.accounts.kafka", "true"));
    /** Named acct-*, as every account of the run, so a thread named for any account shows. */
    private static final String BACKFILL = "acct-backfill";
    private static final String FAILING = "acct-failing";
    private static final Duration BACKLOG = Duration.ofDays(2);
    /** New events per second of each feed: at a 2 s cron, a page of about two. */
    private static final int PER_SECOND = 1;
    private static final double LATENESS_GROWTH = 1.2;
    private static final int THREADS_BOUND = 16;
    private static final long HEAP_TARGET = 256L << 20;
    private static final List<String> FEATURES = EventsApi.FEATURES;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Sandbox sandbox;
    private static Instant origin;
    private static Path data;
    private static final Deliveries DELIVERIES = new Deliveries();

    /** A running bundle and the tokens its accounts were given. */
    private record Bundle(BundleHarness harness, Map<String, String> tokens) implements AutoCloseable {
        void startFeeds(String account) throws Exception {
            for (String f : FEATURES) {
                harness.context.getRouteController().startRoute(EventsFeedRoutes.routeId(account, Feature.valueOf(f)));
            }
        }

        @Override
        public void close() {
            harness.close();
        }
    }

    /** What one window measured. */
    private record Window(double seconds, Map<String, long[]> lateness, int threads, int peakThreads,
            List<String> accountThreads, long processCpu, long sandboxCpu, long pollCpu, Map<String, Long> cpuByName) {

        long events(Predicate<String> account) {
            return lateness.entrySet().stream().filter(e -> account.test(accountOf(e.getKey())))
                    .mapToLong(e -> e.getValue().length).sum();
        }

        long[] sorted(Predicate<String> account) {
            return lateness.entrySet().stream().filter(e -> account.test(accountOf(e.getKey())))
                    .flatMapToLong(e -> Arrays.stream(e.getValue())).sorted().toArray();
        }

        double p(Predicate<String> account, double q) {
            long[] s = sorted(account);
            return s.length == 0 ? Double.NaN : BenchTable.percentile(s, q);
        }

        /** The highest p99 of one feed. */
        double slowestFeed(Predicate<String> account) {
            return lateness.entrySet().stream().filter(e -> account.test(accountOf(e.getKey())))
                    .mapToDouble(e -> {
                        long[] s = e.getValue().clone();
                        Arrays.sort(s);
                        return s.length == 0 ? 0 : BenchTable.percentile(s, 0.99);
                    }).max().orElse(Double.NaN);
        }

        double cpuPerThousand(long cpuNanos, Predicate<String> account) {
            long n = events(account);
            return n == 0 ? Double.NaN : cpuNanos / 1e6 / n * 1000;
        }
    }

    /** The steady-state window of one size, and the bundle's heap then. */
    private record Steady(int accounts, Window window, long heap, long jvmHeap, int threadsBefore) {
    }

    @BeforeAll
    static void start() throws IOException {
        origin = Instant.now().minus(BACKLOG).truncatedTo(ChronoUnit.SECONDS);
        SandboxConfig c = new SandboxConfig();
        c.accounts = new LinkedHashMap<>();
        for (String a : accounts(LARGEST)) {
            c.accounts.put(a, "us");
        }
        c.accounts.put(BACKFILL, "us");
        c.accounts.put(FAILING, "us");
        // whole seconds from a whole second: every timestamp exact, even signinattempts' (whole seconds)
        c.origin = origin;
        c.eventsPerSecond = PER_SECOND;
        c.eventsRateLimitEnabled = true; // 600/60 s and 30,000/1 h per token: each account its own
        sandbox = Sandbox.start(c);
        JsonNode error = JSON.readTree("{\"Error\":{\"Message\":\"Internal Server Error\"}}");
        for (String f : FEATURES) {
            // the failing account never gets a cursor: each of its calls is a ResetCursor, answered 500
            sandbox.events().script(FAILING, f, new ScriptedFeed(List.of(new ScriptedFeed.Exchange(null, 500,
                    error))));
        }
        // the data folders on tmpfs where there is one: 300 feeds fsync their pages, and the disk is not the measure
        Path shm = Path.of("/dev/shm");
        data = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "many-accounts")
                : null;
    }

    @AfterAll
    static void stop() throws IOException {
        if (sandbox != null) {
            sandbox.close();
        }
        if (data != null) {
            try (var files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        BenchTable.print();
    }

    @Test
    void manyAccountsInOneBundle(@TempDir Path tmp) throws Exception {
        Path root = data != null ? data : tmp;
        List<Steady> steady = new ArrayList<>();
        // before any bundle, and without the sandbox's pool (it grows to its size as requests come)
        int threadsBefore = bundleThreads();
        Map<String, Integer> namesBefore = threadNames();
        warmUp(root.resolve("warm-up"));
        BenchTable.note(ACCOUNTS, "Accounts: threads a bundle left running after it stopped (names, digits as #): "
                + left(namesBefore, threadNames()) + ".");
        for (int n : SIZES) {
            long heapBefore = heapAfterGc();
            try (Bundle b = start(n, root.resolve("n" + n), n == LARGEST ? BACKFILL : null, null)) {
                Thread.sleep(WARMUP * 1000L);
                Window w = measure(SECONDS);
                long jvm = heapAfterGc();
                steady.add(new Steady(n, w, jvm - heapBefore, jvm, threadsBefore));
                System.out.printf(Locale.ROOT, "accounts %d: %s%n", n, describe(w));
                if (n == LARGEST) {
                    backfill(b, w);
                }
            }
        }
        steadyRows(steady);
        failing(root.resolve("failing"));
        if (KAFKA) {
            kafkaThreads(root.resolve("kafka"));
        }
        dedupeAtCapacity(root.resolve("dedupe"));
        BenchTable.note(ACCOUNTS, String.format(Locale.ROOT, "Accounts: each account its own sandbox token (its own "
                + "event streams and its own 429 bucket in the sandbox; its own budget in the bundle, rate.key=token); "
                + "3 feeds each on cron '%s', %d new event a second per feed, file sink, data folders on %s; a warm-up of "
                + "%d s, then %d s measured per size. Lateness = when the page's cursor was saved (the sink acknowledged "
                + "it) minus when the event happened in the sandbox (events happen on whole seconds, polls fire on even "
                + "ones: with nothing queued half the events wait about 0 s and half about 1 s). The bundle's threads = "
                + "the JVM's live threads but the sandbox's with it running minus before the run's first bundle (a warm-up bundle of up "
                + "to 10 accounts ran first, unmeasured, for the JIT); the bundle's heap = used heap after System.gc() "
                + "with it running minus just before it started. CPU of the feed polls = the Quartz worker threads' "
                + "(a poll runs on one from its request to its cursor save); the sandbox's = its HTTP threads'; the "
                + "rest of the JVM (GC, JIT, timers, other benches' leftovers) is in the whole JVM's figure.",
                CRON, PER_SECOND, data != null ? "tmpfs" : "the run's disk", WARMUP, SECONDS));
    }

    // ---- phases -------------------------------------------------------------------------------------------

    /** One more account backfilling beside the largest size's steady feeds. */
    private static void backfill(Bundle b, Window before) throws Exception {
        long seq = sandbox.requests().lastSeq();
        b.startFeeds(BACKFILL);
        Window w = measure(SECONDS);
        List<LoggedRequest> log = apiRequests(seq);
        String fp = Tokens.fingerprint(b.tokens().get(BACKFILL));
        long others429 = log.stream().filter(r -> r.status() == 429 && !fp.equals(r.tokenFingerprint())).count();
        long own429 = log.stream().filter(r -> r.status() == 429 && fp.equals(r.tokenFingerprint())).count();
        long ownAdmitted = log.stream().filter(r -> r.status() == 200 && fp.equals(r.tokenFingerprint())).count();
        Predicate<String> others = a -> !a.equals(BACKFILL);
        double p99Before = before.p(others, 0.99);
        double p99During = w.p(others, 0.99);
        long backfilled = w.events(BACKFILL::equals);
        System.out.printf(Locale.ROOT, "backfill: %s%n", describe(w));
        String what = String.format(Locale.ROOT, "%d accounts in steady state, one more backfilling (start-time %d days "
                + "back, %d a page, 600 requests/min): ", LARGEST, BACKLOG.toDays(), BACKFILL_LIMIT);
        growthRow(what + "the others' lateness p99 during / before", p99During, p99Before);
        BenchTable.row(ACCOUNTS, what + "the others' 429s during the backfill", Long.toString(others429), "0",
                BenchTable.verdict(others429 == 0));
        BenchTable.row(ACCOUNTS, what + "the backfill itself", String.format(Locale.ROOT, "%,d events in %d s "
                + "(%,.0f ev/s), %,d requests admitted, %,d x 429", backfilled, SECONDS, backfilled / w.seconds(),
                ownAdmitted, own429), "-", "-");
        BenchTable.row(ACCOUNTS, what + "the others' events delivered, during / before", String.format(Locale.ROOT,
                "%,.0f / %,.0f ev/s; whole JVM CPU %s / %s cores busy", w.events(others) / w.seconds(),
                before.events(others) / before.seconds(), BenchTable.ratio(w.processCpu() / 1e9 / w.seconds()),
                BenchTable.ratio(before.processCpu() / 1e9 / before.seconds())), "-", "-");
    }

    /** A fresh bundle of the largest size: a steady window, then one more account whose API answers 500. */
    private static void failing(Path dir) throws Exception {
        try (Bundle b = start(LARGEST, dir, FAILING, null)) {
            Thread.sleep(WARMUP * 1000L);
            Window before = measure(Math.max(10, SECONDS / 2));
            long seq = sandbox.requests().lastSeq();
            EventsApiBreakers breakers = b.harness().context.getRegistry()
                    .lookupByNameAndType("eventsApiBreakers", EventsApiBreakers.class);
            String healthy = accounts(LARGEST).get(0);
            AtomicInteger samples = new AtomicInteger();
            AtomicInteger open = new AtomicInteger();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    samples.incrementAndGet();
                    if (breakers.state(healthy) != CircuitBreaker.State.CLOSED) {
                        open.incrementAndGet();
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-breaker-sampler");
            b.startFeeds(FAILING);
            sampler.start();
            Window w;
            try {
                w = measure(SECONDS);
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            List<LoggedRequest> log = apiRequests(seq);
            String fp = Tokens.fingerprint(b.tokens().get(FAILING));
            long calls = log.stream().filter(r -> fp.equals(r.tokenFingerprint())).count();
            Predicate<String> others = a -> !a.equals(FAILING);
            System.out.printf(Locale.ROOT, "failing: before %s; during %s%n", describe(before), describe(w));
            String what = String.format(Locale.ROOT, "%d accounts in steady state, one more whose API answers 500 to "
                    + "every call: ", LARGEST);
            growthRow(what + "the others' lateness p99 during / before", w.p(others, 0.99), before.p(others, 0.99));
            double openShare = samples.get() == 0 ? 0 : open.get() / (double) samples.get();
            BenchTable.row(ACCOUNTS, what + "the shared host's circuit breaker not closed (share of the window)",
                    String.format(Locale.ROOT, "%s (the failing account's calls: %d, each answered 500; retried "
                            + "with backoff)", BenchTable.percent(openShare), calls), "0%",
                    BenchTable.verdict(open.get() == 0));
            BenchTable.row(ACCOUNTS, what + "the others' events delivered, during / before", String.format(Locale.ROOT,
                    "%,.0f / %,.0f ev/s", w.events(others) / w.seconds(), before.events(others) / before.seconds()),
                    "-", "-");
        }
    }

    /** The largest size into the Kafka sink: each feed's page is a transaction of the feed's own producer. */
    private static void kafkaThreads(Path dir) throws Exception {
        String prefix = "accounts" + System.nanoTime() + ".";
        List<String> topics = FEATURES.stream().map(f -> prefix + f).toList();
        BenchKafka.create(topics);
        int threadsBefore = bundleThreads();
        long heapBefore = heapAfterGc();
        int feeds = LARGEST * FEATURES.size();
        int threads;
        List<String> named;
        long heap;
        int delivered;
        long events;
        DELIVERIES.start();
        try (Bundle b = start(LARGEST, dir, null, prefix)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (DELIVERIES.feedsWithEvents() < feeds && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            Thread.sleep(WARMUP * 1000L);
            delivered = DELIVERIES.feedsWithEvents();
            threads = bundleThreads() - threadsBefore;
            named = accountThreads();
            heap = heapAfterGc() - heapBefore;
        } finally {
            DELIVERIES.stop();
        }
        events = DELIVERIES.snapshot().values().stream().mapToLong(l -> l.length).sum();
        BenchKafka.checkAndDrop(topics, events);
        BenchTable.row(ACCOUNTS, String.format(Locale.ROOT, "Kafka sink, %d accounts x 3 feeds (%d of them had "
                + "delivered): the bundle's threads; named for an account or feed; heap (the bundle's)", LARGEST,
                delivered), String.format(Locale.ROOT, "%d; %d (%s); %.1f MiB", threads, named.size(),
                sample(named), heap / 1048576.0), "no thread per feed",
                BenchTable.verdict(named.isEmpty()));
    }

    /** One feed's dedupe store holding its capacity: what a long run reaches, times every feed. */
    private static void dedupeAtCapacity(Path dir) throws Exception {
        int capacity = 100_000; // onepassword.events.dedupe.capacity's default
        Files.createDirectories(dir);
        long before = heapAfterGc();
        FileUuidRepository repo = new FileUuidRepository(dir.resolve("one.uuids"), capacity);
        ServiceHelper.startService(repo);
        var stream = sandbox.events().stream(accounts(LARGEST).get(0), FEATURES.get(0));
        for (long i = 0; i < capacity; i++) {
            repo.add(stream.uuid(1_000_000_000L + i)); // real event uuids, none of the run's
        }
        repo.flush();
        long perFeed = heapAfterGc() - before;
        Reference.reachabilityFence(repo);
        ServiceHelper.stopService(repo);
        int feeds = LARGEST * FEATURES.size();
        long all = perFeed * feeds;
        BenchTable.row(ACCOUNTS, String.format(Locale.ROOT, "dedupe store of one feed at its capacity (%,d uuids, "
                + "file store), times %d feeds (%d accounts): heap once every feed has delivered %,d events",
                capacity, feeds, LARGEST, capacity), String.format(Locale.ROOT, "%.1f MiB x %d = %,.0f MiB",
                perFeed / 1048576.0, feeds, all / 1048576.0), "<= 256 MiB", BenchTable.verdict(all <= HEAP_TARGET));
    }

    /** A first bundle, not measured: the JIT compiles the poll path before the first size is measured. */
    private static void warmUp(Path dir) throws Exception {
        try (Bundle b = start(Math.min(10, LARGEST), dir, null, null)) {
            Thread.sleep(2L * WARMUP * 1000);
        }
        Thread.sleep(1000);
    }

    /** Live threads by name, digits as #. */
    private static Map<String, Integer> threadNames() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Integer> out = new HashMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                out.merge(t.getThreadName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
            }
        }
        return out;
    }

    private static String left(Map<String, Integer> before, Map<String, Integer> after) {
        String s = after.entrySet().stream().filter(e -> e.getValue() > before.getOrDefault(e.getKey(), 0))
                .map(e -> (e.getValue() - before.getOrDefault(e.getKey(), 0)) + " x " + e.getKey()).sorted()
                .collect(Collectors.joining(", "));
        return s.isEmpty() ? "none" : s;
    }

    // ---- rows ---------------------------------------------------------------------------------------------

    private static void steadyRows(List<Steady> steady) {
        long interval = pollInterval();
        Predicate<String> all = a -> true;
        for (Steady s : steady) {
            Window w = s.window();
            double p99 = w.p(all, 0.99);
            BenchTable.row(ACCOUNTS, String.format(Locale.ROOT, "%d account%s x 3 feeds, steady state: events "
                    + "delivered; lateness p50 / p99 (the slowest feed's p99)", s.accounts(),
                    s.accounts() == 1 ? "" : "s"), String.format(Locale.ROOT, "%,.0f ev/s; %s / %s s (%s s)",
                    w.events(all) / w.seconds(), seconds(w.p(all, 0.5)), seconds(p99),
                    seconds(w.slowestFeed(all))), String.format(Locale.ROOT, "p99 <= %s s (poll interval + 1 s)",
                    seconds(interval + 1000)), BenchTable.verdict(p99 <= interval + 1000));
            BenchTable.row(ACCOUNTS, String.format(Locale.ROOT, "%d account%s: the bundle's threads (peak); heap "
                    + "(the whole JVM's); CPU per 1,000 events: whole JVM / sandbox / feed polls", s.accounts(),
                    s.accounts() == 1 ? "" : "s"), String.format(Locale.ROOT, "%d (%d); %.1f MiB (%.1f MiB); "
                    + "%s / %s / %s ms", w.threads() - s.threadsBefore(), w.peakThreads() - s.threadsBefore(),
                    s.heap() / 1048576.0, s.jvmHeap() / 1048576.0, ms(w.cpuPerThousand(w.processCpu(), all)),
                    ms(w.cpuPerThousand(w.sandboxCpu(), all)), ms(w.cpuPerThousand(w.pollCpu(), all))), "-", "-");
        }
        Steady first = steady.get(0);
        Steady last = steady.get(steady.size() - 1);
        String sizes = steady.stream().map(s -> Integer.toString(s.accounts())).collect(Collectors.joining(" / "));
        List<String> named = steady.stream().flatMap(s -> s.window().accountThreads().stream()).distinct().toList();
        int growth = (last.window().threads() - last.threadsBefore()) - (first.window().threads()
                - first.threadsBefore());
        BenchTable.row(ACCOUNTS, "the bundle's threads at " + sizes + " accounts (file sink); named for an account or "
                + "feed", steady.stream().map(s -> Integer.toString(s.window().threads() - s.threadsBefore()))
                .collect(Collectors.joining(" / ")) + "; " + named.size() + (named.isEmpty() ? "" : " (" + sample(named)
                + ")"), String.format(Locale.ROOT, "bounded: at %d <= at %d + %d; none per feed", last.accounts(),
                first.accounts(), THREADS_BOUND), BenchTable.verdict(growth <= THREADS_BOUND && named.isEmpty()));
        String slope = first == last ? "" : String.format(Locale.ROOT, "; %.2f MiB an account from %d to %d",
                (last.heap() - first.heap()) / 1048576.0 / (last.accounts() - first.accounts()), first.accounts(),
                last.accounts());
        BenchTable.row(ACCOUNTS, String.format(Locale.ROOT, "heap after System.gc() at %d accounts: the bundle's "
                + "(the whole JVM's)", last.accounts()), String.format(Locale.ROOT, "%.1f MiB (%.1f MiB)%s",
                last.heap() / 1048576.0, last.jvmHeap() / 1048576.0, slope), "<= 256 MiB",
                BenchTable.verdict(last.heap() <= HEAP_TARGET));
        double a = first.window().cpuPerThousand(first.window().pollCpu(), x -> true);
        double b = last.window().cpuPerThousand(last.window().pollCpu(), x -> true);
        BenchTable.row(ACCOUNTS, String.format(Locale.ROOT, "CPU of the feed polls per 1,000 events, %d accounts / %d",
                last.accounts(), first.accounts()), String.format(Locale.ROOT, "%s (%s / %s ms)", BenchTable.ratio(b / a),
                ms(b), ms(a)), "flat: <= 1.25", BenchTable.verdict(b / a <= 1.25));
        String cpu = last.window().cpuByName().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue()
                .reversed()).limit(8).map(e -> e.getKey() + " " + ms(e.getValue() / 1e6) + " ms")
                .collect(Collectors.joining(", "));
        BenchTable.note(ACCOUNTS, "Accounts: CPU by thread name (digits as #) in the " + last.accounts()
                + "-account window: " + cpu + ".");
    }

    private static void growthRow(String measure, double during, double before) {
        double r = during / before;
        BenchTable.row(ACCOUNTS, measure, String.format(Locale.ROOT, "%s / %s s (%s)", seconds(during), seconds(before),
                BenchTable.ratio(r)), "<= " + BenchTable.ratio(LATENESS_GROWTH), BenchTable.verdict(r <= LATENESS_GROWTH));
    }

    // ---- the bundle and its measures ----------------------------------------------------------------------

    private static List<String> accounts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(String.format(Locale.ROOT, "acct-%03d", i));
        }
        return out;
    }

    /**
     * The bundle with n accounts on their Quartz schedules, plus {@code heldBack} (its feeds not started), into the
     * file sink, or Kafka with a topic prefix. Each feed reports its delivered pages to {@link #DELIVERIES}.
     */
    private static Bundle start(int n, Path dir, String heldBack, String kafkaPrefix) throws Exception {
        List<String> names = new ArrayList<>(accounts(n));
        if (heldBack != null) {
            names.add(heldBack);
        }
        Files.createDirectories(dir);
        Map<String, String> p = new LinkedHashMap<>();
        Map<String, String> tokens = new HashMap<>();
        p.put("onepassword.events.accounts", String.join(",", names));
        for (String a : names) {
            tokens.put(a, sandbox.issueEventsToken(a, FEATURES));
            p.put("onepassword.events." + a + ".host", sandbox.baseUrl());
            p.put("onepassword.events." + a + ".token", tokens.get(a));
        }
        p.put("onepassword.data-dir", dir.toString());
        p.put("onepassword.events.cron", CRON);
        p.put("onepassword.events.start-window", "PT2S"); // the steady feeds start at now: no catch-up first
        p.put("onepassword.events." + BACKFILL + ".start-time", origin.toString());
        p.put("onepassword.events." + BACKFILL + ".limit", Integer.toString(BACKFILL_LIMIT));
        if (kafkaPrefix != null) {
            p.put("onepassword.sink.type", "kafka");
            p.put("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
            p.put("onepassword.sink.kafka.topic-prefix", kafkaPrefix);
        }
        BundleHarness h = BundleHarness.start(p, dir, false, ctx -> {
            for (String a : names) {
                for (String f : FEATURES) {
                    String id = EventsFeedRoutes.routeId(a, Feature.valueOf(f));
                    if (a.equals(heldBack)) {
                        ctx.getRouteDefinition(id).setAutoStartup("false");
                    }
                    AdviceWith.adviceWith(ctx, id, r -> r.weaveById("count-the-delivered-events").after()
                            .process(DELIVERIES::record));
                }
            }
        });
        return new Bundle(h, tokens);
    }

    private static Window measure(int seconds) throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        mx.resetPeakThreadCount();
        Cpu c0 = Cpu.now();
        long t0 = System.nanoTime();
        DELIVERIES.start();
        Thread.sleep(seconds * 1000L);
        DELIVERIES.stop();
        double wall = (System.nanoTime() - t0) / 1e9;
        Cpu c1 = Cpu.now();
        Map<String, Long> byName = new HashMap<>();
        long sandboxCpu = 0;
        long pollCpu = 0;
        for (var e : c1.threads().entrySet()) {
            long spent = e.getValue() - c0.threads().getOrDefault(e.getKey(), 0L);
            String name = c1.names().get(e.getKey());
            byName.merge(name.replaceAll("[0-9]+", "#"), spent, Long::sum);
            if (name.startsWith("sandbox-")) {
                sandboxCpu += spent;
            } else if (name.contains("_Worker-")) {
                pollCpu += spent;
            }
        }
        int sandboxThreads = mx.getThreadCount() - bundleThreads();
        return new Window(wall, DELIVERIES.snapshot(), mx.getThreadCount() - sandboxThreads,
                mx.getPeakThreadCount() - sandboxThreads, accountThreads(),
                c1.process() - c0.process(), sandboxCpu, pollCpu, byName);
    }

    /** The process's CPU time and each live thread's, by thread id. */
    private record Cpu(long process, Map<Long, Long> threads, Map<Long, String> names) {
        static Cpu now() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<Long, Long> cpu = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (t != null) {
                    long c = mx.getThreadCpuTime(t.getThreadId());
                    if (c >= 0) {
                        cpu.put(t.getThreadId(), c);
                        names.put(t.getThreadId(), t.getThreadName());
                    }
                }
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Cpu(os.getProcessCpuTime(), cpu, names);
        }
    }

    /** Live threads but the sandbox's. */
    private static int bundleThreads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return (int) Arrays.stream(mx.getThreadInfo(mx.getAllThreadIds()))
                .filter(t -> t != null && !t.getThreadName().startsWith("sandbox-")).count();
    }

    /** Live threads whose name carries an account's name: a thread per account or per feed. */
    private static List<String> accountThreads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return Arrays.stream(mx.getThreadInfo(mx.getAllThreadIds())).filter(t -> t != null)
                .map(ThreadInfo::getThreadName)
                .filter(n -> n.contains("acct-")).toList();
    }

    private static String sample(List<String> names) {
        return names.isEmpty() ? "none" : "e.g. " + names.get(0);
    }

    private static List<LoggedRequest> apiRequests(long afterSeq) {
        return sandbox.requests().since(afterSeq).stream().filter(r -> r.path().startsWith("/api/")).toList();
    }

    private static long heapAfterGc() throws InterruptedException {
        sandbox.requests().clear(); // the sandbox's log is the test double's memory, not the bundle's
        return BenchTable.usedHeapAfterGc();
    }

    private static long pollInterval() {
        try {
            CronExpression c = new CronExpression(CRON);
            Date a = c.getNextValidTimeAfter(new Date());
            return c.getNextValidTimeAfter(a).getTime() - a.getTime();
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("bench.accounts.cron: " + e.getMessage(), e);
        }
    }

    private static String describe(Window w) {
        Predicate<String> all = a -> true;
        return String.format(Locale.ROOT, "%,d events in %.1f s, lateness p50 %s s, p99 %s s, threads %d, CPU %.2f "
                + "cores (sandbox %.2f, polls %.2f)", w.events(all), w.seconds(), seconds(w.p(all, 0.5)),
                seconds(w.p(all, 0.99)), w.threads(), w.processCpu() / 1e9 / w.seconds(),
                w.sandboxCpu() / 1e9 / w.seconds(), w.pollCpu() / 1e9 / w.seconds());
    }

    private static String seconds(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis / 1000);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%,.0f", millis);
    }

    private static String accountOf(String feed) {
        return feed.substring(0, feed.indexOf('/'));
    }

    /** Each delivered event's lateness in ms, per feed (account/feature), while recording. */
    static final class Deliveries {
        private final Map<String, List<Long>> lateness = new ConcurrentHashMap<>();
        private volatile boolean on;

        void start() {
            lateness.clear();
            on = true;
        }

        void stop() {
            on = false;
        }

        /** After the feed route counted a page as delivered (the sink acknowledged it, its cursor is saved). */
        void record(Exchange exchange) {
            if (!on) {
                return;
            }
            long now = System.currentTimeMillis();
            EventPage page = exchange.getProperty("opPage", EventPage.class);
            String feed = exchange.getProperty("opAccount", String.class) + "/"
                    + exchange.getProperty("opFeature", String.class);
            List<Long> list = lateness.computeIfAbsent(feed, k -> Collections.synchronizedList(new ArrayList<>()));
            for (JsonNode item : page.items()) {
                list.add(now - OffsetDateTime.parse(item.get("timestamp").asText()).toInstant().toEpochMilli());
            }
        }

        int feedsWithEvents() {
            return (int) lateness.values().stream().filter(l -> !l.isEmpty()).count();
        }

        Map<String, long[]> snapshot() {
            Map<String, long[]> out = new HashMap<>();
            lateness.forEach((feed, list) -> {
                synchronized (list) {
                    out.put(feed, list.stream().mapToLong(Long::longValue).toArray());
                }
            });
            return out;
        }
    }
}
