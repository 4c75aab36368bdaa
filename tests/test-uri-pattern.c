/*
 * test-uri-pattern.c — the `uri-pattern` option (§2 of behaviour.md) and
 * the R19 match of a leg's DNIS to its port.
 */

#include <string.h>

#include "rrec-uri-pattern.h"
#include "rrec/config.h"

static RrecUriPattern *
parse_ok (const char *text)
{
	g_autoptr (GError) error = NULL;
	RrecUriPattern *p = rrec_uri_pattern_parse (text, &error);

	g_assert_no_error (error);
	g_assert_nonnull (p);
	return p;
}

/* Checks that TEXT is refused with a message holding COLUMN and WHAT. */
static void
assert_refused (const char *text, const char *column, const char *what)
{
	g_autoptr (GError) error = NULL;
	RrecUriPattern *p = rrec_uri_pattern_parse (text, &error);

	g_assert_null (p);
	g_assert_error (error, RREC_CONFIG_ERROR,
	                RREC_CONFIG_ERROR_INVALID_VALUE);
	g_assert_nonnull (strstr (error->message, column));
	g_assert_nonnull (strstr (error->message, what));
}

/* The document's own example: 1000 ports, +1555007 dialled as below. */
static void
test_document_example (void)
{
	g_autoptr (RrecUriPattern) p =
		parse_ok ("sip:{+1555{DDD}}{@sip.example.com}");
	g_autofree char *port = rrec_uri_pattern_port_string (p, 7);
	g_autofree char *uri = rrec_uri_pattern_dial_uri (p, 7);
	g_autofree char *last = rrec_uri_pattern_port_string (p, 999);
	g_autofree char *canon = rrec_uri_pattern_to_string (p);

	g_assert_cmpstr (rrec_uri_pattern_get_scheme (p), ==, "sip");
	g_assert_cmpstr (rrec_uri_pattern_get_prefix (p), ==, "+1555");
	g_assert_cmpstr (rrec_uri_pattern_get_host (p), ==, "sip.example.com");
	g_assert_cmpuint (rrec_uri_pattern_get_width (p), ==, 3);
	g_assert_cmpuint (rrec_uri_pattern_get_n_ports (p), ==, 1000);
	g_assert_cmpstr (port, ==, "+1555007");
	g_assert_cmpstr (uri, ==, "sip:+1555007@sip.example.com");
	g_assert_cmpstr (last, ==, "+1555999");
	g_assert_cmpstr (canon, ==, "sip:{+1555{DDD}}{@sip.example.com}");
}

/* No scheme means sip; no suffix means a URI without host. */
static void
test_defaults (void)
{
	g_autoptr (RrecUriPattern) p = parse_ok ("{+1555{DDD}}");
	g_autofree char *uri = rrec_uri_pattern_dial_uri (p, 42);
	g_autofree char *canon = rrec_uri_pattern_to_string (p);

	g_assert_cmpstr (rrec_uri_pattern_get_scheme (p), ==, "sip");
	g_assert_null (rrec_uri_pattern_get_host (p));
	g_assert_cmpstr (uri, ==, "sip:+1555042");
	g_assert_cmpstr (canon, ==, "sip:{+1555{DDD}}");
}

static void
test_sips (void)
{
	g_autoptr (RrecUriPattern) p =
		parse_ok ("SIPS:{*#9{DD}}{@10.0.0.1:5061}");
	g_autofree char *uri = rrec_uri_pattern_dial_uri (p, 5);

	g_assert_cmpstr (rrec_uri_pattern_get_scheme (p), ==, "sips");
	g_assert_cmpstr (uri, ==, "sips:*#905@10.0.0.1:5061");
}

static void
test_ipv6_host (void)
{
	g_autoptr (RrecUriPattern) p = parse_ok ("sip:{1{D}}{@[2001:db8::1]}");
	g_autofree char *uri = rrec_uri_pattern_dial_uri (p, 3);

	g_assert_cmpstr (uri, ==, "sip:13@[2001:db8::1]");
}

static void
test_one_d (void)
{
	g_autoptr (RrecUriPattern) p = parse_ok ("sip:{+1{D}}");
	g_autofree char *first = rrec_uri_pattern_port_string (p, 0);
	g_autofree char *last = rrec_uri_pattern_port_string (p, 9);

	g_assert_cmpuint (rrec_uri_pattern_get_n_ports (p), ==, 10);
	g_assert_cmpstr (first, ==, "+10");
	g_assert_cmpstr (last, ==, "+19");
}

