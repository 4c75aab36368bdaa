/*
 * bench/store.c — what the durable state store costs per engine step, and
 * whether that cost depends on the calls in progress (issue #12).
 *
 * A log with N recorded calls in progress (each agent DN on mandatory
 * recording, one call each), then the same churn for every N: 3,000
 * blocks of holds and retrieves (with record-moh = false each one pauses
 * or resumes the leg: a GSIP request and its answer), user data, and now
 * and then a call released and replaced by a new one.  The churn is
 * replayed as `rrec replay --json` does, with the simulator, output to
 * /dev/null, once without a store and once with one (a new SQLite file in
 * a temporary directory, sync normal); the set-up of the N calls is fed
 * first and not timed.  Each figure is the best of five runs.
 *
 *   store.step_us.N            (durable − plain) / churn blocks, µs
 *   store.durable_vs_plain.N   durable churn time / plain churn time
 *
 * Both in CPU time of the process (user + system: the store's cost is
 * mostly the kernel's writes), which the other users of a shared machine
 * do not inflate; the wall-clock figures are in the note.
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "bench/bench.h"
#include "replay.h"

#define CHURN_BLOCKS 3000
#define BASE_CONN 0x0070000000000000ULL

typedef struct {
	GString *s;
	gint64 ms;
} Log;

static void
header (Log *l, const char *message)
{
	gint64 t = l->ms;

	g_string_append_printf (l->s, "%02d:%02d:%02d.%03d distribute_event: "
				"message %s\n", (int) (t / 3600000),
				(int) (t / 60000 % 60), (int) (t / 1000 % 60),
				(int) (t % 1000), message);
	l->ms += 7;
}

static void
party (Log *l, const char *message, guint agent, guint64 conn,
       gboolean other)
{
	header (l, message);
	if (other)
		g_string_append_printf (l->s, "\tAttributeOtherDN\t'+1415%07u'\n",
					agent);
	g_string_append_printf (l->s, "\tAttributeThisDN\t'2%04u'\n"
				"\tAttributeConnID\t%016" G_GINT64_MODIFIER "x\n",
				agent, conn);
}

static void
call_start (Log *l, guint agent, guint64 conn)
{
	party (l, "EventRinging", agent, conn, TRUE);
	party (l, "EventEstablished", agent, conn, TRUE);
}

char *
bench_store_config (guint n)
{
	GString *s = g_string_new (
		"[remote-recording]\n"
		"server-application = SIPServer_SfB\n"
		"trunk-group = annc\n"
		"uri-pattern = sip:{+1555{DDDD}}{@sip.example.com}\n"
		"record-moh = false\n"
		"[app:SIPServer_SfB]\n");
	for (guint i = 0; i < n; i++)
		g_string_append_printf (s, "[dn:2%04u]\ntype = extension\n"
					"record = true\n", i);
	return g_string_free (s, FALSE);
}

/* The churn's length: a tenth in a quick run (the code paths, not the
 * speed; under ASan with the PostgreSQL part too). */
guint
bench_store_churn_blocks (const Bench *b)
{
	return b->quick ? CHURN_BLOCKS / 10 : CHURN_BLOCKS;
}

/* The set-up of @n calls, and @blocks blocks of churn after it. */
void
bench_store_logs (guint n, guint blocks, GString **setup, GString **churn)
{
	Log l = { g_string_new (NULL), 9 * 3600000 };
	g_autofree guint64 *conn = g_new (guint64, n);
	g_autofree gboolean *held = g_new0 (gboolean, n);
	BenchRng rng = { 0x5eed5eed5eedULL };
	guint64 next = BASE_CONN;

	for (guint i = 0; i < n; i++) {
		conn[i] = next++;
		call_start (&l, i, conn[i]);
	}
	l.ms += 1000;
	*setup = l.s;
	l.s = g_string_new (NULL);
	for (guint k = 0; k < blocks;) {
		guint i = bench_rng_below (&rng, n);

		if (k % 100 == 99 && !held[i]) {
			/* a call ends and a new one takes its agent */
			party (&l, "EventReleased", i, conn[i], FALSE);
			conn[i] = next++;
			call_start (&l, i, conn[i]);
			k += 3;
		} else if (k % 5 == 4) {
			header (&l, "EventAttachedDataChanged");
			g_string_append_printf (l.s,
				"\tAttributeUserData\t[40] 00 01 00 00..\n"
				"\t\t'CaseID'\t'C-%u'\n"
				"\tAttributeThisDN\t'2%04u'\n"
				"\tAttributeConnID\t%016" G_GINT64_MODIFIER "x\n",
				k, i, conn[i]);
			k++;
		} else {
			party (&l, held[i] ? "EventRetrieved" : "EventHeld", i,
			       conn[i], FALSE);
			held[i] = !held[i];
			k++;
		}
	}
	*churn = l.s;
}

/* CPU time of this process (user + system), ns: on a machine shared by
 * others the wall clock measures them too. */
