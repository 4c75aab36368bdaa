/*
 * test-kvlist.c — key-value lists emptied and filled again
 * (rrec_kv_list_clear()), as the engine does with the data of its actions
 * (R21, R28, R34), and a packed list read into such a list
 * (rrec_kv_unpack_into()).
 */
#include <string.h>

#include "rrec/kvlist.h"
#include "rrec-kvpack.h"
#include "rrec-kvlist-private.h"

/* A list of @n pairs whose texts are long enough to need several blocks;
 * every fifth value a nested list, itself with a nested list. */
static void
fill (RrecKvList *l, guint n, guint salt)
{
	for (guint i = 0; i < n; i++) {
		char key[32], value[96];

		g_snprintf (key, sizeof key, "key-%u", i);
		memset (value, 'a' + (i + salt) % 26, sizeof value - 1);
		value[(i * 7 + salt) % (sizeof value - 1)] = '\0';
		if (i % 5 == 4) {
			RrecKvList *sub = rrec_kv_list_add_new_list (l, key);

			rrec_kv_list_add_int (sub, "n", (gint64) i * salt);
			rrec_kv_list_add_string (sub, "v", value);
			rrec_kv_list_add_string (rrec_kv_list_add_new_list (sub, "deep"),
						 "w", key);
		} else if (i % 3 == 0) {
			rrec_kv_list_add_int (l, key, -(gint64) i);
		} else {
			rrec_kv_list_add_string (l, key, value);
		}
	}
}

/* The same pairs built in a new list and in one cleared again and again
 * (each time with other texts) are equal, strings, numbers and nested
 * lists alike; a cleared list is empty. */
static void
test_clear_refill (void)
{
	g_autoptr (RrecKvList) reused = rrec_kv_list_new ();

	for (guint round = 0; round < 12; round++) {
		guint n = 3 + (round * 37) % 60;	/* longer and shorter */
		g_autoptr (RrecKvList) fresh = rrec_kv_list_new ();

		rrec_kv_list_clear (reused);
		g_assert_cmpuint (rrec_kv_list_length (reused), ==, 0);
		g_assert_cmpint (rrec_kv_list_find (reused, "key-0"), ==, -1);
		fill (reused, n, round + 1);
		fill (fresh, n, round + 1);
		g_assert_cmpuint (rrec_kv_list_length (reused), ==, n);
		g_assert_true (rrec_kv_list_equal (reused, fresh));
		g_autofree char *a = rrec_kv_list_to_string (reused);
		g_autofree char *b = rrec_kv_list_to_string (fresh);
		g_assert_cmpstr (a, ==, b);
	}
}

/* A long list (looked up through its index) cleared and filled with
 * other pairs finds the new ones and none of the old. */
static void
test_clear_index (void)
{
	g_autoptr (RrecKvList) l = rrec_kv_list_new ();

	fill (l, 40, 1);
	g_assert_cmpint (rrec_kv_list_find (l, "key-30"), ==, 30);
	rrec_kv_list_clear (l);
	rrec_kv_list_add_string (l, "other", "x");
	for (guint i = 0; i < 30; i++)
		rrec_kv_list_add_int (l, "dup", i);
	g_assert_cmpint (rrec_kv_list_find (l, "key-30"), ==, -1);
	g_assert_cmpint (rrec_kv_list_find (l, "dup"), ==, 30);
	g_assert_cmpint (rrec_kv_list_find (l, "other"), ==, 0);
	rrec_kv_list_set_string (l, "dup", "first");
	g_assert_cmpstr (rrec_kv_list_string (l, 1), ==, "first");
	g_assert_cmpint (rrec_kv_list_find (l, "dup"), ==, 30);
}

/* Strings handed out stay valid while the list grows (its text lives in
 * blocks that never move). */
static void
test_strings_stay (void)
{
	g_autoptr (RrecKvList) l = rrec_kv_list_new ();
	const char *first;

	rrec_kv_list_add_string (l, "first", "value of the first pair");
	first = rrec_kv_list_string (l, 0);
	for (guint i = 0; i < 2000; i++)
		rrec_kv_list_add_string (l, "k", "some text to fill the blocks");
	g_assert_cmpstr (first, ==, "value of the first pair");
	g_assert_cmpstr (rrec_kv_list_key (l, 0), ==, "first");
}

/* rrec_kv_unpack_into() gives the pairs rrec_kv_unpack() gives, into a
 * list used again; no bytes or "no list" give none; damaged bytes are
 * refused at every length they can be cut to. */
