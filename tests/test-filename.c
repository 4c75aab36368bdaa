/*
 * test-filename.c — the recording's file name (R29) and the check of the
 * `recording-filename` template (C2).
 */

#include <string.h>

#include "rrec-filename.h"
#include "rrec/config.h"

static RrecFilenameValues
example_values (GDateTime *start)
{
	RrecFilenameValues v = {
		.call_uuid = "0A1B2C3D4E5F6071",
		.conn_id = "00f1a2b3c4d5e6f7",
		.dn = "7001",
		.ani = "+14155550100",
		.dnis = "7001",
		.port = "+1555007",
		.start = start,
	};
	return v;
}

static void
test_default_template (void)
{
	g_autoptr (GDateTime) start =
		g_date_time_new_utc (2024, 3, 9, 7, 5, 3);
	RrecFilenameValues v = example_values (start);
	g_autofree char *empty = rrec_filename_expand ("", &v);
	g_autofree char *null = rrec_filename_expand (NULL, &v);

	g_assert_cmpstr (empty, ==,
	                 "0A1B2C3D4E5F6071_7001_+14155550100_7001_"
	                 "2024-03-09_07-05-03");
	g_assert_cmpstr (null, ==, empty);
}

static void
test_every_variable (void)
{
	g_autoptr (GDateTime) start =
		g_date_time_new_utc (1999, 12, 31, 23, 59, 58);
	RrecFilenameValues v = example_values (start);
	g_autofree char *name = rrec_filename_expand (
		"rec-$CONNID$-$PORT$-$DN$-$DATE$T$TIME$.$CALLUUID$", &v);

	g_assert_cmpstr (name, ==,
	                 "rec-00f1a2b3c4d5e6f7-+1555007-7001-1999-12-31T"
	                 "23-59-58.0A1B2C3D4E5F6071");
}

/* An unknown date (replay before any ISO stamp) is 1970-01-01. */
static void
test_no_date (void)
{
	RrecFilenameValues v = { .dn = "7001" };
	g_autofree char *name = rrec_filename_expand ("$DN$_$DATE$_$TIME$",
	                                              &v);

	g_assert_cmpstr (name, ==, "7001_1970-01-01_00-00-00");
}

/* Absent values expand to nothing rather than to "(null)". */
static void
test_absent_values (void)
{
	RrecFilenameValues v = { .call_uuid = "U", .dn = "7001" };
	g_autofree char *name = rrec_filename_expand ("$CALLUUID$_$ANI$_$DN$",
	                                              &v);

	g_assert_cmpstr (name, ==, "U__7001");
}

static void
test_unsafe_characters (void)
{
	RrecFilenameValues v = {
		.dn = "../etc/passwd",
		.ani = "Zoë O'Neil <sip:zoe@x>",
		.dnis = "a\\b:c*d?e",
	};
	g_autofree char *name = rrec_filename_expand ("$DN$ $ANI$|$DNIS$",
	                                              &v);

	/*
	 * The leading '.' and the '/' become '_'; 'ë' is two UTF-8 bytes, so
	 * two '_', then one for the space.
	 */
	g_assert_cmpstr (name, ==,
	                 "_._etc_passwd_Zo___O_Neil__sip_zoe_x__a_b_c_d_e");
	g_assert_null (strchr (name, '/'));
}

static void
test_dot_and_dotdot (void)
{
	RrecFilenameValues dot = { .dn = "." };
	RrecFilenameValues dotdot = { .dn = ".." };
	RrecFilenameValues hidden = { .dn = ".profile" };
	RrecFilenameValues none = { 0 };
	g_autofree char *a = rrec_filename_expand ("$DN$", &dot);
	g_autofree char *b = rrec_filename_expand ("$DN$", &dotdot);
	g_autofree char *c = rrec_filename_expand ("$DN$", &hidden);
	g_autofree char *d = rrec_filename_expand ("$ANI$", &none);
	g_autofree char *e = rrec_filename_expand ("a.$DN$", &dotdot);

	g_assert_cmpstr (a, ==, "_");
	g_assert_cmpstr (b, ==, "_.");
	g_assert_cmpstr (c, ==, "_profile");
	g_assert_cmpstr (d, ==, "_");
	/* Dots inside the name are fine. */
	g_assert_cmpstr (e, ==, "a...");
}

