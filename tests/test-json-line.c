/*
 * test-json-line.c — the streaming JSON writer of tools/json-line.h
 * (`rrec replay --json`, issue #14) writes the very bytes that json-glib's
 * builder and generator, followed by rrec_json_line(), wrote before it:
 * every golden replay stays byte-identical, and §7 (every control
 * character escaped) holds for any key or value a log can carry.
 */
#include <string.h>

#include "json-check.h"
#include "json-line.h"

/* ---- the reference: a JsonNode tree, as replay.c built it ------------------- */

static void
ref_kv (JsonBuilder *b, const RrecKvList *l)
{
	json_builder_begin_object (b);
	for (guint i = 0; i < rrec_kv_list_length (l); i++) {
		json_builder_set_member_name (b, rrec_kv_list_key (l, i));
		switch (rrec_kv_list_kind (l, i)) {
		case RREC_KV_STRING:
			json_builder_add_string_value (b, rrec_kv_list_string (l, i));
			break;
		case RREC_KV_INT:
			json_builder_add_int_value (b, rrec_kv_list_int (l, i));
			break;
		case RREC_KV_LIST:
			ref_kv (b, rrec_kv_list_sublist (l, i));
			break;
		}
	}
	json_builder_end_object (b);
}

/* {"s":S,"n":N,"t":true,"data":L} both ways; fails where they differ. */
static void
check_same (const char *s, gint64 n, const RrecKvList *l)
{
	g_autoptr (JsonBuilder) b = json_builder_new ();

	json_builder_begin_object (b);
	json_builder_set_member_name (b, "s");
	json_builder_add_string_value (b, s);
	json_builder_set_member_name (b, "n");
	json_builder_add_int_value (b, n);
	json_builder_set_member_name (b, "t");
	json_builder_add_boolean_value (b, TRUE);
	json_builder_set_member_name (b, "f");
	json_builder_add_boolean_value (b, FALSE);
	json_builder_set_member_name (b, "data");
	ref_kv (b, l);
	json_builder_end_object (b);
	g_autoptr (JsonNode) root = json_builder_get_root (b);
	g_autofree char *want = rrec_json_line (root);

	g_autoptr (GString) got = g_string_new ("");
	rrec_json_begin (got);
	rrec_json_str (got, "s", s);
	rrec_json_str (got, "absent", NULL);	/* no member at all */
	rrec_json_int (got, "n", n);
	rrec_json_bool (got, "t", TRUE);
	rrec_json_bool (got, "f", FALSE);
	rrec_json_name (got, "data");
	rrec_json_kv (got, l);
	rrec_json_end (got);

	g_assert_cmpstr (got->str, ==, want);
	if (g_utf8_validate (got->str, -1, NULL)) {
		g_autoptr (JsonParser) p = json_check_line ("writer", 1, got->str);
	}

	/* the members after the first with their names put at once, as
	 * the replay's action lines write them */
	g_autoptr (GString) next = g_string_new ("");
	rrec_json_begin (next);
	rrec_json_str (next, "s", s);
	rrec_json_next_str (next, "absent", NULL);
	rrec_json_next_int (next, "n", n);
	rrec_json_next_bool (next, "t", TRUE);
	rrec_json_next_bool (next, "f", FALSE);
	rrec_json_next_name (next, "data");
	rrec_json_kv (next, l);
	rrec_json_end (next);
	g_assert_cmpstr (next->str, ==, want);
}

/* §7: every byte as a value, as a key, alone and between others */
static void
test_every_byte (void)
{
	for (guint c = 1; c < 256; c++) {
		char one[2] = { (char) c, 0 };
		g_autofree char *mid = g_strdup_printf ("a%cb%c", c, c);
		g_autoptr (RrecKvList) l = rrec_kv_list_new ();

		rrec_kv_list_add_string (l, one, mid);
		rrec_kv_list_add_string (l, mid, one);
		check_same (one, c, l);
		check_same (mid, -(gint64) c, l);
	}
}

/* Strings long enough for the writer's 8- and 16-byte scans: a byte to
 * escape at every place of strings of 1 to 40 bytes, alone or with a
 * second one later; every byte value in the middle of a 37-byte string. */
