package io.opcamel.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a request that no route of the bundle takes, on the HTTP server that serves the SCIM gateway and the
 * lifecycle API: each API's own refusal ({@link Refusals}: a SCIM Error below the gateway's base path, the lifecycle
 * API's JSON below its own, the reconcile API's on its path there), where Vert.x would answer with an HTML page or
 * plain text and log an ERROR with a stack trace.
 *
 * <ul>
 * <li>a request while the bundle starts (the server listens about a second before the routes are in it): held, then
 * routed once they are, so it gets its real answer (a 404 then would tell an identity provider a user is gone); while
 * it stops, or if it has not started within 30 s: 503 with {@code Retry-After: 1}, which identity providers
 * retry;</li>
 * <li>a path no route has ({@code /scim/v2/..} is {@code /scim} once the server removes dot segments): 404;</li>
 * <li>a path a route has, with another method ({@code DELETE /lifecycle/v1/commands}): 405 and {@code Allow};</li>
 * <li>a request the server failed before a route ran: its status, such as 400 for a query string that does not
 * decode ({@code ?filter=%zz}) or 413 for a body over {@code camel.server.max-body-size}.</li>
 * </ul>
 *
 * What the server refuses before this router sees it keeps the server's bare answer: its HTTP codec's 414 (a request
 * line over 4 KB), 431 (headers over 8 KB) and 417 (an unknown {@code Expect}), and the outer router's 400 for a path
 * that does not decode ({@code /scim/v2/Users/%zz}). Camel's platform-http hands the bundle only the router below.
 * Installed on Camel Main's platform-http server, or an ESB's when it is Vert.x; another engine keeps its own. Only
 * the bundle's own base paths are answered here (the gateway's, and the lifecycle API's, where reconciliation has its
 * path, when they are on; the first base a request is under words the refusal): what an ESB serves beside them,
 * and a failure of another status (a 401 of Camel's basic auth), goes on to whoever handled it before.
 */
public final class UnroutedRequests {

    private static final Logger LOG = LoggerFactory.getLogger(UnroutedRequests.class);

    /** The statuses of the failures answered here: what a request's own fault makes the server fail with. */
    private static final Set<Integer> FAILURES = Set.of(400, 413, 500);
    /** How long a request that came while the bundle starts is held for the routes. */
    private static final long STARTING_WAIT_NANOS = java.time.Duration.ofSeconds(30).toNanos();

    /** Each base path the bundle serves and how its API words a refusal. */
    private final Map<String, Refusals> bases;
    private final Set<VertxPlatformHttpRouter> installed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** How one API words a refusal (a SCIM Error, the lifecycle API's JSON): its owner's shape, not this class's. */
    @FunctionalInterface
    public interface Refusals {

        /**
         * @param rule   the kind of refusal (path, method, request, starting)
         * @param reason one sentence for the caller
         */
        Refusal refuse(int status, String rule, String reason);
    }

    /** A refusal's body and its media type. */
    public record Refusal(String contentType, String body) {
    }

    /** @param bases each base path the bundle serves and its refusals' shape, a path below another's first */
    public UnroutedRequests(Map<String, Refusals> bases) {
        this.bases = new LinkedHashMap<>(bases);
    }

    /**
     * Adds its routes and error handlers to each platform-http router of the context but the management server's,
     * once per router. Called as the context starts (before the server listens, where its router already exists) and
     * again once it has started (a router that came later, such as an ESB's).
     */
    public void install(CamelContext context) {
        if (bases.isEmpty()) {
            return;
        }
        Set<VertxPlatformHttpRouter> routers = context.getRegistry().findByType(VertxPlatformHttpRouter.class);
        for (VertxPlatformHttpRouter router : routers) {
            if (router.isManagementServer() || !installed.add(router)) {
                continue;
            }
            // last(): after every route, also those a consumer adds later, so none is shadowed
            Route notRouted = router.route().last();
            notRouted.handler(ctx -> answerNotRouted(context, ctx, router.getRoutes(), notRouted));
            // A request the server fails on its own ends in one of two places, depending on where it failed. In a
            // route's handler (a query string that does not decode, read by platform-http; a body over the server's
            // limit): the failure walks this router's routes again from the top, so a failure route placed first
            // answers it (it is skipped by requests that did not fail). While matching a route with a path
            // parameter (the same query on GET .../commands/{requestId}): the router's error handler for its status.
            // Vert.x's body handler decodes the query with a form body's fields once the body has come, outside the
            // router: a query that does not decode threw there and the request got no answer at all. Decoded here
            // first, it fails inside the router like any other (only form bodies: other requests never get there).
            router.route().order(Integer.MIN_VALUE).handler(ctx -> {
                if (ctx.request().query() != null && formBody(ctx) && ours(ctx)) {
                    try {
                        ctx.request().params();
                    } catch (IllegalArgumentException e) {
                        ctx.fail(400, e);
                        return;
                    }
                }
                ctx.next();
            });
            router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
                int status = statusOf(ctx);
                if (ours(ctx) && FAILURES.contains(status) && !ctx.response().headWritten()) {
                    answerFailed(ctx, status);
                } else {
                    ctx.next(); // not ours, or an answer already begun: as before this handler
                }
            });
            for (int status : FAILURES) {
                router.errorHandler(status, ctx -> {
                    if (ctx.response().headWritten()) {
                        ctx.response().close(); // an answer half sent cannot be mended: the client sees it cut
                    } else if (ours(ctx)) {
                        answerFailed(ctx, status);
                    } else {
                        if (status >= 500) {
                            LOG.error("{} {} failed with {}", ctx.request().method(),
                                    printable(String.valueOf(ctx.normalizedPath())), status, ctx.failure());
                        }
                        ctx.response().setStatusCode(status).end(HttpResponseStatus.valueOf(status).reasonPhrase());
                    }
                });
            }
            LOG.debug("Requests no route takes on {} get the bundle's error answers", router.getName());
        }
    }

    /**
     * Installs on each router as soon as it exists, from the context's start until it has started: a daemon thread
     * looks every millisecond (Camel creates the router as the server binds its port, with no event in between).
     */
    public void installWhenTheServerListens(CamelContext context) {
        if (bases.isEmpty()) {
            return;
        }
        Thread watch = new Thread(() -> {
            while (!context.getStatus().isStarted() && !context.getStatus().isStopping()
                    && !context.getStatus().isStopped()) {
                install(context);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "onepassword-http-answers-while-starting");
        watch.setDaemon(true);
        watch.start();
    }

    private void answerNotRouted(CamelContext context, RoutingContext ctx, Collection<Route> routes, Route notRouted) {
        if (!ours(ctx)) {
            ctx.next(); // the server's own 404 or 405
            return;
        }
        if (!context.getStatus().isStarted()) {
            whenStarted(context, ctx, System.nanoTime() + STARTING_WAIT_NANOS);
            return;
        }
        String path = String.valueOf(ctx.normalizedPath());
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            if (r != notRouted && r.getPath() != null && matches(r.getPath(), path)) {
                r.methods().forEach(m -> allowed.add(m.name()));
            }
        }
        if (allowed.isEmpty()) {
            answer(ctx, 404, "path", "no resource at " + printable(path));
        } else {
            ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
            answer(ctx, 405, "method", ctx.request().method().name() + " is not allowed on " + printable(path) + " ("
                    + String.join(", ", allowed) + ")");
        }
    }

    /**
     * A request that came while the routes were not all in the router yet: held (its body stays unread) and routed
     * again once the bundle has started, so the caller gets its real answer a moment late rather than a 404. A bundle
     * that is stopping, or still not started after {@link #STARTING_WAIT_NANOS}, answers 503 with Retry-After.
     */
    private void whenStarted(CamelContext context, RoutingContext ctx, long deadline) {
        if (context.getStatus().isStarted()) {
            ctx.reroute(ctx.request().method(), ctx.request().uri());
        } else if (context.getStatus().isStopping() || context.getStatus().isStopped()
                || System.nanoTime() > deadline) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
            answer(ctx, 503, "starting", "the bundle is " + (context.getStatus().isStarting() ? "starting"
                    : "stopping") + ": try again in a second");
        } else {
            ctx.vertx().setTimer(20, id -> whenStarted(context, ctx, deadline));
        }
    }

    private static int statusOf(RoutingContext ctx) {
        if (ctx.statusCode() != -1) {
            return ctx.statusCode();
        }
        return ctx.failure() instanceof HttpException e ? e.getStatusCode() : 500;
    }

    /** The bodies Vert.x's body handler reads as form fields, together with the query. */
    private static boolean formBody(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        String t = type.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("application/x-www-form-urlencoded") || t.startsWith("multipart/form-data");
    }

    /** Whether the request is for one of the bundle's base paths, as sent or once its dot segments are gone. */
    private boolean ours(RoutingContext ctx) {
        return refusals(ctx) != null;
    }

    /** The refusals of the base path the request is under; null when none. */
    private Refusals refusals(RoutingContext ctx) {
        for (Map.Entry<String, Refusals> base : bases.entrySet()) {
            if (under(ctx, base.getKey())) {
                return base.getValue();
            }
        }
        return null;
    }

    private static boolean under(RoutingContext ctx, String base) {
        return base != null && (under(String.valueOf(ctx.normalizedPath()), base)
                || ctx.request().path() != null && under(ctx.request().path(), base));
    }

    private void answerFailed(RoutingContext ctx, int status) {
        String reason = switch (status) {
            case 400 -> "the request could not be read (a query string or path that does not decode, such as %zz)";
            case 413 -> "the request body is larger than this server takes (camel.server.max-body-size)";
            default -> "the server could not handle the request";
        };
        if (status >= 500) {
            // not the request's fault: the stack trace, for whoever looks into it
            LOG.error("{} {} failed with {} outside the bundle's routes", ctx.request().method(),
                    printable(String.valueOf(ctx.normalizedPath())), status, ctx.failure());
            answer(ctx, status, "server", reason);
            return;
        }
        // one line, no stack trace: the request's fault, not the bundle's (the cause's message may quote the request)
        LOG.warn("Refused {} {} with {} before any route ran: {}", ctx.request().method(),
                printable(String.valueOf(ctx.normalizedPath())), status,
                ctx.failure() == null ? "no cause given" : ctx.failure().getClass().getSimpleName());
        answer(ctx, status, "request", reason);
    }

    private void answer(RoutingContext ctx, int status, String rule, String reason) {
        Refusal refusal = refusals(ctx).refuse(status, rule, reason);
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, refusal.contentType());
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().end();
        } else {
            ctx.response().end(refusal.body());
        }
    }

    private static String printable(String s) {
        return Printable.of(s, 200);
    }

    /** A Vert.x route path ({@code /a/:id/b}, {@code /a*}; a regex route has none) against a normalized path. */
    static boolean matches(String routePath, String path) {
        if (routePath.endsWith("*")) {
            return path.startsWith(routePath.substring(0, routePath.length() - 1));
        }
        String[] want = routePath.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean param = want[i].startsWith(":") && !got[i].isEmpty();
            if (!param && !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean under(String path, String base) {
        return path.equals(base) || path.startsWith(base + "/");
    }
}