static void
test_255_bytes (void)
{
	g_autofree char *long_dn = g_strnfill (300, '7');
	g_autofree char *long_ani = g_strnfill (200, 'x');
	RrecFilenameValues v = { .dn = long_dn, .ani = "é" };
	RrecFilenameValues w = { .dn = "7001", .ani = long_ani };
	g_autofree char *name = rrec_filename_expand ("$ANI$$DN$", &v);
	g_autofree char *fits = rrec_filename_expand ("$DN$-$ANI$", &w);

	g_assert_cmpuint (strlen (name), ==, 255);
	g_assert_true (g_str_has_prefix (name, "__777"));
	g_assert_cmpuint (strlen (fits), ==, 205);
}

static void
assert_template_refused (const char *template_, const char *what)
{
	g_autoptr (GError) error = NULL;

	g_assert_false (rrec_filename_template_validate (template_, &error));
	g_assert_error (error, RREC_CONFIG_ERROR,
	                RREC_CONFIG_ERROR_INVALID_VALUE);
	g_assert_nonnull (strstr (error->message, what));
	/* Every refusal lists what is accepted. */
	g_assert_nonnull (strstr (error->message,
	                          "$CALLUUID$, $CONNID$, $DN$, $ANI$, $DNIS$, "
	                          "$DATE$, $TIME$, $PORT$"));
}

static void
test_unknown_variable (void)
{
	g_autoptr (GError) error = NULL;

	assert_template_refused ("$CALLUUID$_$AGENT$", "unknown variable "
	                         "'$AGENT$'");
	assert_template_refused ("$dn$", "unknown variable '$dn$'");
	assert_template_refused ("a$$b", "unknown variable '$$'");
	assert_template_refused ("x_$DN", "'$DN' opens a variable that has "
	                         "no closing '$'");

	g_assert_true (rrec_filename_template_validate (
		RREC_FILENAME_DEFAULT_TEMPLATE, &error));
	g_assert_true (rrec_filename_template_validate ("", &error));
	g_assert_true (rrec_filename_template_validate ("plain", &error));
	g_assert_no_error (error);
}

/* R29: the start given as clock fields (the engine's way, no GDateTime
 * per session) names the file as the same start given as a GDateTime, and
 * into a kept buffer as into a new string. */
static void
test_clock_fields (void)
{
	static const int clocks[][6] = {
		{ 2024, 3, 9, 7, 5, 3 }, { 1, 1, 1, 0, 0, 0 }, { 999, 12, 31, 23, 59, 59 },
		{ 9999, 12, 31, 10, 0, 9 }, { 1970, 1, 1, 0, 0, 0 },
	};
	g_autoptr (RrecFilenameTemplate) t =
		rrec_filename_template_compile ("x$DATE$y$TIME$z$DN$", NULL);
	char kept[RREC_FILENAME_MAX_LEN + 1] = "text of an earlier name";

	for (guint i = 0; i < G_N_ELEMENTS (clocks); i++) {
		const int *k = clocks[i];
		g_autoptr (GDateTime) start =
			g_date_time_new_utc (k[0], k[1], k[2], k[3], k[4], k[5]);
		RrecFilenameValues by_time = example_values (start);
		RrecFilenameValues by_fields = example_values (NULL);

		g_assert_nonnull (start);
		by_fields.clock_set = TRUE;
		memcpy (by_fields.clock, k, sizeof by_fields.clock);
		g_autofree char *want = rrec_filename_expand ("x$DATE$y$TIME$z$DN$", &by_time);
		g_autofree char *got = rrec_filename_expand ("x$DATE$y$TIME$z$DN$", &by_fields);

		g_assert_cmpstr (got, ==, want);
		g_assert_cmpuint (rrec_filename_template_expand (t, &by_fields, kept),
		                  ==, strlen (want));
		g_assert_cmpstr (kept, ==, want);
	}
}

