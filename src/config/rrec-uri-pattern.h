/*
 * rrec-uri-pattern.h — the range of recording ports given by the
 * `uri-pattern` option (behaviour.md §2).
 *
 *     [scheme:]{<prefix>{D…D}}[{@<suffix>}]
 *
 * `sip:{+1555{DDD}}{@sip.example.com}` is the 1000 ports `+1555000` …
 * `+1555999`; port 7 is the string `+1555007`, dialled as
 * `sip:+1555007@sip.example.com`.
 *
 * A port is named by its index, 0 … n_ports - 1, which is also the value
 * of its D digits.  Nothing here allocates in proportion to the range: a
 * pattern of 9 Ds (10^9 ports) costs the same as one of 1.
 *
 * Grammar, as accepted (decisions where behaviour.md is silent):
 *   - scheme: `sip` (the default when absent) or `sips`, in any case;
 *     it is kept in lower case.
 *   - prefix: zero or more of `0-9 + * #`, anywhere in it.  An empty
 *     prefix is allowed: `{{DDDD}}` gives the ports `0000` … `9999`.
 *   - 1 to 9 `D`s (upper case): the width of the port counter.
 *   - suffix: `{@HOST}` where HOST is a host name or IPv4 address
 *     (`A-Z a-z 0-9 . - _`) or a bracketed IPv6 address, optionally
 *     followed by `:PORT`.  Without a suffix the dial URI has no host
 *     part (`sip:+1555007`) and the SIP Server picks its own domain.
 *   - nothing else: no white space, no URI parameters.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The widest counter: 9 Ds, 10^9 ports; an index always fits a guint32. */
#define RREC_URI_PATTERN_MAX_WIDTH 9

typedef struct _RrecUriPattern RrecUriPattern;

/*
 * Parses TEXT.  On failure sets ERROR (RREC_CONFIG_ERROR,
 * RREC_CONFIG_ERROR_INVALID_VALUE) with a message that names the column
 * (1-based) and what was expected there, e.g.
 * "column 12: a prefix holds only digits, '+', '*' and '#', not 'x'".
 */
RrecUriPattern *rrec_uri_pattern_parse (const char *text, GError **error);

void rrec_uri_pattern_free (RrecUriPattern *pattern);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrecUriPattern, rrec_uri_pattern_free)

/* "sip" or "sips". */
const char *rrec_uri_pattern_get_scheme (const RrecUriPattern *pattern);

/* The literal prefix, possibly "". */
const char *rrec_uri_pattern_get_prefix (const RrecUriPattern *pattern);

/* The host part without the '@', or NULL when the pattern has none. */
const char *rrec_uri_pattern_get_host (const RrecUriPattern *pattern);

/* Number of Ds, 1 … RREC_URI_PATTERN_MAX_WIDTH. */
guint rrec_uri_pattern_get_width (const RrecUriPattern *pattern);

/* 10^width. */
guint32 rrec_uri_pattern_get_n_ports (const RrecUriPattern *pattern);

/* The pattern in its canonical form: "sip:{+1555{DDD}}{@sip.example.com}". */
char *rrec_uri_pattern_to_string (const RrecUriPattern *pattern);

/* Port INDEX as a string, the prefix included: "+1555007". */
char *rrec_uri_pattern_port_string (const RrecUriPattern *pattern,
                                    guint32 index);

/* The URI to dial for port INDEX: "sip:+1555007@sip.example.com". */
char *rrec_uri_pattern_dial_uri (const RrecUriPattern *pattern,
                                 guint32 index);

/* The same two written into BUF (at most SIZE bytes, NUL included, as
 * g_snprintf()): the length of the whole text, which did not fit when it
 * is SIZE or more.  No allocation. */
gsize rrec_uri_pattern_write_port (const RrecUriPattern *pattern,
                                   guint32 index, char *buf, gsize size);
gsize rrec_uri_pattern_write_dial_uri (const RrecUriPattern *pattern,
                                       guint32 index, char *buf, gsize size);

/*
 * R19: the index of the port that DNIS names, or -1 when it names none.
 * DNIS matches a port when it is the port string exactly, or the port
 * string without its leading '+' (SIP Server may strip it).
 */
gint64 rrec_uri_pattern_match (const RrecUriPattern *pattern,
                               const char *dnis);

G_END_DECLS
