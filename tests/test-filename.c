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
	g_autoptr (GString) kept = g_string_new ("text of an earlier name");

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
		g_assert_true (rrec_filename_expand_into ("x$DATE$y$TIME$z$DN$",
		                                          &by_fields, kept));
		g_assert_cmpstr (kept->str, ==, want);
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
	g_test_add_func ("/filename/C2/unknown-variable", test_unknown_variable);

	return g_test_run ();
}