/* ---- the compiled template against the rules, spelt out ----------------- */

/*
 * R29 as the engine did it before templates were compiled (issue #14):
 * the whole text first, then made safe, then the leading '.' and empty
 * rules, then the cut.  Slow and plain on purpose: the oracle the compiled
 * expansion is compared with.  TEMPLATE is valid.
 */
static char *
reference_expand (const char *template_, const RrecFilenameValues *v)
{
	static const char *const names[] = {
		"CALLUUID", "CONNID", "DN", "ANI", "DNIS", "DATE", "TIME", "PORT",
	};
	GString *out = g_string_new (NULL);
	const char *p = template_ && *template_ ? template_ :
		RREC_FILENAME_DEFAULT_TEMPLATE;

	while (*p) {
		const char *end;
		guint i;

		if (*p != '$') {
			g_string_append_c (out, *p++);
			continue;
		}
		end = strchr (p + 1, '$');
		g_assert_nonnull (end);
		for (i = 0; i < G_N_ELEMENTS (names); i++)
			if (strlen (names[i]) == (gsize) (end - p - 1) &&
			    strncmp (names[i], p + 1, end - p - 1) == 0)
				break;
		g_assert_cmpuint (i, <, G_N_ELEMENTS (names));
		if (i == 5 || i == 6) {
			int k[6] = { 1970, 1, 1, 0, 0, 0 };

			if (v->start) {
				g_date_time_get_ymd (v->start, &k[0], &k[1], &k[2]);
				k[3] = g_date_time_get_hour (v->start);
				k[4] = g_date_time_get_minute (v->start);
				k[5] = g_date_time_get_second (v->start);
			} else if (v->clock_set) {
				memcpy (k, v->clock, sizeof k);
			}
			if (i == 5)
				g_string_append_printf (out, "%04d-%02d-%02d",
				                        k[0], k[1], k[2]);
			else
				g_string_append_printf (out, "%02d-%02d-%02d",
				                        k[3], k[4], k[5]);
		} else {
			const char *const values[] = {
				v->call_uuid, v->conn_id, v->dn, v->ani, v->dnis,
				NULL, NULL, v->port,
			};

			if (values[i])
				g_string_append (out, values[i]);
		}
		p = end + 1;
	}
	for (gsize i = 0; i < out->len; i++)
		if (!g_ascii_isalnum (out->str[i]) &&
		    !strchr ("+._-", out->str[i]))
			out->str[i] = '_';
	if (out->len == 0)
		g_string_append_c (out, '_');
	if (out->str[0] == '.')
		out->str[0] = '_';
	if (out->len > RREC_FILENAME_MAX_LEN)
		g_string_truncate (out, RREC_FILENAME_MAX_LEN);
	return g_string_free (out, FALSE);
}

/* TEMPLATE compiled and expanded for V into a buffer that held other text
 * (sentinel bytes after the name's end stay), checked against WANT and
 * against the oracle; a second expansion with the same compiled template
 * gives the same. */
static void
assert_expands (const char *template_, const RrecFilenameValues *v,
                const char *want)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecFilenameTemplate) t =
		rrec_filename_template_compile (template_, &error);
	g_autofree char *oracle = reference_expand (template_, v);
	g_autofree char *one = NULL;
	char out[RREC_FILENAME_MAX_LEN + 2];
	gsize len;

	g_assert_no_error (error);
	g_assert_nonnull (t);
	memset (out, '#', sizeof out);
	len = rrec_filename_template_expand (t, v, out);
	g_assert_cmpint (out[RREC_FILENAME_MAX_LEN + 1], ==, '#');
	g_assert_cmpuint (len, ==, strlen (out));
	g_assert_cmpuint (len, >=, 1);
	g_assert_cmpuint (len, <=, RREC_FILENAME_MAX_LEN);
	if (want)
		g_assert_cmpstr (out, ==, want);
	g_assert_cmpstr (out, ==, oracle);
	one = rrec_filename_expand (template_, v);
	g_assert_cmpstr (one, ==, oracle);
	g_assert_cmpuint (rrec_filename_template_expand (t, v, out), ==, len);
	g_assert_cmpstr (out, ==, oracle);
}

