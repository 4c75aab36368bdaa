/*
 * uri-pattern.c — parsing the `uri-pattern` option and naming its ports.
 *
 * A port is its index; its string and URI are built on demand, so the
 * pattern costs the same whatever the width of its counter.
 */

#include "rrec-uri-pattern.h"

#include <string.h>

#include "rrec/config.h"

struct _RrecUriPattern {
	char *scheme;		/* "sip" or "sips" */
	char *prefix;		/* digits, '+', '*', '#'; may be "" */
	char *host;		/* NULL when the pattern has no suffix */
	guint width;		/* 1 … RREC_URI_PATTERN_MAX_WIDTH */
	guint32 n_ports;	/* 10^width */
	/* the texts' lengths, for the port's text written at each action
	 * (write_text()): not measured again every time */
	guint scheme_len, prefix_len, host_len;	/* host_len 0: no host */
};

static gboolean
is_prefix_char (char c)
{
	return g_ascii_isdigit (c) || c == '+' || c == '*' || c == '#';
}

static gboolean
is_host_char (char c)
{
	return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}

/* Describes C for a message: 'x', or "the end" when the text stops. */
static char *
describe_char (const char *p)
{
	if (*p == '\0')
		return g_strdup ("the end of the pattern");
	if (g_ascii_isprint (*p))
		return g_strdup_printf ("'%c'", *p);
	return g_strdup_printf ("byte 0x%02x", (guchar) *p);
}

static void
set_error (GError **error, const char *text, const char *at, const char *what)
{
	g_autofree char *found = describe_char (at);

	g_set_error (error, RREC_CONFIG_ERROR, RREC_CONFIG_ERROR_INVALID_VALUE,
	             "column %u: expected %s, found %s",
	             (guint) (at - text) + 1, what, found);
}

/* `HOST[:PORT]` up to the closing brace; returns the end, or NULL. */
static const char *
parse_host (const char *text, const char *p, GError **error)
{
	const char *start = p;

	if (*p == '[') {
		/* An IPv6 literal: hex digits, ':' and '.' (embedded IPv4). */
		p++;
		while (g_ascii_isxdigit (*p) || *p == ':' || *p == '.')
			p++;
		if (*p != ']' || p == start + 1) {
			set_error (error, text, p,
			           "an IPv6 address and ']'");
			return NULL;
		}
		p++;
	} else {
		while (is_host_char (*p))
			p++;
		if (p == start) {
			set_error (error, text, p, "a host name after '@'");
			return NULL;
		}
	}
	if (*p == ':') {
		const char *digits = ++p;

		while (g_ascii_isdigit (*p))
			p++;
		if (p == digits || p - digits > 5) {
			set_error (error, text, digits,
			           "a port number of 1 to 5 digits after ':'");
			return NULL;
		}
	}
	return p;
}

RrecUriPattern *
rrec_uri_pattern_parse (const char *text, GError **error)
{
	g_autoptr (RrecUriPattern) pattern = g_new0 (RrecUriPattern, 1);
	const char *p = text;
	const char *start;

	g_return_val_if_fail (text != NULL, NULL);

	if (g_ascii_strncasecmp (p, "sips:", 5) == 0) {
		pattern->scheme = g_strdup ("sips");
		p += 5;
	} else if (g_ascii_strncasecmp (p, "sip:", 4) == 0) {
		pattern->scheme = g_strdup ("sip");
		p += 4;
	} else if (*p == '{') {
		pattern->scheme = g_strdup ("sip");
	} else {
		set_error (error, text, p,
		           "'sip:', 'sips:' or '{' at the start");
		return NULL;
	}

	if (*p++ != '{') {
		set_error (error, text, p - 1, "'{' before the prefix");
		return NULL;
	}

	start = p;
	while (is_prefix_char (*p))
		p++;
	if (*p != '{') {
		set_error (error, text, p,
		           "a prefix of digits, '+', '*' or '#', then '{'");
		return NULL;
	}
	pattern->prefix = g_strndup (start, p - start);
	p++;

	start = p;
	while (*p == 'D')
		p++;
	pattern->width = p - start;
	if (pattern->width == 0) {
		set_error (error, text, p, "1 to 9 'D's");
		return NULL;
	}
	if (pattern->width > RREC_URI_PATTERN_MAX_WIDTH) {
		g_set_error (error, RREC_CONFIG_ERROR,
		             RREC_CONFIG_ERROR_INVALID_VALUE,
		             "column %u: %u 'D's, at most %u are allowed",
		             (guint) (start - text) + 1, pattern->width,
		             RREC_URI_PATTERN_MAX_WIDTH);
		return NULL;
	}
	if (*p++ != '}') {
		set_error (error, text, p - 1, "'}' after the 'D's");
		return NULL;
	}
	if (*p++ != '}') {
		set_error (error, text, p - 1, "'}' after the port range");
		return NULL;
	}

	if (*p == '{') {
		p++;
		if (*p++ != '@') {
			set_error (error, text, p - 1, "'@' to start the host");
			return NULL;
		}
		start = p;
		p = parse_host (text, p, error);
		if (p == NULL)
			return NULL;
		pattern->host = g_strndup (start, p - start);
		if (*p++ != '}') {
			set_error (error, text, p - 1, "'}' after the host");
			return NULL;
		}
	}
	if (*p != '\0') {
		set_error (error, text, p, "the end of the pattern");
		return NULL;
	}

	pattern->n_ports = 1;
	for (guint i = 0; i < pattern->width; i++)
		pattern->n_ports *= 10;
	pattern->scheme_len = (guint) strlen (pattern->scheme);
	pattern->prefix_len = (guint) strlen (pattern->prefix);
	pattern->host_len = pattern->host ? (guint) strlen (pattern->host) : 0;

	return g_steal_pointer (&pattern);
}