static void
test_unpack_into (void)
{
	g_autoptr (RrecKvList) into = rrec_kv_list_new ();
	guint8 none[4] = { 0xff, 0xff, 0xff, 0xff };

	for (guint round = 0; round < 6; round++) {
		g_autoptr (RrecKvList) l = rrec_kv_list_new ();
		guint32 len;
		gboolean ok;

		fill (l, 5 + round * 9, round + 3);
		g_autofree guint8 *packed = rrec_kv_pack (l, &len);
		g_autoptr (RrecKvList) back = rrec_kv_unpack (packed, len, NULL, &ok);

		g_assert_true (ok);
		rrec_kv_list_clear (into);
		g_assert_true (rrec_kv_unpack_into (into, packed, len));
		g_assert_true (rrec_kv_list_equal (into, back));
		g_assert_true (rrec_kv_list_equal (into, l));
		for (guint32 cut = 1; cut < len; cut++) {
			rrec_kv_list_clear (into);
			g_assert_false (rrec_kv_unpack_into (into, packed, cut));
		}
	}
	rrec_kv_list_clear (into);
	g_assert_true (rrec_kv_unpack_into (into, NULL, 0));
	g_assert_true (rrec_kv_unpack_into (into, none, sizeof none));
	g_assert_cmpuint (rrec_kv_list_length (into), ==, 0);
}

/* rrec_kv_pack_into() appends to what the array holds: the bytes before
 * stay, those after are rrec_kv_pack()'s, whatever room the array had
 * (lists of a few bytes to several KB, with nested lists, packed one
 * after another into the same array). */
static void
test_pack_into (void)
{
	g_autoptr (GByteArray) b = g_byte_array_new ();

	for (guint round = 0; round < 12; round++) {
		g_autoptr (RrecKvList) l = rrec_kv_list_new ();
		guint8 head[7];
		guint32 len;

		fill (l, round * round * 3, round + 1);
		for (guint i = 0; i < sizeof head; i++)
			head[i] = (guint8) (round * 31 + i);
		g_autofree guint8 *want = rrec_kv_pack (l, &len);

		g_byte_array_set_size (b, 0);
		g_byte_array_append (b, head, sizeof head);
		rrec_kv_pack_into (b, l);
		if (round == 0) {	/* an empty list packs as nothing … */
			g_assert_null (want);
			g_assert_cmpuint (b->len, ==, sizeof head + 4);
		} else {		/* … here as a count of 0 */
			g_assert_cmpuint (b->len, ==, sizeof head + len);
			g_assert_cmpmem (b->data + sizeof head, len, want, len);
		}
		g_assert_cmpmem (b->data, sizeof head, head, sizeof head);
	}
	g_byte_array_set_size (b, 0);
	rrec_kv_pack_into (b, NULL);
	g_assert_cmpuint (b->len, ==, 4);
}

/* Whether a list nests others follows every way a pair is added, changed
 * or emptied (the engine's nesting check trusts it, §7). */
static void
test_has_lists (void)
{
	g_autoptr (RrecKvList) l = rrec_kv_list_new ();
	g_autoptr (RrecKvList) other = rrec_kv_list_new ();
	g_autoptr (RrecKvList) copy = NULL;

	g_assert_false (rrec_kv_list_has_lists (NULL));
	g_assert_false (rrec_kv_list_has_lists (l));
	rrec_kv_list_add_string (l, "a", "1");
	rrec_kv_list_add_int (l, "b", 2);
	g_assert_false (rrec_kv_list_has_lists (l));
	rrec_kv_list_add_string (rrec_kv_list_add_new_list (l, "c"), "d", "3");
	g_assert_true (rrec_kv_list_has_lists (l));
	g_assert_false (rrec_kv_list_has_lists (rrec_kv_list_sublist (l, 2)));

	/* a copy, and a pair copied alone */
	copy = rrec_kv_list_copy (l);
	g_assert_true (rrec_kv_list_has_lists (copy));
	rrec_kv_list_append_pair (other, l, 0);
	g_assert_false (rrec_kv_list_has_lists (other));
	rrec_kv_list_append_pair (other, l, 2);
	g_assert_true (rrec_kv_list_has_lists (other));

	/* the list's value replaced by a string */
	rrec_kv_list_set_string (l, "c", "flat");
	g_assert_false (rrec_kv_list_has_lists (l));
	rrec_kv_list_add_list (l, "e", rrec_kv_list_new ());
	g_assert_true (rrec_kv_list_has_lists (l));

	/* emptied and filled again, flat */
	rrec_kv_list_clear (other);
	g_assert_false (rrec_kv_list_has_lists (other));
	rrec_kv_list_add_string (other, "f", "4");
	g_assert_false (rrec_kv_list_has_lists (other));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/kvlist/clear-refill", test_clear_refill);
	g_test_add_func ("/kvlist/clear-index", test_clear_index);
	g_test_add_func ("/kvlist/strings-stay", test_strings_stay);
	g_test_add_func ("/kvlist/unpack-into", test_unpack_into);
	g_test_add_func ("/kvlist/pack-into", test_pack_into);
	g_test_add_func ("/kvlist/has-lists", test_has_lists);
	return g_test_run ();
}