/* R29: each rule where the compiled pieces meet: adjacent variables,
 * literals with unsafe bytes, the leading '.' from a literal or from a
 * value after empty ones, empty results, NULL values. */
static void
test_compiled_pieces (void)
{
	RrecFilenameValues v = {
		.call_uuid = "U1", .conn_id = "00f1a2b3c4d5e6f7", .dn = "7001",
		.ani = "+1 415", .dnis = "", .port = "+1555007",
		.clock_set = TRUE, .clock = { 2024, 3, 9, 7, 5, 3 },
	};
	RrecFilenameValues dots = { .ani = NULL, .dn = ".x", .dnis = "." };
	RrecFilenameValues none = { 0 };

	assert_expands ("$DN$$ANI$$DNIS$$PORT$", &v, "7001+1_415+1555007");
	assert_expands ("$CALLUUID$$CONNID$", &v, "U100f1a2b3c4d5e6f7");
	assert_expands ("$DATE$$TIME$", &v, "2024-03-0907-05-03");
	assert_expands ("a b/c\\d:$DN$", &v, "a_b_c_d_7001");
	assert_expands ("é$DN$", &v, "__7001");
	assert_expands ("$DN$\t\x01\x7f\xff", &v, "7001____");
	assert_expands (".$DN$", &v, "_7001");
	assert_expands ("..", &v, "_.");
	assert_expands ("x.", &v, "x.");
	assert_expands ("$ANI$$DN$", &dots, "_x");
	assert_expands ("$ANI$$DNIS$", &dots, "_");
	assert_expands ("$ANI$$DNIS$$DN$", &none, "_");
	assert_expands ("$DNIS$", &v, "_");
	assert_expands ("$PORT$_$CONNID$", &none, "_");
	assert_expands ("plain", &none, "plain");
	assert_expands ("_", &none, "_");
	assert_expands ("", &v, "U1_7001_+1_415__2024-03-09_07-05-03");
	assert_expands ("$DATE$_$TIME$", &none, "1970-01-01_00-00-00");
}

/* R29: the 255-byte cut wherever it falls: in a literal, in a value, in
 * the date, in the time, on a piece's end; a literal longer than any
 * name. */
static void
test_compiled_cut (void)
{
	RrecFilenameValues v = {
		.dn = "7001", .clock_set = TRUE,
		.clock = { 2024, 3, 9, 7, 5, 3 },
	};
	g_autofree char *l300 = g_strnfill (300, 'a');
	g_autofree char *dn300 = g_strnfill (300, '/');
	RrecFilenameValues long_dn = { .dn = dn300 };

	for (guint n = 240; n <= 256; n++) {
		g_autofree char *lit = g_strnfill (n, 'l');
		g_autofree char *t1 = g_strconcat (lit, "$DATE$x", NULL);
		g_autofree char *t2 = g_strconcat (lit, "$TIME$x", NULL);
		g_autofree char *t3 = g_strconcat (lit, "$DN$$DN$", NULL);
		g_autofree char *t4 = g_strconcat ("$DN$", lit, "z", NULL);
		/* short literals (8 bytes, 1, 9) meeting the end */
		g_autofree char *t5 = g_strconcat (lit, "$DN$-abcdefg$DN$_$DN$"
		                                   "-abcdefgh$DN$", NULL);

		assert_expands (t1, &v, NULL);
		assert_expands (t2, &v, NULL);
		assert_expands (t3, &v, NULL);
		assert_expands (t4, &v, NULL);
		assert_expands (t5, &v, NULL);
	}
	{
		g_autofree char *want = g_strnfill (RREC_FILENAME_MAX_LEN, 'a');
		g_autofree char *t = g_strconcat (l300, "$DN$", NULL);

		assert_expands (l300, &v, want);
		assert_expands (t, &v, want);
	}
	{
		g_autofree char *want = g_strnfill (RREC_FILENAME_MAX_LEN, '_');

		assert_expands ("$DN$$DN$", &long_dn, want);
	}
	{
		/* the cut inside the date: 250 bytes, then "2024-" */
		g_autofree char *lit = g_strnfill (250, 'l');
		g_autofree char *t = g_strconcat (lit, "$DATE$", NULL);
		g_autofree char *want = g_strconcat (lit, "2024-", NULL);

		assert_expands (t, &v, want);
	}
}