void
rrec_uri_pattern_free (RrecUriPattern *pattern)
{
	if (pattern == NULL)
		return;
	g_free (pattern->scheme);
	g_free (pattern->prefix);
	g_free (pattern->host);
	g_free (pattern);
}

const char *
rrec_uri_pattern_get_scheme (const RrecUriPattern *pattern)
{
	return pattern->scheme;
}

const char *
rrec_uri_pattern_get_prefix (const RrecUriPattern *pattern)
{
	return pattern->prefix;
}

const char *
rrec_uri_pattern_get_host (const RrecUriPattern *pattern)
{
	return pattern->host;
}

guint
rrec_uri_pattern_get_width (const RrecUriPattern *pattern)
{
	return pattern->width;
}

guint32
rrec_uri_pattern_get_n_ports (const RrecUriPattern *pattern)
{
	return pattern->n_ports;
}

char *
rrec_uri_pattern_to_string (const RrecUriPattern *pattern)
{
	GString *s = g_string_new (pattern->scheme);

	g_string_append_printf (s, ":{%s{", pattern->prefix);
	for (guint i = 0; i < pattern->width; i++)
		g_string_append_c (s, 'D');
	g_string_append (s, "}}");
	if (pattern->host != NULL)
		g_string_append_printf (s, "{@%s}", pattern->host);
	return g_string_free (s, FALSE);
}

char *
rrec_uri_pattern_port_string (const RrecUriPattern *pattern, guint32 index)
{
	g_return_val_if_fail (index < pattern->n_ports, NULL);

	return g_strdup_printf ("%s%0*" G_GUINT32_FORMAT, pattern->prefix,
	                        (int) pattern->width, index);
}

/* The port's text, written by hand (a printf costs more than the rest of
 * a dial): "scheme:" when @uri, the prefix, the width digits, "@host" when
 * @uri.  The whole length; written only when it fits, else as g_snprintf()
 * would (cut, NUL-terminated). */
static gsize
write_text (const RrecUriPattern *pattern, guint32 index, gboolean uri,
            char *buf, gsize size)
{
	gsize scheme = uri ? pattern->scheme_len + 1 : 0;
	gsize prefix = pattern->prefix_len;
	gsize host = uri && pattern->host ? pattern->host_len + 1 : 0;
	gsize total = scheme + prefix + pattern->width + host;
	char digits[RREC_URI_PATTERN_MAX_WIDTH];
	char *at = buf;

	for (guint i = pattern->width; i > 0; i--, index /= 10)
		digits[i - 1] = (char) ('0' + index % 10);
	if (total < size) {
		if (uri) {
			memcpy (at, pattern->scheme, scheme - 1);
			at += scheme - 1;
			*at++ = ':';
		}
		memcpy (at, pattern->prefix, prefix);
		at += prefix;
		memcpy (at, digits, pattern->width);
		at += pattern->width;
		if (host) {
			*at++ = '@';
			memcpy (at, pattern->host, host - 1);
			at += host - 1;
		}
		*at = '\0';
		return total;
	}
	/* does not fit: cut as g_snprintf() cuts */
	return (gsize) g_snprintf (buf, size, "%s%s%s%.*s%s%s",
	                           uri ? pattern->scheme : "", uri ? ":" : "",
	                           pattern->prefix, (int) pattern->width, digits,
	                           host ? "@" : "", host ? pattern->host : "");
}

gsize
rrec_uri_pattern_write_port (const RrecUriPattern *pattern, guint32 index,
                             char *buf, gsize size)
{
	g_return_val_if_fail (index < pattern->n_ports, 0);

	return write_text (pattern, index, FALSE, buf, size);
}

gsize
rrec_uri_pattern_write_dial_uri (const RrecUriPattern *pattern, guint32 index,
                                 char *buf, gsize size)
{
	g_return_val_if_fail (index < pattern->n_ports, 0);

	return write_text (pattern, index, TRUE, buf, size);
}

char *
rrec_uri_pattern_dial_uri (const RrecUriPattern *pattern, guint32 index)
{
	g_return_val_if_fail (index < pattern->n_ports, NULL);

	return g_strdup_printf ("%s:%s%0*" G_GUINT32_FORMAT "%s%s",
	                        pattern->scheme, pattern->prefix,
	                        (int) pattern->width, index,
	                        pattern->host != NULL ? "@" : "",
	                        pattern->host != NULL ? pattern->host : "");
}

/* The counter in DIGITS, which must be exactly width decimal digits. */
static gint64
match_counter (const RrecUriPattern *pattern, const char *digits)
{
	guint32 index = 0;
	guint i;

	for (i = 0; i < pattern->width; i++) {
		if (!g_ascii_isdigit (digits[i]))
			return -1;
		index = index * 10 + (guint32) (digits[i] - '0');
	}
	if (digits[i] != '\0')
		return -1;
	return index;
}

gint64
rrec_uri_pattern_match (const RrecUriPattern *pattern, const char *dnis)
{
	gsize prefix_len = pattern->prefix_len;

	if (dnis == NULL)
		return -1;
	if (strncmp (dnis, pattern->prefix, prefix_len) == 0)
		return match_counter (pattern, dnis + prefix_len);
	/* R19: SIP Server may report the port without its leading '+'. */
	if (pattern->prefix[0] == '+' &&
	    strncmp (dnis, pattern->prefix + 1, prefix_len - 1) == 0)
		return match_counter (pattern, dnis + prefix_len - 1);
	return -1;
}