static void
test_nine_ds (void)
{
	g_autoptr (RrecUriPattern) p = parse_ok ("sip:{+1{DDDDDDDDD}}{@h}");
	g_autofree char *first = rrec_uri_pattern_port_string (p, 0);
	g_autofree char *last = rrec_uri_pattern_port_string (p, 999999999);

	g_assert_cmpuint (rrec_uri_pattern_get_n_ports (p), ==, 1000000000);
	g_assert_cmpstr (first, ==, "+1000000000");
	g_assert_cmpstr (last, ==, "+1999999999");
	g_assert_cmpint (rrec_uri_pattern_match (p, "+1999999999"), ==,
	                 999999999);
}

/* An empty prefix is allowed: the ports are the bare counter. */
static void
test_empty_prefix (void)
{
	g_autoptr (RrecUriPattern) p = parse_ok ("{{DDDD}}{@h}");
	g_autofree char *port = rrec_uri_pattern_port_string (p, 12);

	g_assert_cmpstr (port, ==, "0012");
	g_assert_cmpint (rrec_uri_pattern_match (p, "0012"), ==, 12);
	g_assert_cmpint (rrec_uri_pattern_match (p, "012"), ==, -1);
}

static void
test_ten_ds (void)
{
	assert_refused ("sip:{+1{DDDDDDDDDD}}", "column 9",
	                "10 'D's, at most 9");
}

static void
test_no_d (void)
{
	assert_refused ("sip:{+1{}}", "column 9", "1 to 9 'D's");
}

static void
test_missing_braces (void)
{
	assert_refused ("sip:+1555DDD@sip.example.com", "column 5", "'{'");
	assert_refused ("sip:{+1555{DDD}", "column 16",
	                "'}' after the port range");
	assert_refused ("sip:{+1555{DDD}}{@host", "column 23",
	                "'}' after the host");
	assert_refused ("sip:{+1555{DDD}}@host", "column 17",
	                "the end of the pattern");
}

static void
test_letters_in_prefix (void)
{
	assert_refused ("sip:{+1x55{DDD}}", "column 8",
	                "digits, '+', '*' or '#'");
	assert_refused ("sip:{+1555{DdD}}", "column 13", "'}' after the 'D's");
}

static void
test_bad_scheme (void)
{
	assert_refused ("tel:{+1555{DDD}}", "column 1", "'sip:', 'sips:'");
}

static void
test_bad_host (void)
{
	assert_refused ("sip:{+1{DD}}{@}", "column 15", "a host name");
	assert_refused ("sip:{+1{DD}}{host}", "column 14", "'@'");
	assert_refused ("sip:{+1{DD}}{@a b}", "column 16", "'}' after the host");
	assert_refused ("sip:{+1{DD}}{@h:}", "column 17", "port number");
}

static void
test_white_space (void)
{
	assert_refused (" sip:{+1{DD}}", "column 1", "'sip:'");
	assert_refused ("sip:{+1{DD}} ", "column 13", "the end");
}

/* R19: a DNIS is the port string, with or without its leading '+'. */
static void
test_match (void)
{
	g_autoptr (RrecUriPattern) p =
		parse_ok ("sip:{+1555{DDD}}{@sip.example.com}");

	g_assert_cmpint (rrec_uri_pattern_match (p, "+1555007"), ==, 7);
	g_assert_cmpint (rrec_uri_pattern_match (p, "1555007"), ==, 7);
	g_assert_cmpint (rrec_uri_pattern_match (p, "+1555000"), ==, 0);
	g_assert_cmpint (rrec_uri_pattern_match (p, "+1555999"), ==, 999);
	g_assert_cmpint (rrec_uri_pattern_match (p, "+155507"), ==, -1);
	g_assert_cmpint (rrec_uri_pattern_match (p, "+15550070"), ==, -1);
	g_assert_cmpint (rrec_uri_pattern_match (p, "+1556007"), ==, -1);
	g_assert_cmpint (rrec_uri_pattern_match (p, "+1555a07"), ==, -1);
	g_assert_cmpint (rrec_uri_pattern_match (p, "++1555007"), ==, -1);
	g_assert_cmpint (rrec_uri_pattern_match (p, ""), ==, -1);
	g_assert_cmpint (rrec_uri_pattern_match (p, NULL), ==, -1);
}

