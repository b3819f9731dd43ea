package io.opcamel.events;

/** The API answered 200 with something that is not a page; the feed stops this poll without moving its cursor. */
public final class MalformedPageException extends RuntimeException {

    public MalformedPageException(String account, String feature, String problem) {
        super("malformed page from the Events API for " + account + "/" + feature + ": " + problem);
    }
}