/* R29: times the clock does not give in the common ranges (a year before
 * 1000 or after 9999, negative fields, fields over 99) are printed as
 * printf prints them, and cut like the rest. */
static void
test_compiled_odd_clock (void)
{
	static const struct {
		int clock[6];
		const char *name;
	} cases[] = {
		{ { 0, 0, 0, 0, 0, 0 }, "0000-00-00_00-00-00" },
		{ { 7, 1, 2, 3, 4, 5 }, "0007-01-02_03-04-05" },
		{ { -1, 1, 1, 0, 0, 0 }, "-001-01-01_00-00-00" },
		{ { 12345, 100, -7, 100, -1, 999 }, "12345-100--7_100--1-999" },
		{ { G_MININT, G_MAXINT, 0, G_MININT, 0, 0 },
		  "-2147483648-2147483647-00_-2147483648-00-00" },
		{ { 9999, 99, 99, 99, 99, 99 }, "9999-99-99_99-99-99" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		RrecFilenameValues v = { .clock_set = TRUE };

		memcpy (v.clock, cases[i].clock, sizeof v.clock);
		assert_expands ("$DATE$_$TIME$", &v, cases[i].name);
		/* the same where too little room is left for them in place */
		for (guint n = 230; n <= 254; n += 4) {
			g_autofree char *lit = g_strnfill (n, 'l');
			g_autofree char *t = g_strconcat (lit, "$DATE$_$TIME$", NULL);

			assert_expands (t, &v, NULL);
		}
	}
	{
		/* a start given as a GDateTime, negative offsets included */
		g_autoptr (GDateTime) day = g_date_time_new_utc (1970, 1, 1, 0, 0, 0);
		g_autoptr (GDateTime) before = g_date_time_add_seconds (day, -1);
		RrecFilenameValues v = { .start = before };

		assert_expands ("$DATE$_$TIME$", &v, "1969-12-31_23-59-59");
	}
}

/* $PORT$ is asked for only by the templates that name it. */
static void
test_compiled_uses_port (void)
{
	g_autoptr (RrecFilenameTemplate) d = rrec_filename_template_compile (NULL, NULL);
	g_autoptr (RrecFilenameTemplate) e = rrec_filename_template_compile ("", NULL);
	g_autoptr (RrecFilenameTemplate) p = rrec_filename_template_compile ("x$PORT$", NULL);
	g_autoptr (RrecFilenameTemplate) l = rrec_filename_template_compile ("PORT", NULL);

	g_assert_false (rrec_filename_template_uses_port (d));
	g_assert_false (rrec_filename_template_uses_port (e));
	g_assert_true (rrec_filename_template_uses_port (p));
	g_assert_false (rrec_filename_template_uses_port (l));
}

/* Random templates of every piece, random values (NULL, empty, unsafe
 * bytes, leading dots, long), against the oracle.  The seed is
 * g_test's: --seed repeats a run. */
static char *
random_text (guint max, gboolean may_dollar)
{
	static const char bytes[] = "aZ09+._-/ \\:$\xc3\xa9\x01\x7f\xff.";
	guint n = (guint) g_test_rand_int_range (0, (gint32) max + 1);
	char *s = g_malloc (n + 1);

	for (guint i = 0; i < n; i++) {
		do
			s[i] = bytes[g_test_rand_int_range (0, sizeof bytes - 1)];
		while (!may_dollar && s[i] == '$');
	}
	s[n] = '\0';
	return s;
}

static void
test_compiled_random (void)
{
	static const char *const vars[] = {
		"$CALLUUID$", "$CONNID$", "$DN$", "$ANI$", "$DNIS$", "$DATE$",
		"$TIME$", "$PORT$",
	};

	for (guint round = 0; round < 2000; round++) {
		GString *t = g_string_new (NULL);
		guint pieces = (guint) g_test_rand_int_range (0, 9);
		g_autofree char *tmpl = NULL;
		char *values[6] = { NULL };
		g_autoptr (GDateTime) start = NULL;
		RrecFilenameValues v = { 0 };
		/* long values now and then: the cut */
		guint max = g_test_rand_int_range (0, 8) == 0 ? 120 : 12;

		for (guint i = 0; i < pieces; i++) {
			if (g_test_rand_bit ()) {
				g_autofree char *lit = random_text (max, FALSE);

				g_string_append (t, lit);
			} else {
				g_string_append (t, vars[g_test_rand_int_range (
					0, G_N_ELEMENTS (vars))]);
			}
		}
		tmpl = g_string_free (t, FALSE);
		for (guint i = 0; i < G_N_ELEMENTS (values); i++)
			if (g_test_rand_int_range (0, 5) != 0)
				values[i] = random_text (max, TRUE);
		v.call_uuid = values[0];
		v.conn_id = values[1];
		v.dn = values[2];
		v.ani = values[3];
		v.dnis = values[4];
		v.port = values[5];
		switch (g_test_rand_int_range (0, 3)) {
		case 0:
			break;
		case 1:
			v.clock_set = TRUE;
			for (guint i = 0; i < 6; i++)
				v.clock[i] = g_test_rand_int_range (-20, 10020);
			break;
		default:
			start = g_date_time_new_utc (
				g_test_rand_int_range (1, 10000),
				g_test_rand_int_range (1, 13),
				g_test_rand_int_range (1, 29),
				g_test_rand_int_range (0, 24),
				g_test_rand_int_range (0, 60),
				g_test_rand_int_range (0, 60));
			v.start = start;
			break;
		}
		assert_expands (tmpl, &v, NULL);
		for (guint i = 0; i < G_N_ELEMENTS (values); i++)
			g_free (values[i]);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/filename/R29/default-template", test_default_template);
	g_test_add_func ("/filename/R29/every-variable", test_every_variable);
	g_test_add_func ("/filename/R29/no-date", test_no_date);
	g_test_add_func ("/filename/R29/clock-fields", test_clock_fields);
	g_test_add_func ("/filename/R29/absent-values", test_absent_values);
	g_test_add_func ("/filename/R29/unsafe-characters",
	                 test_unsafe_characters);
	g_test_add_func ("/filename/R29/dot-and-dotdot", test_dot_and_dotdot);
	g_test_add_func ("/filename/R29/255-bytes", test_255_bytes);
	g_test_add_func ("/filename/R29/compiled-pieces", test_compiled_pieces);
	g_test_add_func ("/filename/R29/compiled-cut", test_compiled_cut);
	g_test_add_func ("/filename/R29/compiled-odd-clock",
	                 test_compiled_odd_clock);
	g_test_add_func ("/filename/R29/compiled-uses-port",
	                 test_compiled_uses_port);
	g_test_add_func ("/filename/R29/compiled-random", test_compiled_random);
	g_test_add_func ("/filename/C2/unknown-variable", test_unknown_variable);

	return g_test_run ();
}
