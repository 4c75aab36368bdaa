/*
 * bench/store-pg.c — the state store on PostgreSQL (issue #13): its cost
 * per engine step, and how long a standby takes to take over.
 *
 * The server is a throwaway one started for the run (tools/pgtemp.c:
 * initdb in a temporary directory, a Unix socket only, the settings of a
 * fresh initdb apart from a small shared_buffers), on this machine.
 *
 *   store.pg.step_us.N           as store.step_us.N (store.c: the same N
 *                                recorded calls, the same 3,000 blocks of
 *                                churn), with the store on PostgreSQL,
 *                                sync normal (synchronous_commit off), by
 *                                the wall clock: the server's work is in
 *                                another process (rrec's own CPU time is
 *                                in the note)
 *   store.pg.durable_vs_plain.N  the churn with that store / without one
 *                                (wall clock)
 *   store.pg.takeover_ms.N       a process holding the store with N
 *                                recorded calls is killed (SIGKILL); from
 *                                the kill until a standby, trying every
 *                                millisecond, has the store, restored it
 *                                and reconciled (rrec replay --resume's
 *                                code, legs found alive)
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "pgtemp.h"
#include "replay.h"

static double
takeover_ms (Bench *b, guint n, const char *uri)
{
	g_autofree char *ini = bench_store_config (n + 1);
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_data (
		ini, strlen (ini), "<bench-store-pg>", &error);
	FILE *null = fopen ("/dev/null", "w");
	GString *setup, *churn;
	int fds[2], status;
	char c;
	guint tries = 0;
	gboolean ok = FALSE;

	if (config == NULL || null == NULL || pipe (fds) != 0)
		g_error ("rrec bench: store-pg: cannot set up the takeover");
	bench_store_logs (n, 0, &setup, &churn);
	fflush (NULL);
	pid_t pid = fork ();
	if (pid < 0)
		g_error ("rrec bench: fork: %s", g_strerror (errno));
	if (pid == 0) {
		/* the holder: its calls stored, then it waits to be killed */
		RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON, null,
						 null);

		close (fds[0]);
		if (!rrec_replay_set_state (r, uri, RREC_STORE_SYNC_NORMAL, NULL))
			_exit (3);
		rrec_replay_feed (r, "<bench>", setup->str, setup->len);
		if (write (fds[1], "r", 1) != 1)
			_exit (4);
		for (;;)
			pause ();
	}
	close (fds[1]);
	if (read (fds[0], &c, 1) != 1) {
		g_printerr ("rrec bench: store-pg: the holder did not start\n");
		b->failed = TRUE;
	}
	close (fds[0]);

	gint64 t0 = bench_now_ns ();
	kill (pid, SIGKILL);
	waitpid (pid, &status, 0);
	/* the standby: refused while the server has not yet noticed */
	while (!ok && bench_now_ns () - t0 < 60 * G_GINT64_CONSTANT (1000000000)) {
		RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON, null,
						 null);

		tries++;
		ok = rrec_replay_resume_state (r, uri, RREC_STORE_SYNC_NORMAL,
					       NULL);
		rrec_replay_free (r);
		if (!ok)
			g_usleep (1000);
	}
	gint64 ns = bench_now_ns () - t0;

	if (!ok) {
		g_printerr ("rrec bench: store-pg: no takeover within 60 s\n");
		b->failed = TRUE;
	}
	bench_progress (b, "store-pg: takeover of %u calls in %.1f ms, %u "
			"tries", n, ns / 1e6, tries);
	g_string_free (setup, TRUE);
	g_string_free (churn, TRUE);
	fclose (null);
	return ns / 1e6;
}

void
bench_store_pg (Bench *b)
{
	static const guint sizes[] = { 20, 2000 };
	g_autoptr (GError) error = NULL;
	RrecPgTemp *pg;

	bench_progress (b, "store-pg: starting a temporary PostgreSQL server");
	pg = rrec_pg_temp_start (&error);
	if (pg == NULL) {
		g_printerr ("rrec bench: store-pg: %s\n", error->message);
		b->failed = TRUE;
		return;
	}
	for (guint i = 0; i < G_N_ELEMENTS (sizes); i++) {
		guint n = b->quick ? sizes[i] / 10 : sizes[i];
		double cpu_us, cpu_ratio, step_us, ratio;
		g_autofree char *db = g_strdup_printf ("bench_%u", sizes[i]);
		g_autofree char *uri = rrec_pg_temp_new_database (pg, db, &error);
		g_autofree char *name = g_strdup_printf ("store.pg.step_us.%u",
							 sizes[i]);
		g_autofree char *rname = g_strdup_printf (
			"store.pg.durable_vs_plain.%u", sizes[i]);
		g_autofree char *tname = g_strdup_printf (
			"store.pg.takeover_ms.%u", sizes[i]);

		if (uri == NULL) {
			g_printerr ("rrec bench: store-pg: %s\n", error->message);
			b->failed = TRUE;
			break;
		}
		bench_progress (b, "store-pg: %u calls in progress, %u blocks "
				"of churn", n, bench_store_churn_blocks (b));
		bench_store_measure (b, n, uri, &cpu_us, &cpu_ratio, &step_us,
				     &ratio);
		g_autofree char *note = g_strdup_printf (
			"%u recorded calls in progress, the churn of "
			"store.step_us, (durable - plain) wall clock per block "
			"(the server's work is in another process), PostgreSQL "
			"on this machine over a Unix socket, sync normal "
			"(synchronous_commit off), best of 5; rrec's own CPU "
			"time: %.1f us/block, durable/plain %.2fx", n, cpu_us,
			cpu_ratio);
		BenchResult *r = bench_add (b, name, step_us, "us/block", note);
		if (i > 0)
			bench_set_baseline (b, r, "store.pg.step_us.20");
		bench_add (b, rname, ratio, "x", NULL);

		double ms = takeover_ms (b, n, uri);
		g_autofree char *tnote = g_strdup_printf (
			"the holder of %u recorded calls killed (SIGKILL) -> a "
			"standby trying every ms has the store, restored and "
			"reconciled; over TCP a lost machine adds the keepalive "
			"time (~25 s)", n);
		bench_add (b, tname, ms, "ms", tnote);
	}
	rrec_pg_temp_free (pg);
}
