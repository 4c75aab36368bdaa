/*
 * test-explore.c — the bounded exhaustive explorer (architecture.md
 * §Verification 3).
 *
 * From the empty engine it feeds every sequence of events of the universe
 * of explore-model.c (two calls, four DNs, client requests, SIP Server's
 * answers and faults, the link, the clock) up to a depth, breadth first.
 * States are told apart by the engine's saved bytes and the harness's
 * bookkeeping, after renaming what only numbers things; each distinct
 * state is expanded once.  After every step the invariants I1-I7 are
 * checked.  On a violation the shortest event sequence that reaches it is
 * run again from the start and written as a log and a configuration that
 * `rrec replay --no-sim --port-limit N --config FILE LOG` replays, and the
 * test fails.
 *
 *   test-explore [--moh true|false] [--depth N] [--port-limit N] [--out DIR]
 *                [--focused]
 *
 * --focused keeps only the Skype-side events and client requests of the
 * main call models (explore-model.c) so that the search goes deeper.
 *
 * RREC_EXPLORE_DEPTH overrides --depth.
 */
#include <stdio.h>
#include <string.h>

#include "explore-model.h"

static struct {
	WorldOptions opt;
	guint depth;
	const char *out_dir;
	gboolean focused;
	GString *result;
	guint min_states;	/* --min-states: fewer means the universe
				 * shrank, and the run proves less */
} args = { { TRUE, 1 }, 5, ".", FALSE, NULL, 0 };

/* ---- a set of 128-bit state hashes ----------------------------------------- */

typedef struct {
	guint64 a, b;
} Hash;

typedef struct {
	Hash *slots;		/* a == 0 && b == 0: empty */
	gsize size, used;
} HashSet;

static Hash
hash_bytes (GBytes *bytes)
{
	gsize n;
	const guint8 *p = g_bytes_get_data (bytes, &n);
	guint64 a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL ^ n;

	for (gsize i = 0; i < n; i++) {
		a = (a ^ p[i]) * 0x100000001b3ULL;
		b = (b + p[i]) * 0xff51afd7ed558ccdULL;
		b ^= b >> 29;
	}
	if (a == 0 && b == 0)
		a = 1;
	return (Hash) { a, b };
}

static gboolean
hashset_add (HashSet *s, Hash h)
{
	if (s->used * 2 >= s->size) {
		HashSet t = { g_new0 (Hash, s->size ? s->size * 2 : 1 << 16),
			      s->size ? s->size * 2 : 1 << 16, 0 };
		for (gsize i = 0; i < s->size; i++)
			if (s->slots[i].a || s->slots[i].b)
				hashset_add (&t, s->slots[i]);
		g_free (s->slots);
		*s = t;
	}
	for (gsize i = h.a & (s->size - 1);; i = (i + 1) & (s->size - 1)) {
		Hash *x = &s->slots[i];
		if (x->a == 0 && x->b == 0) {
			*x = h;
			s->used++;
			return TRUE;
		}
		if (x->a == h.a && x->b == h.b)
			return FALSE;
	}
}

/* ---- the search -------------------------------------------------------------- */

typedef struct {
	guint32 parent;		/* G_MAXUINT32 for the root */
	WorldEvent ev;
} Node;

typedef struct {
	guint32 id;
	GBytes *state;
} Open;

/* The events from the root to @id, then @last. */
static GArray *
path_to (GArray *nodes, guint32 id, WorldEvent last)
{
	GArray *path = g_array_new (FALSE, FALSE, sizeof (WorldEvent));

	g_array_append_val (path, last);
	while (id != G_MAXUINT32) {
		const Node *n = &g_array_index (nodes, Node, id);
		if (n->parent == G_MAXUINT32)
			break;
		g_array_prepend_val (path, n->ev);
		id = n->parent;
	}
	return path;
}

/* Runs @path again from the start, with the log on, and writes the
 * counterexample; returns the report. */
static char *
counterexample (RrecConfig *config, GArray *path, const char *seen)
{
	World *w = world_new (config, TRUE);
	GString *report = g_string_new (NULL);
	GString *log = g_string_new (NULL);
	const char *moh = args.opt.record_moh ? "true" : "false";
	gsize mark = 0;
	gboolean reproduced = FALSE;

	g_string_append_printf (report, "invariant violated after %u events "
				"(record-moh = %s):\n  %s\n", path->len, moh, seen);
	for (guint i = 0; i < path->len; i++) {
		WorldEvent ev = g_array_index (path, WorldEvent, i);
		g_autofree char *what = world_event_describe (w, ev);
		gboolean ok;

		g_string_append_printf (report, "  %2u. %s\n", i + 1, what);
		ok = world_step (w, ev);
		/* each block, with a comment line the log reader skips */
		g_string_append_printf (log, "# %u. %s\n", i + 1, what);
		g_string_append (log, world_log (w) + mark);
		mark = strlen (world_log (w));
		if (!ok) {
			reproduced = TRUE;
			break;
		}
	}
	/* a timer due last fires only before a later block */
	world_log_tick (w);
	g_string_append (log, world_log (w) + mark);
	world_free (w);
	if (!reproduced)
		g_string_append (report, "  (the rerun from the start did NOT "
				 "reproduce it: the canonical renaming changed "
				 "behaviour, or the engine's restore is not faithful)\n");

	g_autofree char *base = g_strdup_printf ("explore-counterexample-moh-%s", moh);
	g_autofree char *log_path = g_build_filename (args.out_dir, base, NULL);
	g_autofree char *log_file = g_strconcat (log_path, ".log", NULL);
	g_autofree char *ini_file = g_strconcat (log_path, ".ini", NULL);
	g_autofree char *ini = world_config_text (&args.opt);
	g_autoptr (GError) error = NULL;

	if (!g_file_set_contents (log_file, log->str, -1, &error) ||
	    !g_file_set_contents (ini_file, ini, -1, &error))
		g_string_append_printf (report, "  (cannot write: %s)\n", error->message);
	g_string_append_printf (report, "replay it with:\n  rrec replay --no-sim "
				"--port-limit %u --config %s %s\n--- %s ---\n%s--- end ---\n",
				(guint) args.opt.port_limit, ini_file, log_file,
				log_file, log->str);
	g_string_free (log, TRUE);
	return g_string_free (report, FALSE);
}

