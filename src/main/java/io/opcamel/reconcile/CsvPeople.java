package io.opcamel.reconcile;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CSV form of the desired state (RFC 4180): a header {@code email,givenName,familyName,groups} (any order, any
 * case; other columns are ignored; without a groups column, memberships are not reconciled), then one person per
 * row, groups separated by {@code ;}. Fields may be quoted ({@code "Lovelace, Ada"}, {@code ""} for a quote, line
 * breaks inside quotes). Read row by row; a bad row is named by its line.
 */
final class CsvPeople {

    private static final List<String> REQUIRED = List.of("email", "givenname", "familyname");

    private final Reader in;
    private final DesiredState desired;
    private int line = 1;

    private CsvPeople(Reader in, DesiredState desired) {
        this.in = in;
        this.desired = desired;
    }

    static DesiredState read(Reader in, String source) throws IOException {
        DesiredState desired = new DesiredState(source);
        new CsvPeople(in, desired).readAll();
        return desired;
    }

    private void readAll() throws IOException {
        int headerLine = line;
        List<String> header = row();
        if (header == null) {
            throw desired.malformed("line 1", "the source is empty: expected the header email,givenName,familyName,groups");
        }
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).trim().toLowerCase(Locale.ROOT);
            if (i == 0 && name.startsWith("\ufeff")) {
                name = name.substring(1); // a byte order mark, as spreadsheets write it
            }
            if (column.putIfAbsent(name, i) != null) {
                throw desired.malformed("line " + headerLine, "the header names '" + header.get(i).trim() + "' twice");
            }
        }
        for (String r : REQUIRED) {
            if (!column.containsKey(r)) {
                throw desired.malformed("line " + headerLine, "the header has no '" + r.replace("name", "Name")
                        + "' column (expected email,givenName,familyName,groups)");
            }
        }
        Integer groups = column.get("groups");
        while (true) {
            int at = line;
            List<String> row = row();
            if (row == null) {
                return;
            }
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue; // an empty line
            }
            String where = "line " + at;
            if (row.size() != header.size()) {
                throw desired.malformed(where, row.size() + " fields, but the header has " + header.size());
            }
            desired.add(row.get(column.get("email")), row.get(column.get("givenname")),
                    row.get(column.get("familyname")), groups == null ? null : List.of(row.get(groups).split(";")),
                    where);
        }
    }

    /** The fields of the next row, or null at the end; {@link #line} is then the line the row after it starts on. */
    private List<String> row() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        int startLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw desired.malformed("line " + startLine, "a quoted field is not closed");
                }
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = n;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == -1) {
                fields.add(field.toString());
                if (c == '\n') {
                    line++;
                }
                return fields;
            } else if (c == '\r') {
                int n = read();
                if (n != '\n') {
                    throw desired.malformed("line " + line, "a carriage return that does not end the line");
                }
                c = n;
                continue;
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (wasQuoted) {
                throw desired.malformed("line " + line, "text after a quoted field's closing quote");
            } else if (c == '"') {
                throw desired.malformed("line " + line, "a quote inside an unquoted field (quote the whole field "
                        + "and double the quote)");
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        return in.read();
    }
}
