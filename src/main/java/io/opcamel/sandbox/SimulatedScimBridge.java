package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The simulated 1Password SCIM Bridge (v2.9-like): a strict RFC 7643/7644 server with the real bridge's recorded
 * quirks, behind {@code /scim/v2/...} and {@code /scim/...}, plus {@code /health} (bearer) and {@code /ping}
 * (open). Transport faults (rate limit, 429, 5xx, resets, malformed bodies, latency) are the {@link Sandbox}'s;
 * the SCIM-specific ones (wrongTotalResults, removeWithValueRemovesAllMembers, the group-name omissions, the
 * unhealthy and stale /health components) are honoured here.
 *
 * <p>This class authenticates and routes; the endpoints, storage, filters and PATCH live in the other
 * {@code Scim*} classes. The public methods below are for tests: they read and drive what SCIM cannot show
 * (invitation state, group members).
 */
public final class SimulatedScimBridge implements SandboxApi {

    /** What a resource id in a path may look like; anything else is a 404, never a file-system-like lookup. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final SandboxConfig config;
    private final Faults faults;
    private final byte[] token;
    private final ScimStore store;
    private final ScimUserRules rules;
    private final ScimUsers users;
    private final ScimGroups groups;

    public SimulatedScimBridge(SandboxConfig config, Faults faults, String bridgeToken) {
        this.config = config;
        this.faults = faults;
        this.token = bridgeToken.getBytes(StandardCharsets.UTF_8);
        this.store = new ScimStore(config.seed, config.clock);
        this.rules = new ScimUserRules(config.scimAllowedDomains);
        this.users = new ScimUsers(store, rules, faults);
        this.groups = new ScimGroups(store, faults);
    }

    @Override
    public Faults faults() {
        return faults;
    }

    @Override
    public String rateLimitKey(SandboxRequest request) {
        return request.bearerToken();
    }

    @Override
    public SandboxResponse error(int status, String message) {
        return ScimJson.respond(status, ScimJson.error(status, null, message));
    }

    @Override
    public SandboxResponse handle(SandboxRequest req) {
        try {
            if (req.path().equals("/ping")) {
                return ping(req);
            }
            authenticate(req);
            if (req.path().equals("/health")) {
                if (!req.method().equals("GET")) {
                    return methodNotAllowed(req, "GET");
                }
                return ScimJson.respond(200,
                        ScimDiscovery.health(config.scimBuild, config.scimVersion, config.clock.instant(), faults));
            }
            return route(req, segments(req.path()));
        } catch (ScimException e) {
            SandboxResponse r = ScimJson.respond(e);
            return e.status() == 401 ? r.withHeader("WWW-Authenticate", "Bearer realm=\"SCIM\"") : r;
        }
    }

    // --- test hooks: what SCIM does not show ---

    /** The user's 1Password state (SCIM shows INVITED and ACTIVE alike as active:true). */
    public ScimUserState state(String userId) {
        return user(userId).state();
    }

    /** What the ConfirmationWatcher does once a user accepts the invitation: INVITED becomes ACTIVE. */
    public ScimUser acceptInvitation(String userId) {
        return javaCall(() -> store.acceptInvitation(userId));
    }

    /** A snapshot of one user; IllegalArgumentException when there is none. */
    public ScimUser user(String userId) {
        return javaCall(() -> store.user(userId));
    }

    /** Snapshots of every user (suspended ones included), in creation order. */
    public List<ScimUser> users() {
        return store.users(u -> true);
    }

    public ScimGroup group(String groupId) {
        return javaCall(() -> store.group(groupId));
    }

    public List<ScimGroup> groups() {
        return store.groups(g -> true);
    }

    /** The user ids in a group, in the order they were added (SCIM responses never list members). */
    public List<String> groupMembers(String groupId) {
        return group(groupId).memberIds();
    }

    /** Creates a user as an IdP's POST would (same checks), for tests that need one without HTTP. */
    public ScimUser addUser(String userName, String givenName, String familyName) {
        ScimUser draft = new ScimUser();
        return javaCall(() -> {
            draft.userName = rules.userName(userName);
            if (givenName == null || givenName.isBlank() || familyName == null || familyName.isBlank()) {
                throw ScimException.invalidValue("name.givenName and name.familyName are required");
            }
            draft.givenName = givenName;
            draft.familyName = familyName;
            return store.createUser(draft);
        });
    }

    /** Suspends a user, as an IdP's PATCH active=false would, for tests that need one without HTTP. */
    public ScimUser suspend(String userId) {
        return javaCall(() -> store.updateUser(userId, u -> u.setActive(false)));
    }

    /** Creates a group with the given members, as an IdP's POST would. */
    public ScimGroup addGroup(String displayName, String... memberIds) {
        ScimGroup draft = new ScimGroup();
        draft.displayName = displayName;
        draft.members.addAll(Arrays.asList(memberIds));
        return javaCall(() -> store.createGroup(draft));
    }