static gint64
cpu_ns (void)
{
	struct rusage ru;

	getrusage (RUSAGE_SELF, &ru);
	return ((gint64) ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
		((gint64) ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/* CPU ns for the churn (*@wall: wall ns), the set-up fed before (not
 * timed). */
static gint64
run (Bench *b, RrecConfig *config, const GString *setup, const GString *churn,
     const char *state, gint64 *wall)
{
	FILE *null = fopen ("/dev/null", "w");
	g_autoptr (GError) error = NULL;

	if (null == NULL)
		g_error ("rrec bench: /dev/null: %s", g_strerror (errno));
	RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON, null, null);
	if (state && !rrec_replay_set_state (r, state, RREC_STORE_SYNC_NORMAL,
					     &error)) {
		g_printerr ("rrec bench: store %s: %s\n", state,
			    error ? error->message : "cannot be used");
		b->failed = TRUE;
	}
	rrec_replay_feed (r, "<bench>", setup->str, setup->len);
	gint64 t0 = bench_now_ns ();
	gint64 c0 = cpu_ns ();
	rrec_replay_feed (r, "<bench>", churn->str, churn->len);
	rrec_replay_end_file (r);
	int status = rrec_replay_finish (r);
	gint64 ns = cpu_ns () - c0;

	*wall = bench_now_ns () - t0;
	rrec_replay_free (r);
	fclose (null);
	if (status != 0) {
		g_printerr ("rrec bench: the store's log replayed with errors\n");
		b->failed = TRUE;
	}
	return ns;
}

/*
 * RREC_BENCH_STORE_LOGS=DIR: the bench's configuration and log for @n
 * calls written to DIR/store-N.ini and DIR/store-N.log (the set-up, then
 * the churn), so that a profiler can run the same replay alone:
 * `valgrind --tool=callgrind rrec replay --json --config DIR/store-20.ini
 * --state S DIR/store-20.log > /dev/null`.
 */
static void
dump_logs (guint n, const char *ini, const GString *setup, const GString *churn)
{
	const char *dir = g_getenv ("RREC_BENCH_STORE_LOGS");
	g_autoptr (GError) error = NULL;

	if (dir == NULL || *dir == '\0')
		return;
	g_autofree char *conf = g_strdup_printf ("%s/store-%u.ini", dir, n);
	g_autofree char *log = g_strdup_printf ("%s/store-%u.log", dir, n);
	g_autofree char *all = g_strconcat (setup->str, churn->str, NULL);
	if (!g_file_set_contents (conf, ini, -1, &error) ||
	    !g_file_set_contents (log, all, -1, &error))
		g_printerr ("rrec bench: RREC_BENCH_STORE_LOGS: %s\n",
			    error->message);
}

void
bench_store_measure (Bench *b, guint n, const char *location, double *step_us,
		     double *ratio, double *wall_step_us, double *wall_ratio)
{
	g_autofree char *ini = bench_store_config (n + 1);
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_data (
		ini, strlen (ini), "<bench-store>", &error);
	GString *setup, *churn;
	gint64 plain = G_MAXINT64, durable = G_MAXINT64;
	gint64 wplain = G_MAXINT64, wdurable = G_MAXINT64, w;

	g_assert_no_error (error);
	bench_store_logs (n, bench_store_churn_blocks (b), &setup, &churn);
	dump_logs (n, ini, setup, churn);
	for (guint round = 0; round < (b->quick ? 1 : 5); round++) {
		plain = MIN (plain, run (b, config, setup, churn, NULL, &w));
		wplain = MIN (wplain, w);
		durable = MIN (durable, run (b, config, setup, churn, location, &w));
		wdurable = MIN (wdurable, w);
	}
	*step_us = (durable - plain) / 1e3 / bench_store_churn_blocks (b);
	*ratio = (double) durable / (double) MAX (plain, 1);
	*wall_step_us = (wdurable - wplain) / 1e3 / bench_store_churn_blocks (b);
	*wall_ratio = (double) wdurable / (double) MAX (wplain, 1);
	g_string_free (setup, TRUE);
	g_string_free (churn, TRUE);
}

void
bench_store (Bench *b)
{
	static const guint sizes[] = { 20, 2000 };
	g_autofree char *dir = g_dir_make_tmp ("rrec-bench-XXXXXX", NULL);

	if (dir == NULL)
		g_error ("rrec bench: cannot make a temporary directory");
	for (guint i = 0; i < G_N_ELEMENTS (sizes); i++) {
		guint n = b->quick ? sizes[i] / 10 : sizes[i];
		double step_us, ratio, wall_step_us, wall_ratio;
		g_autofree char *name = g_strdup_printf ("store.step_us.%u", sizes[i]);
		g_autofree char *rname = g_strdup_printf (
			"store.durable_vs_plain.%u", sizes[i]);

		bench_progress (b, "store: %u calls in progress, %u blocks of "
				"churn", n, bench_store_churn_blocks (b));
		g_autofree char *path = g_build_filename (dir, "state.db", NULL);

		bench_store_measure (b, n, path, &step_us, &ratio, &wall_step_us,
				     &wall_ratio);
		for (const char *const *x = (const char *const[]) {
			     "", "-wal", "-shm", NULL }; *x; x++) {
			g_autofree char *f = g_strconcat (path, *x, NULL);
			g_unlink (f);
		}
		g_autofree char *note = g_strdup_printf (
			"%u recorded calls in progress, %u blocks of churn (holds, "
			"retrieves, user data, a call replaced every 100), "
			"(durable - plain) CPU time (user + system) per block, "
			"SQLite in %s, best of 5; wall clock: %.1f us/block, "
			"durable/plain %.2fx",
			n, bench_store_churn_blocks (b), g_get_tmp_dir (),
			wall_step_us, wall_ratio);
		BenchResult *r = bench_add (b, name, step_us, "us/block", note);
		if (i > 0)
			bench_set_baseline (b, r, "store.step_us.20");
		bench_add (b, rname, ratio, "x", NULL);
	}
	g_rmdir (dir);
}