static void
explore (void)
{
	g_autoptr (RrecConfig) config = world_config_new (&args.opt);
	g_autoptr (GArray) nodes = g_array_new (FALSE, FALSE, sizeof (Node));
	g_autoptr (GArray) open = g_array_new (FALSE, FALSE, sizeof (Open));
	g_autoptr (GArray) next = g_array_new (FALSE, FALSE, sizeof (Open));
	g_autoptr (GArray) events = g_array_new (FALSE, FALSE, sizeof (WorldEvent));
	HashSet seen = { 0 };
	guint64 steps = 0;
	gint64 t0 = g_get_monotonic_time ();

	World *root = world_new (config, FALSE);
	Open o = { 0, world_canonical_key (root) };
	Node rn = { G_MAXUINT32, { 0, 0 } };
	world_free (root);
	g_array_append_val (nodes, rn);
	hashset_add (&seen, hash_bytes (o.state));
	g_array_append_val (open, o);

	guint depth;
	for (depth = 0; depth < args.depth && open->len; depth++) {
		gboolean last = depth + 1 == args.depth;

		for (guint i = 0; i < open->len; i++) {
			Open *from = &g_array_index (open, Open, i);
			World *w = world_restore (config, from->state, FALSE);

			g_array_set_size (events, 0);
			world_enabled (w, events);
			world_free (w);
			for (guint k = 0; k < events->len; k++) {
				WorldEvent ev = g_array_index (events, WorldEvent, k);

				w = world_restore (config, from->state, FALSE);
				steps++;
				if (!world_step (w, ev)) {
					g_autoptr (GArray) path = path_to (nodes, from->id, ev);
					g_autofree char *report =
						counterexample (config, path, world_violation (w));
					world_free (w);
					g_printerr ("%s", report);
					g_test_fail ();
					return;
				}
				GBytes *key = world_canonical_key (w);
				world_free (w);
				if (!hashset_add (&seen, hash_bytes (key))) {
					g_bytes_unref (key);
					continue;
				}
				Node n = { from->id, ev };
				g_array_append_val (nodes, n);
				if (last) {
					g_bytes_unref (key);
					continue;
				}
				Open nx = { nodes->len - 1, key };
				g_array_append_val (next, nx);
			}
			g_bytes_unref (from->state);
		}
		g_array_set_size (open, 0);
		GArray *t = open;
		open = next;
		next = t;
		g_printerr ("depth %u: %u distinct states (%u new), %" G_GUINT64_FORMAT
			    " steps, %.1f s\n", depth + 1, nodes->len, open->len,
			    steps, (g_get_monotonic_time () - t0) / 1e6);
	}
	for (guint i = 0; i < open->len; i++)
		g_bytes_unref (g_array_index (open, Open, i).state);
	g_free (seen.slots);
	if (nodes->len < args.min_states) {
		g_printerr ("explored %u distinct states to depth %u, fewer than "
			    "the stated minimum of %u: the universe or the engine's "
			    "state shrank, and the run proves less than it says\n",
			    nodes->len, depth, args.min_states);
		g_test_fail ();
		return;
	}
	g_string_printf (args.result, "explored %u distinct states to depth %u: "
			 "all invariants hold", nodes->len, depth);
	g_printerr ("record-moh = %s, %u port(s), %s universe, %" G_GUINT64_FORMAT
		    " steps, %.1f s\n", args.opt.record_moh ? "true" : "false",
		    args.opt.port_limit, args.focused ? "focused" : "whole", steps,
		    (g_get_monotonic_time () - t0) / 1e6);
}

int
main (int argc, char **argv)
{
	char **kept = g_new0 (char *, argc + 1);
	int n = 0;
	const char *env = g_getenv ("RREC_EXPLORE_DEPTH");

	/* our own options first; the rest goes to g_test_init */
	for (int i = 0; i < argc; i++) {
		if (i + 1 < argc && strcmp (argv[i], "--moh") == 0)
			args.opt.record_moh = strcmp (argv[++i], "false") != 0;
		else if (i + 1 < argc && strcmp (argv[i], "--depth") == 0)
			args.depth = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp (argv[i], "--port-limit") == 0)
			args.opt.port_limit = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp (argv[i], "--min-states") == 0)
			args.min_states = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
		else if (strcmp (argv[i], "--focused") == 0)
			world_set_focused (args.focused = TRUE);
		else if (i + 1 < argc && strcmp (argv[i], "--out") == 0)
			args.out_dir = argv[++i];
		else
			kept[n++] = argv[i];
	}
	if (env && *env)
		args.depth = (guint) g_ascii_strtoull (env, NULL, 10);
	args.result = g_string_new (NULL);
	g_test_init (&n, &kept, NULL);
	g_test_add_func ("/explore/all-sequences", explore);
	int status = g_test_run ();
	if (status == 0 && args.result->len)
		printf ("%s\n", args.result->str);
	g_string_free (args.result, TRUE);
	g_free (kept);
	return status;
}
