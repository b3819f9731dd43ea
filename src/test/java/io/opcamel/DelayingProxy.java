package io.opcamel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that passes every byte through unchanged, in order, and can hold back what the server
 * answers: {@link #delayAnswers(Duration)} makes each chunk the server sends reach the client that much later (the
 * requests still reach the server at once, so a produce request is appended on time and only its acknowledgement is
 * late), and {@link #delayRequests(Duration)} holds back what clients send (a write that reaches the broker after its
 * sender gave up on it). It rewrites nothing: the broker behind it advertises the proxy's port on a listener of its
 * own.
 */
public final class DelayingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final AtomicLong answerDelayNanos = new AtomicLong();
    private final AtomicLong requestDelayNanos = new AtomicLong();
    /** Chunks read and not written on yet, both ways. */
    private final AtomicLong holding = new AtomicLong();
    private final AtomicLong heldBack = new AtomicLong();
    private volatile boolean closed;

    private DelayingProxy(ServerSocket server, int target) {
        this.server = server;
        this.target = target;
    }

    /** Listens on {@code port} (0: any free one) of 127.0.0.1 and forwards to 127.0.0.1:{@code target}. */
    public static DelayingProxy start(int port, int target) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        DelayingProxy p = new DelayingProxy(s, target);
        Thread accept = new Thread(p::accept, "delaying-proxy-accept-" + s.getLocalPort());
        accept.setDaemon(true);
        accept.start();
        return p;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every answer from now on reaches its client {@code delay} late (zero: at once, after those held already). */
    public void delayAnswers(Duration delay) {
        answerDelayNanos.set(delay.toNanos());
    }

    /** Every request from now on reaches the broker {@code delay} late (zero: at once, after those held already). */
    public void delayRequests(Duration delay) {
        requestDelayNanos.set(delay.toNanos());
    }

    /** How many chunks (either way) are waiting to be passed on: zero once everything held back has arrived. */
    public long holding() {
        return holding.get();
    }

    /** How many chunks of answers were held back since the start. */
    public long answersHeldBack() {
        return heldBack.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                pump(client, upstream, false, "request");
                pump(upstream, client, true, "answer");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // the broker is down: the client's connection is refused by closing it, as a stopped broker would
            }
        }
    }

    /** Copies one direction: a reader queues each chunk with the time it is due, a writer sends it then. */
    private void pump(Socket from, Socket to, boolean delayed, String what) {
        DelayQueue<Chunk> queue = new DelayQueue<>();
        AtomicLong lastDue = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean dead = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0 && !dead.get()) {
                    long delay = delayed ? answerDelayNanos.get() : requestDelayNanos.get();
                    if (delay > 0 && delayed) {
                        heldBack.incrementAndGet();
                    }
                    holding.incrementAndGet();
                    // strictly later than the chunk before: the queue hands chunks over in the order they came
                    long due = lastDue.updateAndGet(last -> Math.max(System.nanoTime() + delay, last + 1));
                    queue.add(new Chunk(Arrays.copyOf(buf, n), due));
                }
            } catch (IOException ignored) {
                // the connection is gone
            }
            queue.add(new Chunk(null, lastDue.updateAndGet(last -> Math.max(System.nanoTime(), last + 1))));
        }, "delaying-proxy-" + what + "-reader");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = queue.take();
                    if (c.bytes == null) {
                        break;
                    }
                    try {
                        out.write(c.bytes);
                        out.flush();
                    } finally {
                        holding.decrementAndGet();
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // the connection is gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                dead.set(true);
                for (Chunk left : queue) {
                    if (left.bytes != null) {
                        holding.decrementAndGet(); // never to be written: the connection is gone
                    }
                }
                queue.clear();
            }
        }, "delaying-proxy-" + what + "-writer");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private record Chunk(byte[] bytes, long due) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(due, ((Chunk) o).due);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