static void
test_long_strings (void)
{
	static const guchar odd[] = {
		0x01, '\b', '\t', '\n', '\f', '\r', 0x1f, 0x20, '"', '\\',
		0x7e, 0x7f, 0x80, 0x9f, 0xc2, 0xff,
	};
	g_autoptr (RrecKvList) l = rrec_kv_list_new ();

	for (guint len = 1; len <= 40; len++) {
		for (guint at = 0; at < len; at++) {
			for (guint o = 0; o < G_N_ELEMENTS (odd); o++) {
				char s[48];

				for (guint i = 0; i < len; i++)
					s[i] = (char) ('a' + i % 26);
				s[len] = 0;
				s[at] = (char) odd[o];
				check_same (s, len, l);
				s[(at + 7 + o) % len] = (char) odd[(o + 9) % G_N_ELEMENTS (odd)];
				check_same (s, at, l);
			}
		}
	}
	for (guint c = 1; c < 256; c++) {
		g_autofree char *s = g_strdup_printf ("0123456789abcdef%c0123456789abcdefgh", c);
		g_autoptr (RrecKvList) kv = rrec_kv_list_new ();

		rrec_kv_list_add_string (kv, s, s);
		check_same (s, c, kv);
	}
}

static void
test_numbers (void)
{
	static const gint64 n[] = {
		0, 1, -1, 9, 10, -10, 99, 100, 4294967296, G_MAXINT64,
		G_MININT64, G_MININT64 + 1,
	};
	g_autoptr (RrecKvList) l = rrec_kv_list_new ();

	for (guint i = 0; i < G_N_ELEMENTS (n); i++) {
		g_autofree char *k = g_strdup_printf ("k%u", i);

		rrec_kv_list_add_int (l, k, n[i]);
		check_same ("", n[i], l);
	}
}

/* A key given again keeps its first place and takes its last value, of
 * whatever kind; a string set to none is null; nested lists; an empty
 * list; more keys than the writer's small table. */
static void
test_lists (void)
{
	g_autoptr (RrecKvList) l = rrec_kv_list_new ();
	RrecKvList *sub = rrec_kv_list_new ();
	RrecKvList *empty = rrec_kv_list_new ();

	rrec_kv_list_add_string (l, "a", "1");
	rrec_kv_list_add_int (l, "b", 2);
	rrec_kv_list_add_int (l, "a", 3);
	rrec_kv_list_add_string (sub, "x", "y\x01");
	rrec_kv_list_add_string (sub, "x", "z");
	rrec_kv_list_add_list (l, "b", sub);
	rrec_kv_list_add_list (l, "e", empty);
	rrec_kv_list_add_string (l, "n", "set below");
	rrec_kv_list_set_string (l, "n", NULL);
	check_same ("x", 0, l);

	g_autoptr (RrecKvList) many = rrec_kv_list_new ();
	for (guint i = 0; i < 100; i++) {
		g_autofree char *k = g_strdup_printf ("key%u", i % 37);

		if (i % 3 == 0)
			rrec_kv_list_add_int (many, k, i);
		else
			rrec_kv_list_add_string (many, k, k);
		check_same (k, i, many);
	}
}

/* Random keys and values of any bytes, lists nested three deep, keys
 * drawn from a small set so that some come again. */
static RrecKvList *
random_list (guint depth)
{
	RrecKvList *l = rrec_kv_list_new ();
	guint n = g_test_rand_int_range (0, 12);

	for (guint i = 0; i < n; i++) {
		char key[3] = { (char) g_test_rand_int_range (1, 256), 0, 0 };
		char value[9];
		guint len = g_test_rand_int_range (0, 8);

		if (g_test_rand_bit ())
			key[1] = (char) g_test_rand_int_range (1, 4) + 'a' - 1;
		for (guint j = 0; j < len; j++)
			value[j] = (char) g_test_rand_int_range (1, 256);
		value[len] = 0;
		switch (g_test_rand_int_range (0, depth > 0 ? 3 : 2)) {
		case 0:
			rrec_kv_list_add_string (l, key, value);
			break;
		case 1:
			rrec_kv_list_add_int (l, key, (gint64) g_test_rand_int () * (1 << 20));
			break;
		default:
			rrec_kv_list_add_list (l, key, random_list (depth - 1));
		}
	}
	return l;
}

static void
test_random (void)
{
	for (guint i = 0; i < 3000; i++) {
		g_autoptr (RrecKvList) l = random_list (3);
		char s[6];

		for (guint j = 0; j < sizeof s - 1; j++)
			s[j] = (char) g_test_rand_int_range (1, 256);
		s[sizeof s - 1] = 0;
		check_same (s, g_test_rand_int (), l);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/json-line/S7/every-byte", test_every_byte);
	g_test_add_func ("/json-line/S7/long-strings", test_long_strings);
	g_test_add_func ("/json-line/numbers", test_numbers);
	g_test_add_func ("/json-line/lists", test_lists);
	g_test_add_func ("/json-line/random", test_random);
	return g_test_run ();
}