    /**
     * Forgets every user and group and restarts the id sequences. {@link Sandbox#reset()} clears faults and the
     * request log only, so a test wanting an empty account calls this as well.
     */
    public void clear() {
        store.clear();
    }

    // --- routing ---

    private SandboxResponse ping(SandboxRequest req) {
        if (!req.method().equals("GET")) {
            return methodNotAllowed(req, "GET");
        }
        return SandboxResponse.of(200, "text/plain; charset=utf-8", "pong".getBytes(StandardCharsets.UTF_8));
    }

    /** Constant-time comparison, so response timing does not leak how much of a guessed token was right. */
    private void authenticate(SandboxRequest req) {
        String given = req.bearerToken();
        if (given == null) {
            throw new ScimException(401, null, "an Authorization: Bearer token is required");
        }
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ScimException(401, null, "the bearer token is not valid for this bridge");
        }
    }

    /** The path below the /scim/v2 or /scim prefix, split into segments; a 404 for anything else. */
    private static List<String> segments(String path) {
        String rest;
        if (path.startsWith("/scim/v2/")) {
            rest = path.substring("/scim/v2/".length());
        } else if (path.startsWith("/scim/")) {
            rest = path.substring("/scim/".length());
        } else {
            throw ScimException.notFound("no such path: " + path);
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> segs = List.of(rest.split("/", -1));
        if (segs.isEmpty() || segs.stream().anyMatch(String::isEmpty)) {
            throw ScimException.notFound("no such path: " + path);
        }
        return segs;
    }

    private SandboxResponse route(SandboxRequest req, List<String> segs) {
        String resource = segs.get(0);
        String m = req.method();
        switch (resource) {
            case "Users", "Groups" -> {
                boolean isUsers = resource.equals("Users");
                if (segs.size() == 1) {
                    return switch (m) {
                        case "GET" -> isUsers ? users.list(req.query()) : groups.list(req.query());
                        case "POST" -> isUsers ? users.create(body(req)) : groups.create(body(req));
                        default -> methodNotAllowed(req, "GET, POST");
                    };
                }
                if (segs.size() > 2 || !ID.matcher(segs.get(1)).matches()) {
                    throw ScimException.notFound("no such path: " + req.path());
                }
                String id = segs.get(1);
                return switch (m) {
                    case "GET" -> isUsers ? users.get(id) : groups.get(id);
                    case "PUT" -> isUsers ? users.replace(id, body(req)) : groups.replace(id, body(req));
                    case "PATCH" -> isUsers ? users.patch(id, body(req)) : groups.patch(id, body(req));
                    case "DELETE" -> isUsers ? users.delete(id) : groups.delete(id);
                    default -> methodNotAllowed(req, "GET, PUT, PATCH, DELETE");
                };
            }
            case "ServiceProviderConfig" -> {
                if (segs.size() != 1) {
                    throw ScimException.notFound("no such path: " + req.path());
                }
                return m.equals("GET") ? ScimJson.respond(200, ScimDiscovery.serviceProviderConfig())
                        : methodNotAllowed(req, "GET");
            }
            case "ResourceTypes", "Schemas" -> {
                if (segs.size() > 2) {
                    throw ScimException.notFound("no such path: " + req.path());
                }
                if (!m.equals("GET")) {
                    return methodNotAllowed(req, "GET");
                }
                boolean types = resource.equals("ResourceTypes");
                if (segs.size() == 1) {
                    return ScimJson.respond(200, types ? ScimDiscovery.resourceTypes() : ScimDiscovery.schemas());
                }
                String name = URLDecoder.decode(segs.get(1), StandardCharsets.UTF_8); // URNs may come %3A-encoded
                ObjectNode one = types ? ScimDiscovery.resourceType(name) : ScimDiscovery.schema(name);
                if (one == null) {
                    throw ScimException.notFound(resource + " " + name + " not found");
                }
                return ScimJson.respond(200, one);
            }
            default -> throw ScimException.notFound("no such path: " + req.path());
        }
    }

    /**
     * The JSON object a POST, PUT or PATCH carries. A body in another media type is answered 415 Unsupported
     * Media Type (RFC 7231 §6.5.13) rather than guessed at; RFC 7644 defines no scimType for it.
     */
    private static ObjectNode body(SandboxRequest req) {
        String ct = req.contentType();
        int semi = ct.indexOf(';');
        String media = (semi < 0 ? ct : ct.substring(0, semi)).trim();
        if (!media.equals("application/scim+json") && !media.equals("application/json")) {
            throw new ScimException(415, null,
                    "Content-Type must be application/scim+json or application/json, got '" + ct + "'");
        }
        return ScimJson.parseObject(req.body());
    }

    private static SandboxResponse methodNotAllowed(SandboxRequest req, String allow) {
        return ScimJson.respond(new ScimException(405, null, req.method() + " is not allowed on " + req.path()))
                .withHeader("Allow", allow);
    }

    /** Runs a store call for a Java caller: a SCIM 404/400 becomes an IllegalArgumentException. */
    private static <T> T javaCall(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ScimException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