/* Without a leading '+' there is nothing to strip: only exact matches. */
static void
test_match_no_plus (void)
{
	g_autoptr (RrecUriPattern) p = parse_ok ("sip:{555{DD}}");

	g_assert_cmpint (rrec_uri_pattern_match (p, "55501"), ==, 1);
	g_assert_cmpint (rrec_uri_pattern_match (p, "+55501"), ==, -1);
	g_assert_cmpint (rrec_uri_pattern_match (p, "5501"), ==, -1);
}

/* The texts written into a caller's buffer (no allocation, the engine's
 * per-dial path) are those of rrec_uri_pattern_port_string() and
 * rrec_uri_pattern_dial_uri(), for every buffer size: whole when it fits,
 * else cut as g_snprintf() cuts, the whole length returned either way. */
static void
test_write_into_buffer (void)
{
	static const char *const patterns[] = {
		"sip:{+1555{DDD}}{@sip.example.com}", "{{DDDD}}", "sips:{*#9{D}}",
		"SIP:{+{DDDDDDDDD}}{@[2001:db8::1]:5061}",
	};
	static const guint32 indices[] = { 0, 1, 7, 9, 42, 999, 123456789 };

	for (guint i = 0; i < G_N_ELEMENTS (patterns); i++) {
		g_autoptr (GError) error = NULL;
		g_autoptr (RrecUriPattern) p = rrec_uri_pattern_parse (patterns[i], &error);

		g_assert_no_error (error);
		for (guint j = 0; j < G_N_ELEMENTS (indices); j++) {
			if (indices[j] >= rrec_uri_pattern_get_n_ports (p))
				continue;
			g_autofree char *port = rrec_uri_pattern_port_string (p, indices[j]);
			g_autofree char *uri = rrec_uri_pattern_dial_uri (p, indices[j]);

			for (gsize size = 0; size <= strlen (uri) + 2; size++) {
				char buf[128];
				g_autofree char *want_port = g_strndup (port, size ? size - 1 : 0);
				g_autofree char *want_uri = g_strndup (uri, size ? size - 1 : 0);

				memset (buf, 'x', sizeof buf);
				g_assert_cmpuint (rrec_uri_pattern_write_port (p, indices[j], buf, size),
						  ==, strlen (port));
				if (size)
					g_assert_cmpstr (buf, ==, want_port);
				else
					g_assert_cmpint (buf[0], ==, 'x');
				memset (buf, 'x', sizeof buf);
				g_assert_cmpuint (rrec_uri_pattern_write_dial_uri (p, indices[j], buf, size),
						  ==, strlen (uri));
				if (size)
					g_assert_cmpstr (buf, ==, want_uri);
			}
		}
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/uri-pattern/C2/document-example",
	                 test_document_example);
	g_test_add_func ("/uri-pattern/C2/default-scheme-no-host", test_defaults);
	g_test_add_func ("/uri-pattern/C2/sips", test_sips);
	g_test_add_func ("/uri-pattern/C2/ipv6-host", test_ipv6_host);
	g_test_add_func ("/uri-pattern/C2/one-d", test_one_d);
	g_test_add_func ("/uri-pattern/C2/nine-ds", test_nine_ds);
	g_test_add_func ("/uri-pattern/C2/empty-prefix", test_empty_prefix);
	g_test_add_func ("/uri-pattern/C2/ten-ds", test_ten_ds);
	g_test_add_func ("/uri-pattern/C2/no-d", test_no_d);
	g_test_add_func ("/uri-pattern/C2/missing-braces", test_missing_braces);
	g_test_add_func ("/uri-pattern/C2/letters-in-prefix",
	                 test_letters_in_prefix);
	g_test_add_func ("/uri-pattern/C2/bad-scheme", test_bad_scheme);
	g_test_add_func ("/uri-pattern/C2/bad-host", test_bad_host);
	g_test_add_func ("/uri-pattern/C2/white-space", test_white_space);
	g_test_add_func ("/uri-pattern/R19/match-dnis", test_match);
	g_test_add_func ("/uri-pattern/R19/match-without-plus-prefix",
	                 test_match_no_plus);
	g_test_add_func ("/uri-pattern/write-into-buffer", test_write_into_buffer);

	return g_test_run ();
}
