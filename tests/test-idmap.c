/*
 * test-idmap.c — the engine's integer-keyed map (idmap.c) and its table of
 * DNs by id (dntab.c): what the hot path relies on when calls come and go
 * by the hundred thousand; and the comparison of an event's user data with
 * a call's packed copy (rrec_kv_pack_equal(), R21), which must say what
 * packing and comparing the bytes would; and the engine's pending timers
 * (core.c), a heap that must fire in (due, order set) as a sorted tree did.
 */
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "idmap.h"
#include "dntab.h"
#include "rrec-kvpack.h"
#include "core.h"
#include "textarena.h"
#include "model.h"

/* A key whose entries crowd one run of slots: keys that differ only above
 * the bits the map hashes into would all land together without mixing. */
static guint64
key_of (guint i)
{
	return 0x0060000000000000ULL + (guint64) i * 0x10000ULL;
}

/* Every key inserted is found with its value, removed ones are gone and
 * the others stay found however the removals broke the runs of slots. */
static void
test_map_insert_remove (void)
{
	RrecIdMap m;
	const guint n = 20000;
	GRand *r = g_rand_new_with_seed (14);
	guint *order = g_new (guint, n);

	rrec_id_map_init (&m);
	for (guint i = 0; i < n; i++)
		rrec_id_map_insert (&m, key_of (i), GUINT_TO_POINTER (i + 1));
	g_assert_cmpuint (rrec_id_map_size (&m), ==, n);
	/* replacing does not add */
	rrec_id_map_insert (&m, key_of (7), GUINT_TO_POINTER (8));
	g_assert_cmpuint (rrec_id_map_size (&m), ==, n);

	for (guint i = 0; i < n; i++)
		order[i] = i;
	for (guint i = n - 1; i > 0; i--) {
		guint j = g_rand_int_range (r, 0, i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	/* the first half of a shuffled order leaves */
	for (guint i = 0; i < n / 2; i++)
		g_assert_cmpuint (GPOINTER_TO_UINT (rrec_id_map_remove (&m, key_of (order[i]))),
				  ==, order[i] + 1);
	g_assert_null (rrec_id_map_remove (&m, key_of (order[0])));
	g_assert_cmpuint (rrec_id_map_size (&m), ==, n - n / 2);
	for (guint i = 0; i < n; i++) {
		gpointer v = rrec_id_map_lookup (&m, key_of (order[i]));

		if (i < n / 2)
			g_assert_null (v);
		else
			g_assert_cmpuint (GPOINTER_TO_UINT (v), ==, order[i] + 1);
	}
	g_assert_null (rrec_id_map_lookup (&m, 0));

	/* a walk sees each entry once */
	guint seen = 0, i = 0;
	guint64 k;
	gpointer v;
	while (rrec_id_map_next (&m, &i, &k, &v)) {
		g_assert_true (rrec_id_map_lookup (&m, k) == v);
		seen++;
	}
	g_assert_cmpuint (seen, ==, n - n / 2);

	rrec_id_map_remove_all (&m);
	g_assert_cmpuint (rrec_id_map_size (&m), ==, 0);
	g_assert_null (rrec_id_map_lookup (&m, key_of (order[n - 1])));
	rrec_id_map_clear (&m);
	g_free (order);
	g_rand_free (r);
}

/* A DN has one id; an outside number leaves once no party names it (at
 * the sweep, not before), a configured or local one stays. */
static void
test_dn_table_life (void)
{
	RrecDnTable t;

	rrec_dn_table_init (&t);
	guint32 agent = rrec_dn_table_intern (&t, "7001");
	t.v[agent].configured = TRUE;
	guint32 caller = rrec_dn_table_intern (&t, "+14255550123");
	guint32 long_dn = rrec_dn_table_intern (&t, "sip:someone.far.away@example.com");

	g_assert_cmpuint (agent, !=, 0);
	g_assert_cmpuint (caller, !=, agent);
	g_assert_cmpuint (rrec_dn_table_intern (&t, "7001"), ==, agent);
	g_assert_cmpuint (rrec_dn_table_find (&t, "+14255550123"), ==, caller);
	g_assert_cmpuint (rrec_dn_table_find (&t, "sip:someone.far.away@example.com"), ==, long_dn);
	/* a longer DN with the same first 16 bytes is another DN */
	g_assert_cmpuint (rrec_dn_table_find (&t, "sip:someone.far.away@example.org"), ==, 0);
	g_assert_cmpuint (rrec_dn_table_find (&t, "700"), ==, 0);
	/* a DN's key matches its entry alone, text for text (a message's DN
	 * found among its call's parties) */
	RrecDnKey k;
	rrec_dn_key_init (&k, "7001");
	g_assert_true (rrec_dn_table_matches (&t, agent, &k));
	g_assert_false (rrec_dn_table_matches (&t, caller, &k));
	rrec_dn_key_init (&k, "sip:someone.far.away@example.com");
	g_assert_true (rrec_dn_table_matches (&t, long_dn, &k));
	rrec_dn_key_init (&k, "sip:someone.far.away@example.org");
	g_assert_false (rrec_dn_table_matches (&t, long_dn, &k));
	rrec_dn_key_init (&k, "+1425555012");
	g_assert_false (rrec_dn_table_matches (&t, caller, &k));
	/* the hint's hash (rrec_engine_prefetch()) is the index's, and
	 * every byte of a DN counts, whatever its length (the hash takes
	 * words, the last ones overlapping) */
	char text[41];
	for (guint n = 1; n < sizeof text; n++) {
		for (guint i = 0; i < n; i++)
			text[i] = (char) ('0' + (i * 7 + n) % 10);
		text[n] = '\0';
		rrec_dn_key_init (&k, text);
		guint32 h = k.hash;
		g_assert_cmpuint (rrec_dn_table_hash (text), ==, h);
		g_assert_cmpuint (k.len, ==, n);
		for (guint i = 0; i < n; i++) {
			char was = text[i];

			text[i] = 'x';
			g_assert_cmpuint (rrec_dn_table_hash (text), !=, h);
			text[i] = was;
		}
		text[n - 1] = '\0';	/* one byte shorter */
		g_assert_cmpuint (rrec_dn_table_hash (text), !=, h);
	}
	g_assert_cmpuint (rrec_dn_table_find (&t, NULL), ==, 0);
	g_assert_cmpstr (rrec_dn_table_name (&t, caller), ==, "+14255550123");
	g_assert_true (rrec_dn_table_is_local (&t, agent));
	g_assert_false (rrec_dn_table_is_local (&t, caller));

	rrec_dn_table_ref (&t, caller);
	rrec_dn_table_ref (&t, caller);
	rrec_dn_table_ref (&t, agent);
	rrec_dn_table_unref (&t, caller);
	rrec_dn_table_unref (&t, agent);
	rrec_dn_table_sweep (&t);
	g_assert_cmpuint (rrec_dn_table_find (&t, "+14255550123"), ==, caller);
	rrec_dn_table_unref (&t, caller);
	/* the id stays valid until the sweep */
	g_assert_cmpstr (rrec_dn_table_name (&t, caller), ==, "+14255550123");
	rrec_dn_table_sweep (&t);
	g_assert_cmpuint (rrec_dn_table_find (&t, "+14255550123"), ==, 0);
	g_assert_cmpuint (rrec_dn_table_find (&t, "7001"), ==, agent);
	/* taken again before the sweep, it stays */
	rrec_dn_table_ref (&t, long_dn);
	rrec_dn_table_unref (&t, long_dn);
	rrec_dn_table_ref (&t, long_dn);
	rrec_dn_table_sweep (&t);
	g_assert_cmpuint (rrec_dn_table_find (&t, "sip:someone.far.away@example.com"), ==, long_dn);
	/* a freed id is handed out again */
	guint32 again = rrec_dn_table_intern (&t, "+14255550999");
	g_assert_cmpuint (again, ==, caller);
	rrec_dn_table_clear (&t);
}

/* Many DNs, most of them leaving: the index keeps finding the others. */
static void
test_dn_table_many (void)
{
	RrecDnTable t;
	const guint n = 50000;
	guint32 *ids = g_new (guint32, n);

	rrec_dn_table_init (&t);
	for (guint i = 0; i < n; i++) {
		g_autofree char *dn = g_strdup_printf ("+1%09u", i * 7919u);

		ids[i] = rrec_dn_table_intern (&t, dn);
		rrec_dn_table_ref (&t, ids[i]);
	}
	for (guint i = 0; i < n; i += 3)
		rrec_dn_table_unref (&t, ids[i]);
	rrec_dn_table_sweep (&t);
	for (guint i = 0; i < n; i++) {
		g_autofree char *dn = g_strdup_printf ("+1%09u", i * 7919u);

		g_assert_cmpuint (rrec_dn_table_find (&t, dn), ==, i % 3 ? ids[i] : 0);
	}
	g_free (ids);
	rrec_dn_table_clear (&t);
}

/* DNs about the length the index keeps in its slot (RREC_DN_HEAD, 16):
 * each is told from the others that share its first bytes, and is kept
 * whole, whether it is looked up first or entered at once. */
static void
test_dn_table_head (void)
{
	static const char *const dns[] = {
		"", "1", "123456789012345", "1234567890123456",
		"12345678901234567", "1234567890123456x", "1234567890123456y",
		"12345678901234568", "123456789012345678901234567890",
	};
	RrecDnTable t;
	guint32 ids[G_N_ELEMENTS (dns)];

	rrec_dn_table_init (&t);
	for (guint i = 0; i < G_N_ELEMENTS (dns); i++) {
		if (i % 2)
			g_assert_cmpuint (rrec_dn_table_find (&t, dns[i]), ==, 0);
		ids[i] = rrec_dn_table_intern (&t, dns[i]);
		rrec_dn_table_ref (&t, ids[i]);
	}
	for (guint i = 0; i < G_N_ELEMENTS (dns); i++) {
		g_assert_cmpuint (ids[i], !=, 0);
		for (guint j = 0; j < i; j++)
			g_assert_cmpuint (ids[i], !=, ids[j]);
		g_assert_cmpuint (rrec_dn_table_find (&t, dns[i]), ==, ids[i]);
		g_assert_cmpuint (rrec_dn_table_intern (&t, dns[i]), ==, ids[i]);
		g_assert_cmpstr (rrec_dn_table_name (&t, ids[i]), ==, dns[i]);
	}
	g_assert_cmpuint (rrec_dn_table_find (&t, "12345678901234"), ==, 0);
	g_assert_cmpuint (rrec_dn_table_find (&t, "123456789012345678"), ==, 0);
	rrec_dn_table_clear (&t);
}

/* A small random list: strings (some empty, some alike), integers (some
 * beyond 32 bits), sublists (some empty). */
static RrecKvList *
random_list (GRand *r, guint depth)
{
	static const char *const words[] = { "", "a", "b", "ab", "CustomerID", "7001", "x\ty" };
	RrecKvList *l = rrec_kv_list_new ();
	guint n = g_rand_int_range (r, 0, 5);

	for (guint i = 0; i < n; i++) {
		const char *key = words[g_rand_int_range (r, 0, G_N_ELEMENTS (words))];

		switch (g_rand_int_range (r, 0, depth < 2 ? 3 : 2)) {
		case 0:
			rrec_kv_list_add_string (l, key, words[g_rand_int_range (r, 0, G_N_ELEMENTS (words))]);
			break;
		case 1:
			rrec_kv_list_add_int (l, key, g_rand_boolean (r) ?
					      g_rand_int_range (r, -2, 3) :
					      (gint64) g_rand_int (r) << 31);
			break;
		default:
			rrec_kv_list_add_list (l, key, random_list (r, depth + 1));
			break;
		}
	}
	return l;
}

/* R21: rrec_kv_pack_equal() is packing, then comparing the bytes, for
 * lists equal, alike, shorter, longer, or of another kind. */
static void
test_kv_pack_equal (void)
{
	g_autoptr (GRand) r = g_rand_new_with_seed (14);
	guint equal = 0, differ = 0;

	g_assert_true (rrec_kv_pack_equal (NULL, 0, NULL));
	for (guint i = 0; i < 20000; i++) {
		RrecKvList *a = random_list (r, 0);
		RrecKvList *b = g_rand_int_range (r, 0, 4) == 0 ? rrec_kv_list_copy (a) :
			random_list (r, 0);
		guint32 la, lb;
		g_autofree guint8 *pa = rrec_kv_pack (a, &la);
		g_autofree guint8 *pb = rrec_kv_pack (b, &lb);
		gboolean same = la == lb && (la == 0 || memcmp (pa, pb, la) == 0);

		g_assert_true (rrec_kv_pack_equal (pa, la, a));
		g_assert_cmpint (rrec_kv_pack_equal (pa, la, b), ==, same);
		g_assert_cmpint (rrec_kv_pack_equal (pb, lb, a), ==, same);
		/* a copy cut short is never equal */
		if (la > 0)
			g_assert_false (rrec_kv_pack_equal (pa, la - 1, a));
		if (same)
			equal++;
		else
			differ++;
		rrec_kv_list_free (a);
		rrec_kv_list_free (b);
	}
	/* both outcomes were seen often */
	g_assert_cmpuint (equal, >, 2000);
	g_assert_cmpuint (differ, >, 2000);
}

/* Outside numbers come and go with their calls: names of entries gone are
 * used again for new ones, shorter, as long or longer, and every name read
 * back is the one entered, none of the old ones found. */
static void
test_dn_table_reuse (void)
{
	RrecDnTable t;

	rrec_dn_table_init (&t);
	for (guint round = 0; round < 40; round++) {
		guint32 ids[64];
		char dn[64][48];

		for (guint i = 0; i < 64; i++) {
			/* lengths from 1 to 40, changing with the round */
			guint len = 1 + (i * 13 + round * 7) % 40;

			for (guint k = 0; k < len; k++)
				dn[i][k] = (char) ('0' + (i + k + round) % 10);
			g_snprintf (dn[i] + len, sizeof dn[i] - len, "r%ui%u", round, i);
			ids[i] = rrec_dn_table_intern (&t, dn[i]);
			rrec_dn_table_ref (&t, ids[i]);
		}
		for (guint i = 0; i < 64; i++)
			g_assert_cmpstr (rrec_dn_table_name (&t, ids[i]), ==, dn[i]);
		for (guint i = 0; i < 64; i++)
			rrec_dn_table_unref (&t, ids[i]);
		rrec_dn_table_sweep (&t);
		for (guint i = 0; i < 64; i++)
			g_assert_cmpuint (rrec_dn_table_find (&t, dn[i]), ==, 0);
	}
	rrec_dn_table_clear (&t);
}

/* ---- the timers' heap (core.c) ------------------------------------------ */

typedef struct {
	GArray *fired;		/* TimerKey, in the order fired */
} FireLog;

static FireLog fire_log;

static void
log_fire (RrecEngine *e, Timer *t)
{
	g_assert_cmpuint (t->key.due, <=, (guint64) e->now);
	g_array_append_val (fire_log.fired, t->key);
}

static void
no_run (RrecEngine *e, Posted *p)
{
}

static gboolean
no_settle (RrecEngine *e)
{
	return FALSE;
}

static void
no_finish (RrecEngine *e)
{
}

static const RrecEngineHooks timer_hooks = {
	.run = no_run,
	.settle = no_settle,
	.finish = no_finish,
	.fire = log_fire,
};

static gboolean
collect_key (gpointer key, gpointer value, gpointer data)
{
	g_assert_true (key == &((Timer *) value)->key);
	g_array_append_val (data, ((Timer *) value)->key);
	return FALSE;
}

static void
timer_engine_init (RrecEngine *e)
{
	memset (e, 0, sizeof *e);
	e->hooks = &timer_hooks;
	e->timers = rrec_core_timers_new ();
	fire_log.fired = g_array_new (FALSE, FALSE, sizeof (TimerKey));
}

static void
timer_engine_clear (RrecEngine *e)
{
	rrec_core_timers_free (e->timers);
	rrec_core_spares_free (e);
	g_array_unref (fire_log.fired);
}

/* R25: timers due at the same time fire in the order they were set, every
 * due one and only those, whatever was cancelled in between; the ordered
 * walk (the saved state's order) is the same order. */
static void
test_timers_order (void)
{
	RrecEngine e;
	GRand *r = g_rand_new_with_seed (25);
	const guint n = 3000;
	Timer **all = g_new0 (Timer *, n);
	g_autoptr (GArray) walked = g_array_new (FALSE, FALSE, sizeof (TimerKey));
	guint pending = n;

	timer_engine_init (&e);
	/* few distinct due times: most keys are ordered by their id */
	for (guint i = 0; i < n; i++)
		all[i] = rrec_core_timer_add (&e, TIMER_SETUP,
					      g_rand_int_range (r, 0, 40) * 1000,
					      i, 0);
	for (guint i = 0; i < n; i += 1 + g_rand_int_range (r, 0, 3)) {
		rrec_engine_timer_cancel (&e, &all[i]);
		g_assert_null (all[i]);
		pending--;
	}
	g_assert_cmpuint (rrec_engine_pending_timers (&e), ==, pending);
	rrec_core_timers_foreach (&e, collect_key, walked);
	g_assert_cmpuint (walked->len, ==, pending);

	/* fired in steps of time, with new timers set among the due ones */
	for (gint64 now = 0; rrec_engine_pending_timers (&e) > 0; now += 1500) {
		e.now = now;
		rrec_core_fire_due (&e, now);
		g_assert_true (rrec_engine_next_due (&e) == -1 ||
			       rrec_engine_next_due (&e) > now);
	}
	g_assert_cmpuint (fire_log.fired->len, ==, pending);
	for (guint i = 0; i < pending; i++) {
		const TimerKey *a = &g_array_index (fire_log.fired, TimerKey, i);
		const TimerKey *w = &g_array_index (walked, TimerKey, i);

		g_assert_cmpint (a->due, ==, w->due);
		g_assert_cmpuint (a->id, ==, w->id);
		if (i > 0) {
			const TimerKey *b = a - 1;
			g_assert_true (b->due < a->due ||
				       (b->due == a->due && b->id < a->id));
		}
	}
	g_assert_cmpint (rrec_engine_next_due (&e), ==, -1);
	timer_engine_clear (&e);
	g_free (all);
	g_rand_free (r);
}

/* A saved state's timers come back in any order; one whose key is pending
 * already is refused (the state is bad), and the heap's order holds. */
static void
test_timers_insert (void)
{
	RrecEngine e;
	const gint64 dues[] = { 5000, 1000, 9000, 1000, 7000, 3000 };

	timer_engine_init (&e);
	e.next_timer_id = 100;
	for (guint i = 0; i < G_N_ELEMENTS (dues); i++) {
		Timer *t = g_new0 (Timer, 1);
		t->key.due = dues[i];
		t->key.id = 10 + i;
		g_assert_true (rrec_core_timer_insert (&e, t));
	}
	for (guint i = 0; i < G_N_ELEMENTS (dues); i++) {
		Timer dup = { .key = { dues[i], 10 + i } };
		Timer *t = g_memdup2 (&dup, sizeof dup);
		g_assert_false (rrec_core_timer_insert (&e, t));
		g_free (t);
	}
	/* the same id with another due time is another key */
	Timer *other = g_new0 (Timer, 1);
	other->key.due = 2000;
	other->key.id = 11;
	g_assert_true (rrec_core_timer_insert (&e, other));
	g_assert_cmpuint (rrec_engine_pending_timers (&e), ==, 7);
	g_assert_cmpint (rrec_engine_next_due (&e), ==, 1000);
	e.now = 10000;
	rrec_core_fire_due (&e, 10000);
	const guint64 order[] = { 11, 13, 11, 15, 10, 14, 12 };
	g_assert_cmpuint (fire_log.fired->len, ==, G_N_ELEMENTS (order));
	for (guint i = 0; i < G_N_ELEMENTS (order); i++)
		g_assert_cmpuint (g_array_index (fire_log.fired, TimerKey, i).id,
				  ==, order[i]);
	timer_engine_clear (&e);
}

/* ---- the core's free lists ------------------------------------------------ */

/* The reference a ConnID's parse must agree with: 1 to 16 hex digits of
 * either case, read one at a time. */
static gboolean
conn_parse_reference (const char *text, guint64 *out)
{
	gsize n = strlen (text);
	guint64 v = 0;

	if (n == 0 || n > 16)
		return FALSE;
	for (gsize i = 0; i < n; i++) {
		char c = text[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (guint64) (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (guint64) (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v << 4 | (guint64) (c - 'A' + 10);
		else
			return FALSE;
	}
	*out = v;
	return TRUE;
}

static void
check_conn (const char *text)
{
	guint64 got = 0, want = 0;
	gboolean ok = rrec_conn_parse (text, &got);

	if (ok != conn_parse_reference (text, &want) || (ok && got != want))
		g_error ("rrec_conn_parse (\"%s\"): %s %016" G_GINT64_MODIFIER
			 "x, the reference %s %016" G_GINT64_MODIFIER "x",
			 text, ok ? "TRUE" : "FALSE", got,
			 ok ? "FALSE" : "TRUE", want);
}

/* A ConnID's 16 digits read eight at a time: every byte value at every
 * position of a valid ConnID, in both cases, and random texts of 15 to 17
 * characters drawn mostly from hex digits and their neighbours, parse as
 * the reference does. */
static void
test_conn_parse (void)
{
	static const char near[] = "0123456789abcdefABCDEF/:@`gG\x7f\x80\xff ";
	char text[18];
	GRand *r = g_rand_new_with_seed (14);

	for (int pos = 0; pos < 16; pos++)
		for (int b = 1; b < 256; b++)
			for (int upper = 0; upper < 2; upper++) {
				memcpy (text, upper ? "0123456789ABCDEF"
					: "fedcba9876543210", 17);
				text[pos] = (char) b;
				check_conn (text);
			}
	for (int i = 0; i < 200000; i++) {
		int len = g_rand_int_range (r, 15, 18);

		for (int k = 0; k < len; k++)
			text[k] = near[g_rand_int_range (r, 0, sizeof near - 1)];
		text[len] = '\0';
		check_conn (text);
	}
	check_conn ("");
	check_conn ("0");
	check_conn ("ffffffffffffffff");
	check_conn ("00000000000000000");
	g_rand_free (r);
}

static void
check_conn_string (guint64 id)
{
	char got[17], want[17];

	memset (got, 'x', sizeof got);
	rrec_conn_string (id, got);
	g_snprintf (want, sizeof want, "%016" G_GINT64_MODIFIER "x", id);
	g_assert_cmpstr (got, ==, want);
	g_assert_cmpint (got[16], ==, '\0');
}

/* A ConnID written sixteen digits at a time reads as printf writes it:
 * every digit value at every position, the ends, and random ids; and it
 * parses back to the id. */
static void
test_conn_string (void)
{
	GRand *r = g_rand_new_with_seed (12);

	for (int pos = 0; pos < 16; pos++)
		for (guint64 d = 0; d < 16; d++) {
			check_conn_string (d << (4 * pos));
			check_conn_string (~(guint64) 0 ^ (d << (4 * pos)));
		}
	check_conn_string (0);
	check_conn_string (G_MAXUINT64);
	check_conn_string (0x0123456789abcdefULL);
	check_conn_string (0xfedcba9876543210ULL);
	for (int i = 0; i < 200000; i++) {
		guint64 id = (guint64) g_rand_int (r) << 32 | g_rand_int (r);
		char text[17];
		guint64 back = 0;

		check_conn_string (id);
		rrec_conn_string (id, text);
		g_assert_true (rrec_conn_parse (text, &back));
		g_assert_cmphex (back, ==, id);
	}
	g_rand_free (r);
}

/* FNV-1a over the text in lower case, GLib's way. */
static guint64
leg_key_reference (const char *leg)
{
	guint64 h = 0xcbf29ce484222325ULL;

	for (; *leg; leg++)
		h = (h ^ (guchar) g_ascii_tolower (*leg)) * 0x100000001b3ULL;
	return h;
}

/* A leg's key (the sessions by leg) is the same whatever the case of its
 * ConnID's letters, and exactly the reference's for every byte value. */
static void
test_leg_key (void)
{
	GRand *r = g_rand_new_with_seed (15);
	char text[40];

	for (int b = 1; b < 256; b++) {
		text[0] = (char) b;
		text[1] = '\0';
		g_assert_cmphex (rrec_engine_leg_key (text), ==,
				 leg_key_reference (text));
	}
	for (int i = 0; i < 100000; i++) {
		int len = g_rand_int_range (r, 0, (int) sizeof text);

		for (int k = 0; k < len; k++)
			text[k] = (char) g_rand_int_range (r, 1, 256);
		text[len] = '\0';
		g_assert_cmphex (rrec_engine_leg_key (text), ==,
				 leg_key_reference (text));
	}
	g_assert_cmphex (rrec_engine_leg_key ("00A1B2C3D4E5F6AB"), ==,
			 rrec_engine_leg_key ("00a1b2c3d4e5f6ab"));
	g_assert_cmphex (rrec_engine_leg_key ("00A1B2C3D4E5F6AB"), !=,
			 rrec_engine_leg_key ("00a1b2c3d4e5f6ac"));
	g_rand_free (r);
}

/* R21: the keys the engine writes itself, exactly those four (the case
 * and every byte counting), are the ones kept from the leg. */
static void
test_own_key (void)
{
	static const char *const own[] = {
		"GSIP_REC_FN", "GSIP_REC_ID", "GSIP_RECORD", "GSIP_REC_GAPS",
	};
	static const char *const others[] = {
		"", "G", "GSIP", "GSIP_REC", "GSIP_REC_", "GSIP_REC_F",
		"GSIP_REC_FNX", "GSIP_REC_I", "GSIP_RECORDS", "GSIP_RECOR",
		"GSIP_REC_GAP", "GSIP_REC_GAPSS", "gsip_rec_fn", "GSIP_rec_ID",
		"XSIP_REC_FN", "GSIQ_REC_FN", "GSIP_REC_FM", "Customer",
		"GSIP_REC_ORD", "GSIP_REC_GAPS ", "GSIP_RE",
	};

	for (guint i = 0; i < G_N_ELEMENTS (own); i++)
		g_assert_true (rrec_engine_own_key (own[i]));
	for (guint i = 0; i < G_N_ELEMENTS (others); i++)
		if (rrec_engine_own_key (others[i]))
			g_error ("\"%s\" taken for an own key", others[i]);
}

/* A block given back serves a later request that fits it, its own size or
 * somewhat smaller (sizes of strings drift from call to call), never one
 * larger than it holds, nor one far smaller (the memory would rest idle in
 * it); arrays given back come back emptied, with the room they had. */
static void
test_mem_reuse (void)
{
	RrecEngine e;

#if !defined(__GLIBC__)
	g_test_skip ("blocks are kept by their malloc_usable_size(): glibc only");
	return;
#endif
	memset (&e, 0, sizeof e);
	/* the lists over malloc'd blocks, as where the arena is off
	 * (AddressSanitizer, valgrind): /core/mem-arena tests the arena */
	e.arena.off = TRUE;
	gpointer b40 = g_malloc (40);
	rrec_core_mem_give (&e, b40);
	/* larger than it holds: not this block */
	gpointer big = rrec_core_mem_take (&e, 48);
	g_assert_true (big != b40);
	/* far smaller (a quarter of 1000 is more than 40 - 8): not it */
	gpointer b1000 = g_malloc (1000);
	rrec_core_mem_give (&e, b1000);
	gpointer small = rrec_core_mem_take (&e, 700);
	g_assert_true (small != b1000);
	/* its own size, then smaller: the block given back */
	gpointer again = rrec_core_mem_take (&e, 33);
	g_assert_true (again == b40);
	rrec_core_mem_give (&e, again);
	gpointer smaller = rrec_core_mem_take (&e, 8);
	g_assert_true (smaller == b40);
	memset (smaller, 0x5a, 8);
	rrec_core_mem_give (&e, smaller);
	rrec_core_mem_give (&e, big);
	rrec_core_mem_give (&e, small);

	/* given back with the size it was malloc'd for, unread: whatever the
	 * malloc (glibc's, valgrind's, AddressSanitizer's), a block handed
	 * out later holds what is asked */
	for (gsize n = 1; n <= 300; n++) {
		rrec_core_mem_give_size (&e, g_malloc (n), n);
		rrec_core_str_give (&e, g_strnfill (n, 'x'));
	}
	for (gsize n = 1; n <= 330; n++) {
		gpointer p = rrec_core_mem_take (&e, n);

		g_assert_cmpuint (malloc_usable_size (p), >=, n);
		memset (p, 0x5a, n);
		g_free (p);
	}

	/* a call's array: grown from the engine's blocks, in order; an
	 * element taken out keeps the order of the others; its block given
	 * back serves the next request of its size */
	RrecPtrs *a = NULL;
	for (guint i = 0; i < 9; i++)
		rrec_core_ptrs_add (&e, &a, GUINT_TO_POINTER (i + 1));
	g_assert_cmpuint (a->len, ==, 9);
	g_assert_cmpuint (a->cap, ==, 16);
	for (guint i = 0; i < 9; i++)
		g_assert_true (g_ptr_array_index (a, i) == GUINT_TO_POINTER (i + 1));
	g_assert_true (rrec_core_ptrs_steal (a, 3) == GUINT_TO_POINTER (4));
	g_assert_true (rrec_core_ptrs_steal (a, 7) == GUINT_TO_POINTER (9));
	g_assert_cmpuint (a->len, ==, 7);
	for (guint i = 0; i < 7; i++)
		g_assert_true (g_ptr_array_index (a, i) ==
			       GUINT_TO_POINTER (i < 3 ? i + 1 : i + 2));
	RrecPtrs *kept = a;
	rrec_core_ptrs_give (&e, &a);
	g_assert_null (a);
	gpointer again16 = rrec_core_mem_take (&e, sizeof (RrecPtrs) + 16 * sizeof (gpointer));
	g_assert_true (again16 == kept);
	rrec_core_mem_give_size (&e, again16, sizeof (RrecPtrs) + 16 * sizeof (gpointer));
	rrec_core_spares_free (&e);
}

/* The VmFlags of the mapping holding @p in /proc/self/smaps ("" if none). */
static char *
vm_flags_of (gconstpointer p)
{
	g_autofree char *smaps = NULL;
	g_auto (GStrv) lines = NULL;
	gboolean in = FALSE;

	if (!g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL))
		return g_strdup ("");
	lines = g_strsplit (smaps, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		guint64 lo, hi;
		char *end;

		if (g_ascii_isxdigit (lines[i][0]) && strchr (lines[i], '-')) {
			lo = g_ascii_strtoull (lines[i], &end, 16);
			hi = g_ascii_strtoull (end + 1, NULL, 16);
			in = (guintptr) p >= lo && (guintptr) p < hi;
		} else if (in && g_str_has_prefix (lines[i], "VmFlags:")) {
			return g_strdup (lines[i] + 8);
		}
	}
	return g_strdup ("");
}

/* The arena (region.h) behind rrec_core_mem_take() and the calls: blocks
 * carved at their class's size, none overlapping another; given back with
 * their size they serve the next taker of that class and are never freed
 * one by one (kept whatever the list's length: the arena holds its peak);
 * a malloc'd block given back while the arena serves is freed, never
 * listed; a small engine maps 64 KiB steps in 4 KiB pages, a large one 2
 * MiB steps advised for huge pages; the figure of rrec_engine_memory_mapped()
 * is what is made usable. */
static void
test_mem_arena (void)
{
	RrecEngine e;
	enum { N = 6000 };
	static gpointer blocks[N];
	static gsize sizes[N];

	if (!rrec_region_enabled ()) {
		g_test_skip ("no arena under AddressSanitizer or valgrind");
		return;
	}
	memset (&e, 0, sizeof e);
	/* a small engine: no arena, blocks malloc'd */
	gpointer early = rrec_core_mem_take (&e, 40);
	g_assert_true (rrec_arena_has (&e.arena, early) == (RREC_ARENA_FROM_CALLS == 0));
	if (RREC_ARENA_FROM_CALLS > 0)
		g_assert_cmpuint (rrec_engine_memory_mapped (&e), ==, 0);
	/* as many calls as an engine that uses it holds */
	e.calls.n = RREC_ARENA_FROM_CALLS;
	gpointer first = rrec_core_mem_take (&e, 40);
	g_assert_true (rrec_arena_has (&e.arena, first));
	/* a block malloc'd before goes back to malloc, not to the lists */
	rrec_core_mem_give_size (&e, early, 40);
	g_assert_cmpuint (e.n_spare_mem[1], ==, RREC_ARENA_FROM_CALLS == 0);
	/* a small engine: 64 KiB usable, not advised for huge pages */
	g_assert_cmpuint (rrec_engine_memory_mapped (&e), ==, 64 << 10);
	g_autofree char *small_flags = vm_flags_of (first);
	g_assert_null (strstr (small_flags, " hg"));
	rrec_core_mem_give_size (&e, first, 40);

	/* sizes of every class, each filled to its end: none overlaps */
	for (guint i = 0; i < N; i++) {
		sizes[i] = 1 + (i * 37) % 1032;
		blocks[i] = rrec_core_mem_take (&e, sizes[i]);
		g_assert_true (rrec_arena_has (&e.arena, blocks[i]));
		g_assert_cmpuint ((guintptr) blocks[i] % 8, ==, 0);
		memset (blocks[i], (int) (i & 0xff), sizes[i]);
	}
	for (guint i = 0; i < N; i++)
		for (gsize k = 0; k < sizes[i]; k++)
			g_assert_cmpint (((guchar *) blocks[i])[k], ==, i & 0xff);
	/* past 2 MiB: usable in 2 MiB steps, advised for huge pages (where
	 * the system knows the advice) */
	gsize mapped = rrec_engine_memory_mapped (&e);
	g_assert_cmpuint (mapped, >, 2 << 20);
	g_assert_cmpuint (mapped % (2 << 20), ==, 0);
	g_assert_cmpuint (mapped, >=, e.arena.used);
	if (g_file_test ("/sys/kernel/mm/transparent_hugepage/enabled",
			 G_FILE_TEST_EXISTS)) {
		g_autofree char *flags = vm_flags_of (blocks[N - 1]);

		g_assert_nonnull (strstr (flags, " hg"));
	}

	/* all given back, then taken again: the same blocks, no new memory
	 * (above 4096 a class: none freed) */
	gsize used = e.arena.used;
	for (guint i = 0; i < N; i++)
		rrec_core_mem_give_size (&e, blocks[i], sizes[i]);
	for (guint i = 0; i < N; i++) {
		blocks[i] = rrec_core_mem_take (&e, sizes[i]);
		memset (blocks[i], 0x5a, sizes[i]);
	}
	g_assert_cmpuint (e.arena.used, ==, used);
	for (guint i = 0; i < N; i++)
		rrec_core_mem_give_size (&e, blocks[i], sizes[i]);
	/* more blocks of one class than MEM_KEEP_MAX (4096): all kept */
	for (guint i = 0; i < N; i++) {
		blocks[i] = rrec_core_mem_take (&e, 24);
		g_assert_true (rrec_arena_has (&e.arena, blocks[i]));
	}
	used = e.arena.used;
	for (guint i = 0; i < N; i++)
		rrec_core_mem_give_size (&e, blocks[i], 24);
	for (guint i = 0; i < N; i++)
		blocks[i] = rrec_core_mem_take (&e, 24);
	g_assert_cmpuint (e.arena.used, ==, used);
	for (guint i = 0; i < N; i++)
		rrec_core_mem_give_size (&e, blocks[i], 24);

	/* a string given back by its length (a CallUUID, a file name) goes
	 * to its class unread, the last given back the first taken again */
	static const char uuid_text[] = "0RV9H7S6O8V3BSHAG7GK2LAES00002M";
	char *uuid = rrec_core_strdup (&e, uuid_text);
	char *name = rrec_core_strdup (&e, "a_file_name");
	rrec_core_str_give_len (&e, uuid, strlen (uuid_text));
	rrec_core_str_give_len (&e, name, strlen ("a_file_name"));
	g_assert_true (rrec_core_mem_take (&e, 12) == name);
	g_assert_true (rrec_core_mem_take (&e, sizeof uuid_text) == uuid);
	rrec_core_str_give_len (&e, NULL, 0);

	/* a malloc'd block (a restored state's) given back is freed, not
	 * listed: the next taker of its size gets the arena's */
	rrec_core_mem_give_size (&e, g_malloc (100), 100);
	rrec_core_str_give (&e, g_strdup ("a restored file name"));
	g_assert_true (rrec_arena_has (&e.arena, rrec_core_mem_take (&e, 100)));
	/* larger than any class: malloc'd, and freed when given back */
	gpointer big = rrec_core_mem_take (&e, 5000);
	g_assert_false (rrec_arena_has (&e.arena, big));
	rrec_core_mem_give_size (&e, big, 5000);

	rrec_core_spares_free (&e);
	g_assert_cmpuint (rrec_engine_memory_mapped (&e), ==, 0);
	g_assert_false (rrec_arena_has (&e.arena, blocks[0]));
	e.calls.n = 0;
}

/* A sparse map (the calls by ConnID) is never more than half full, a
 * plain one never more than 4/5, at any size and after a removal of
 * everything; both find what they hold. */
static void
test_map_sparse (void)
{
	RrecIdMap sparse, plain;

	rrec_id_map_init_sparse (&sparse);
	rrec_id_map_init (&plain);
	for (guint round = 0; round < 2; round++) {
		for (guint i = 1; i <= 5000; i++) {
			rrec_id_map_insert (&sparse, key_of (i), GUINT_TO_POINTER (i));
			rrec_id_map_insert (&plain, key_of (i), GUINT_TO_POINTER (i));
			g_assert_cmpuint ((guint64) rrec_id_map_size (&sparse) * 2, <=,
					  (guint64) sparse.mask + 1);
			g_assert_cmpuint ((guint64) rrec_id_map_size (&plain) * 5, <=,
					  ((guint64) plain.mask + 1) * 4);
		}
		/* the plain map does not grow as early */
		g_assert_cmpuint (plain.mask, <, sparse.mask);
		for (guint i = 1; i <= 5000; i++) {
			g_assert_cmpuint (GPOINTER_TO_UINT (rrec_id_map_lookup (&sparse, key_of (i))), ==, i);
			g_assert_cmpuint (GPOINTER_TO_UINT (rrec_id_map_lookup (&plain, key_of (i))), ==, i);
		}
		rrec_id_map_remove_all (&sparse);
		rrec_id_map_remove_all (&plain);
		g_assert_cmpuint (rrec_id_map_size (&sparse), ==, 0);
		g_assert_null (rrec_id_map_lookup (&sparse, key_of (1)));
	}
	rrec_id_map_clear (&sparse);
	rrec_id_map_clear (&plain);
}

/* A key other than @key with @key's home in @m as it is now, from @from on:
 * a key that can take @key's slot. */
static guint64
key_homed_with (const RrecIdMap *m, guint64 key, guint64 from)
{
	guint32 home = rrec_id_map_home (m, key);

	for (guint64 k = from;; k++)
		if (k != key && rrec_id_map_home (m, k) == home)
			return k;
}

/* The value of @key looked up from slot @slot, and where it was found. */
static guint
lookup_at (const RrecIdMap *m, guint64 key, guint32 slot, guint32 *found)
{
	gpointer v = rrec_id_map_lookup_at (m, key, &slot);

	*found = slot;
	return GPOINTER_TO_UINT (v);
}

/* A slot kept from an earlier look-up is tried first
 * (rrec_id_map_lookup_at(), the look-ahead's calls by ConnID): whatever
 * the map did since (the key moved or left, another key took the slot,
 * the map grew or shrank), the value found is the key's own, or none
 * when it left, and the slot given back is where the key is now (as an
 * index to mask: a slot kept past the end of a map that shrank may be
 * the key's once masked). */
static void
test_map_lookup_at (void)
{
	RrecIdMap m;
	guint32 slot, at, kept[4];

	rrec_id_map_init_sparse (&m);
	for (guint i = 1; i <= 3; i++)
		rrec_id_map_insert (&m, key_of (i), GUINT_TO_POINTER (i));
	for (guint i = 1; i <= 3; i++) {
		g_assert_cmpuint (GPOINTER_TO_UINT (rrec_id_map_lookup_slot (&m, key_of (i), &slot)),
				  ==, i);
		g_assert_cmpuint (m.slots[slot].key, ==, key_of (i));
		g_assert_cmpuint (lookup_at (&m, key_of (i), slot, &at), ==, i);
		g_assert_cmpuint (at, ==, slot);
		/* any other slot, past the end too: found where it is */
		for (guint32 other = 0; other < 100; other += 3) {
			g_assert_cmpuint (lookup_at (&m, key_of (i), other, &at), ==, i);
			g_assert_cmpuint (at & m.mask, ==, slot);
		}
		g_assert_cmpuint (lookup_at (&m, key_of (i), G_MAXUINT32, &at), ==, i);
		g_assert_cmpuint (at & m.mask, ==, slot);
	}
	/* an empty slot's key (0) is no key's, not that of key 0 */
	g_assert_cmpuint (lookup_at (&m, 0, 0, &at), ==, 0);
	rrec_id_map_insert (&m, 0, GUINT_TO_POINTER (99));
	rrec_id_map_lookup_slot (&m, 0, &kept[0]);
	for (slot = 0; m.slots[slot].value != NULL; slot++)
		;
	g_assert_cmpuint (m.slots[slot].key, ==, 0);
	g_assert_cmpuint (lookup_at (&m, 0, slot, &at), ==, 99);
	g_assert_cmpuint (at, ==, kept[0]);
	rrec_id_map_remove (&m, 0);

	/* the key leaves and another takes its slot: not found there */
	guint64 gone = key_of (1), next = key_homed_with (&m, key_of (1), key_of (100));

	rrec_id_map_lookup_slot (&m, gone, &slot);
	g_assert_nonnull (rrec_id_map_remove (&m, gone));
	rrec_id_map_insert (&m, next, GUINT_TO_POINTER (100));
	g_assert_cmpuint (m.slots[slot].key, ==, next);
	g_assert_cmpuint (lookup_at (&m, gone, slot, &at), ==, 0);
	g_assert_cmpuint (lookup_at (&m, next, slot, &at), ==, 100);
	g_assert_cmpuint (at, ==, slot);

	/* a key moves back when the one before it in its run leaves (the
	 * backward shift): found at its new slot */
	guint64 second = key_homed_with (&m, next, next + 1);

	rrec_id_map_insert (&m, second, GUINT_TO_POINTER (101));
	rrec_id_map_lookup_slot (&m, second, &kept[0]);
	g_assert_cmpuint (kept[0], !=, slot);
	rrec_id_map_remove (&m, next);
	g_assert_cmpuint (lookup_at (&m, second, kept[0], &at), ==, 101);
	g_assert_cmpuint (at, ==, slot);
	g_assert_cmpuint (lookup_at (&m, next, slot, &at), ==, 0);

	/* the map grows: every slot kept is stale, every key found */
	guint32 mask = m.mask;

	for (guint i = 2; i <= 3; i++)
		rrec_id_map_lookup_slot (&m, key_of (i), &kept[i]);
	for (guint i = 4; i <= 200; i++)
		rrec_id_map_insert (&m, key_of (i), GUINT_TO_POINTER (i));
	g_assert_cmpuint (m.mask, >, mask);
	for (guint i = 2; i <= 3; i++) {
		g_assert_cmpuint (lookup_at (&m, key_of (i), kept[i], &at), ==, i);
		g_assert_cmpuint (m.slots[at].key, ==, key_of (i));
	}

	/* and shrinks (emptied): a slot kept from the larger map is past
	 * its end, and is not read there (AddressSanitizer's build says) */
	guint far = 4;

	for (rrec_id_map_lookup_slot (&m, key_of (far), &slot); slot <= 15;
	     rrec_id_map_lookup_slot (&m, key_of (far), &slot))
		far++;
	rrec_id_map_remove_all (&m);
	g_assert_cmpuint (m.mask, <, slot);
	rrec_id_map_insert (&m, key_of (far), GUINT_TO_POINTER (far));
	g_assert_cmpuint (lookup_at (&m, key_of (far), slot, &at), ==, far);
	g_assert_cmpuint (at, <=, m.mask);
	g_assert_cmpuint (lookup_at (&m, key_of (2), slot, &at), ==, 0);
	rrec_id_map_clear (&m);
}

/* Maps of more than 2 MiB of slots are mapped by themselves (region.h)
 * and work as the small ones; cleared, they leave nothing mapped. */
static void
test_map_big (void)
{
	RrecIdMap m;
	const guint n = 200000;

	rrec_id_map_init (&m);
	g_assert_cmpuint (rrec_id_map_mapped (&m), ==, 0);
	for (guint i = 1; i <= n; i++)
		rrec_id_map_insert (&m, key_of (i), GUINT_TO_POINTER (i));
	if (rrec_region_enabled ())
		g_assert_cmpuint (rrec_id_map_mapped (&m), ==,
				  (gsize) (m.mask + 1) * sizeof (RrecIdMapSlot));
	else
		g_assert_cmpuint (rrec_id_map_mapped (&m), ==, 0);
	for (guint i = 1; i <= n; i += 2)
		g_assert_cmpuint (GPOINTER_TO_UINT (rrec_id_map_remove (&m, key_of (i))), ==, i);
	for (guint i = 1; i <= n; i++)
		g_assert_cmpuint (GPOINTER_TO_UINT (rrec_id_map_lookup (&m, key_of (i))), ==,
				  i % 2 ? 0 : i);
	rrec_id_map_clear (&m);
	g_assert_cmpuint (rrec_id_map_mapped (&m), ==, 0);

	RrecDnTable t;
	char dn[32];

	rrec_dn_table_init (&t);
	for (guint i = 0; i < n; i++) {
		g_snprintf (dn, sizeof dn, "+1555%07u", i);
		g_assert_cmpuint (rrec_dn_table_intern (&t, dn), ==, i + 1);
	}
	g_assert_cmpuint (rrec_dn_table_mapped (&t) > 0, ==, rrec_region_enabled ());
	for (guint i = 0; i < n; i += 997) {
		g_snprintf (dn, sizeof dn, "+1555%07u", i);
		g_assert_cmpuint (rrec_dn_table_find (&t, dn), ==, i + 1);
		g_assert_cmpstr (rrec_dn_table_name (&t, i + 1), ==, dn);
	}
	rrec_dn_table_clear (&t);
}

/* The posted events' strings (textarena.c): a copy stays where it is while
 * later copies fill the arena and open larger blocks, and keeps its text;
 * a clear after a fill that took several blocks leaves one block that
 * holds the same fill again without moving to a second one. */
/* A recording id's text (R34) is what "%s-%u" prints, in the inline
 * buffer or past it, for any number. */
static void
test_text_dash_number (void)
{
	static const guint32 numbers[] = { 0, 1, 9, 10, 99, 100, 12345, 999999999,
					   1000000000, G_MAXUINT32 };
	char text[200];

	for (gsize len = 0; len < sizeof text; len += 1 + len / 8) {
		memset (text, 'a' + (int) (len % 26), len);
		text[len] = '\0';
		for (guint i = 0; i < G_N_ELEMENTS (numbers); i++) {
			g_auto (RrecText) t = RREC_TEXT_INIT;
			g_autofree char *want = g_strdup_printf ("%s-%u", text, numbers[i]);
			const char *got = rrec_text_dash_number (&t, text, numbers[i]);

			g_assert_cmpstr (got, ==, want);
			/* written again: the earlier text is replaced */
			got = rrec_text_dash_number (&t, "x", numbers[i]);
			g_free (want);
			want = g_strdup_printf ("x-%u", numbers[i]);
			g_assert_cmpstr (got, ==, want);
		}
	}
}

static void
test_text_arena (void)
{
	RrecTextArena a = { NULL };
	const char *copies[600];
	char text[48];
	const char *first_after_clear, *last_after_clear = NULL;

	g_assert_null (rrec_text_arena_copy (&a, NULL));
	for (guint i = 0; i < G_N_ELEMENTS (copies); i++) {
		g_snprintf (text, sizeof text, "%u:%0*u", i, (int) (i % 40), i);
		copies[i] = rrec_text_arena_copy (&a, text);
		g_assert_true (copies[i] != text);
	}
	/* several blocks were needed: every copy still reads as made */
	g_assert_nonnull (a.cur);
	for (guint i = 0; i < G_N_ELEMENTS (copies); i++) {
		g_snprintf (text, sizeof text, "%u:%0*u", i, (int) (i % 40), i);
		g_assert_cmpstr (copies[i], ==, text);
	}
	rrec_text_arena_clear (&a);
	/* the same fill again: one block, the copies one after another */
	first_after_clear = NULL;
	for (guint i = 0; i < G_N_ELEMENTS (copies); i++) {
		g_snprintf (text, sizeof text, "%u:%0*u", i, (int) (i % 40), i);
		copies[i] = rrec_text_arena_copy (&a, text);
		if (first_after_clear == NULL)
			first_after_clear = copies[i];
		else
			g_assert_true (copies[i] == last_after_clear +
				       strlen (last_after_clear) + 1);
		last_after_clear = copies[i];
	}
	g_assert_cmpstr (copies[0], ==, "0:0");
	rrec_text_arena_free (&a);
	g_assert_null (a.cur);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/idmap/insert-remove", test_map_insert_remove);
	g_test_add_func ("/dntab/life", test_dn_table_life);
	g_test_add_func ("/dntab/many", test_dn_table_many);
	g_test_add_func ("/dntab/head", test_dn_table_head);
	g_test_add_func ("/kvpack/R21-equal", test_kv_pack_equal);
	g_test_add_func ("/dntab/reuse", test_dn_table_reuse);
	g_test_add_func ("/timers/R25-order", test_timers_order);
	g_test_add_func ("/timers/insert", test_timers_insert);
	g_test_add_func ("/core/mem-reuse", test_mem_reuse);
	g_test_add_func ("/core/mem-arena", test_mem_arena);
	g_test_add_func ("/idmap/big", test_map_big);
	g_test_add_func ("/idmap/sparse", test_map_sparse);
	g_test_add_func ("/idmap/lookup-at", test_map_lookup_at);
	g_test_add_func ("/core/conn-parse", test_conn_parse);
	g_test_add_func ("/core/conn-string", test_conn_string);
	g_test_add_func ("/core/leg-key", test_leg_key);
	g_test_add_func ("/core/R21-own-key", test_own_key);
	g_test_add_func ("/core/text-arena", test_text_arena);
	g_test_add_func ("/core/text-dash-number", test_text_dash_number);
	return g_test_run ();
}
