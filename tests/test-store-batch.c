/*
 * test-store-batch.c — group commit (issue #14): a host that says more
 * input is in hand (rrec_engine_more_queued()) has several steps written
 * in one transaction, and none of their actions before that commit.
 *
 *  - a hinted step delivers nothing and stays pending; the next step that
 *    is not hinted, a flush, a step deciding an action of a kind named in
 *    the hint, a step of advance, or the 64th step commits the batch;
 *  - the same story hinted and not hinted: the same actions in the same
 *    order, the same state;
 *  - the stored clock is that of the batch's last step, not a later one
 *    the clock was advanced to meanwhile (a restart's "up to here");
 *  - the process killed at every action of a batched story: the store
 *    always holds at least the state the host was told of (nothing
 *    reaches the host before the commit that covers it), and SIP Server
 *    got nothing twice once the new process reconciled.
 */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "engine-harness.h"
#include "test-util.h"

static void
open_new (Harness *h, const char *path)
{
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_false (restored);
}

/* The store at @path opened again: the engine restored from it. */
static void
open_restored (Harness *h, const char *path)
{
	g_autoptr (GError) error = NULL;
	gboolean restored = FALSE;

	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
}

/* A child's end: @print to the parent through @fd, then killed as a
 * crash would kill it (no clean-up of the store). */
static G_NORETURN void
die_telling (int fd, const char *print)
{
	if (write (fd, print, strlen (print)) != (ssize_t) strlen (print))
		_exit (3);
	close (fd);
	kill (getpid (), SIGKILL);
	_exit (4);	/* not reached */
}

/* What the host can ask the engine: each call's session, pause reasons,
 * port and leg; the requests awaiting SIP Server; the timers; the link. */
static char *
fingerprint (RrecEngine *e)
{
	GString *s = g_string_new (NULL);
	g_auto (GStrv) calls = rrec_engine_list_calls (e);
	guint n = 0;
	g_autofree gint64 *refs = rrec_engine_list_requests (e, &n);

	for (guint i = 0; calls[i]; i++) {
		g_autofree char *port = rrec_engine_session_port (e, calls[i]);
		g_autofree char *leg = rrec_engine_session_leg (e, calls[i]);

		g_string_append_printf (s, "%s:%s/%u/%s/%s ", calls[i],
					rrec_engine_session_state (e, calls[i]),
					rrec_engine_pause_reasons (e, calls[i]),
					port, leg);
	}
	for (guint i = 0; i < n; i++)
		g_string_append_printf (s, "r%" G_GINT64_FORMAT " ", refs[i]);
	g_string_append_printf (s, "t%u/%" G_GINT64_FORMAT " link%d ports%u",
				rrec_engine_pending_timers (e),
				rrec_engine_next_due (e),
				rrec_engine_link_is_up (e),
				rrec_engine_ports_in_use (e));
	return g_string_free (s, FALSE);
}

/* The next message may wait with the batch (commit_kinds: none). */
static void
hint (Harness *h)
{
	rrec_engine_more_queued (h->engine, 0);
}

/* A hinted step delivers nothing until the batch is committed, then all
 * of it in order; a step that is not hinted commits the batch. */
static void
batch_holds_actions_until_commit (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");

	harness_start (h, NULL);
	open_new (h, path);
	hint (h);
	ev_ringing (h, C1, "7001", CALLER, RREC_CALL_TYPE_INBOUND);
	hint (h);
	ev_established (h, C1, "7001", CALLER);
	/* R18: the leg is decided, not sent: the step is not stored yet */
	expect (h, NULL);
	g_assert_cmpuint (rrec_engine_pending_steps (h->engine), ==, 2);
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==,
			 "dialing");
	rrec_engine_flush (h->engine);
	g_assert_cmpuint (rrec_engine_pending_steps (h->engine), ==, 0);
	/* the leg's answers were fed unhinted: each its own commit */
	harness_feed_answers (h);
	expect (h, STARTED (C1, "000", "7001"), NULL);

	/* a step not hinted ends the batch before it: both committed */
	hint (h);
	ev_held (h, C1, "7001");
	expect (h, NULL);
	ev_retrieved (h, C1, "7001");
	/* R14 with record-moh false: the PAUSE went out with the commit, its
	 * ACK came after the retrieve */
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), REC (C1, "resume"),
		MARK (C1, "ON"), NULL);
	g_assert_cmpuint (rrec_engine_pending_steps (h->engine), ==, 0);

	/* advance firing nothing keeps the batch; a timer step commits it */
	hint (h);
	ev_held (h, C1, "7001");
	advance (h, 10);
	g_assert_cmpuint (rrec_engine_pending_steps (h->engine), ==, 1);
	expect (h, NULL);
	rrec_engine_flush (h->engine);
	expect (h, REC (C1, "pause"), NULL);
	harness_feed_answers (h);
	expect (h, MARK (C1, "PAUSED"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* A hinted step that decides an action of a kind named in the hint is
 * committed at once, with the batch before it. */
static void
batch_commit_kinds (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");

	harness_start (h, NULL);
	open_new (h, path);
	hint (h);
	ev_ringing (h, C1, "7001", CALLER, RREC_CALL_TYPE_INBOUND);
	g_assert_cmpuint (rrec_engine_pending_steps (h->engine), ==, 1);
	rrec_engine_more_queued (h->engine, 1u << RREC_ACTION_DIAL_LEG);
	ev_established (h, C1, "7001", CALLER);
	g_assert_cmpuint (rrec_engine_pending_steps (h->engine), ==, 0);
	expect (h, STARTED (C1, "000", "7001"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* At most 64 steps wait: the 64th is committed with those before it. */
static void
batch_bound (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");

	harness_start (h, NULL);
	open_new (h, path);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	for (guint i = 1; i <= 64; i++) {
		hint (h);
		if (i % 2)
			ev_held (h, C1, "7001");
		else
			ev_retrieved (h, C1, "7001");
		g_assert_cmpuint (rrec_engine_pending_steps (h->engine), ==,
				  i % 64);
		if (i < 64)
			g_assert_cmpuint (h->actions->len, ==, 0);
	}
	/* the 64th step committed the batch: its actions came */
	g_assert_cmpuint (h->actions->len, >, 0);
	g_assert_cmpstr (g_ptr_array_index (h->actions, 0), ==, REC (C1, "pause"));
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* What the harness's SIP Server answers at once: a step that sends it one
 * of these is committed at once (as rrec replay does, §6). */
#define SIP_HEARS ((1u << RREC_ACTION_DIAL_LEG) | (1u << RREC_ACTION_RECORD) | \
		   (1u << RREC_ACTION_RELEASE_LEG) |                         \
		   (1u << RREC_ACTION_LEG_USERDATA) |                        \
		   (1u << RREC_ACTION_QUERY_LEG))

/* A story of two recorded calls, held, retrieved, one ended; @batched:
 * every message hinted, a step that sends SIP Server something committed
 * at once (its answers then come as without batches). */
static void
story (Harness *h, gboolean batched)
{
	const char *const conn[] = { C1, C2 };
	const char *const dn[] = { "7001", "7003" };

	for (guint i = 0; i < 2; i++) {
		if (batched)
			rrec_engine_more_queued (h->engine, SIP_HEARS);
		ev_ringing (h, conn[i], dn[i], CALLER, RREC_CALL_TYPE_INBOUND);
		if (batched)
			rrec_engine_more_queued (h->engine, SIP_HEARS);
		ev_established (h, conn[i], dn[i], CALLER);
	}
	rrec_engine_flush (h->engine);
	harness_feed_answers (h);
	for (guint round = 0; round < 3; round++) {
		for (guint i = 0; i < 2; i++) {
			if (batched)
				rrec_engine_more_queued (h->engine, SIP_HEARS);
			ev_held (h, conn[i], dn[i]);
		}
		advance (h, 500);
		for (guint i = 0; i < 2; i++) {
			if (batched)
				rrec_engine_more_queued (h->engine, SIP_HEARS);
			ev_retrieved (h, conn[i], dn[i]);
		}
		rrec_engine_flush (h->engine);
		harness_feed_answers (h);
		advance (h, 500);
	}
	if (batched)
		rrec_engine_more_queued (h->engine, SIP_HEARS);
	ev_released (h, C2, "7003", 0, NULL);
	rrec_engine_flush (h->engine);
	harness_feed_answers (h);
}

static GPtrArray *
take_actions (Harness *h)
{
	GPtrArray *a = h->actions;

	h->actions = g_ptr_array_new_with_free_func (g_free);
	return a;
}

/* Batched or not, the host gets the same actions in the same order and
 * the engine ends in the same state; a restart restores it. */
static void
batch_same_as_steps (Harness *h)
{
	g_autofree char *one = harness_temp_store ("state.db");
	g_autofree char *two = harness_temp_store ("state.db");

	harness_start (h, NULL);
	open_new (h, one);
	story (h, FALSE);
	g_autoptr (GPtrArray) plain = take_actions (h);
	g_autoptr (GBytes) plain_state = rrec_engine_save (h->engine);
	g_autofree char *plain_print = fingerprint (h->engine);

	g_clear_pointer (&h->engine, rrec_engine_free);
	g_clear_pointer (&h->config, rrec_config_unref);
	rrec_sip_sim_free (h->sim);
	h->sim = rrec_sip_sim_new (TRUNK_GROUP, 0x0100000000000000ULL, TRUE);
	harness_start (h, NULL);
	h->now = 0;
	open_new (h, two);
	story (h, TRUE);
	g_autoptr (GPtrArray) batched = take_actions (h);
	g_autoptr (GBytes) batched_state = rrec_engine_save (h->engine);

	g_assert_cmpuint (plain->len, >=, 20);
	g_assert_cmpuint (batched->len, ==, plain->len);
	for (guint i = 0; i < plain->len; i++)
		g_assert_cmpstr (g_ptr_array_index (batched, i), ==,
				 g_ptr_array_index (plain, i));
	g_autofree char *batched_print = fingerprint (h->engine);
	g_assert_cmpstr (batched_print, ==, plain_print);
	g_assert_true (g_bytes_equal (plain_state, batched_state));

	open_restored (h, two);
	g_autofree char *again = fingerprint (h->engine);
	g_assert_cmpstr (again, ==, plain_print);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (one);
	harness_remove_store (two);
}

/* The stored clock is the batch's last step's: the clock advanced past it
 * before the flush is not stored as processed. */
static void
batch_clock_of_last_step (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");

	harness_start (h, NULL);
	open_new (h, path);
	inbound (h, C1, "7001");
	gint64 t = h->now;
	hint (h);
	ev_held (h, C1, "7001");
	advance (h, 700);	/* no timer due */
	rrec_engine_flush (h->engine);
	expect (h, STARTED (C1, "000", "7001"), REC (C1, "pause"), NULL);
	open_restored (h, path);
	g_assert_cmpint (rrec_engine_get_time (h->engine), ==, t);
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, C1), ==,
			  RREC_PAUSE_HOLD);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* ---- killed at every action of a batched story ----------------------------- */

typedef struct {
	int fd;			/* the child's pipe */
	guint crash_at;		/* the action (traces aside) never delivered */
	guint seen;
} KillHost;

static KillHost kill_host;

/* In the child: before each action the host is told of, the state the
 * engine is in ("F …": it must be stored by now); at the chosen one the
 * process dies. */
static void
kill_hook (Harness *h, const RrecAction *a)
{
	KillHost *k = &kill_host;
	g_autofree char *print = NULL;
	g_autofree char *line = NULL;

	if (a->kind == RREC_ACTION_STATE)
		return;
	print = fingerprint (h->engine);
	line = g_strdup_printf ("F %s\n", print);
	if (write (k->fd, line, strlen (line)) != (ssize_t) strlen (line))
		_exit (3);
	if (++k->seen == k->crash_at)
		kill (getpid (), SIGKILL);
}

static guint counted;

static void
count_hook (Harness *h, const RrecAction *a)
{
	counted += a->kind != RREC_ACTION_STATE;
}

static guint
count_actions (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");

	counted = 0;
	harness_start (h, NULL);
	open_new (h, path);
	h->action_hook = count_hook;
	story (h, TRUE);
	h->action_hook = NULL;
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
	return counted;
}

static void
batch_killed_at_every_action (Harness *h)
{
	KillHost *k = &kill_host;
	guint total = count_actions (h);

	g_assert_cmpuint (total, >=, 20);
	for (guint at = 1; at <= total; at++) {
		g_autofree char *path = harness_temp_store ("state.db");
		int fds[2];
		int status;

		g_assert_cmpint (pipe (fds), ==, 0);
		pid_t pid = fork ();
		g_assert_cmpint (pid, >=, 0);
		if (pid == 0) {
			close (fds[0]);
			k->fd = fds[1];
			k->crash_at = at;
			k->seen = 0;
			g_clear_pointer (&h->engine, rrec_engine_free);
			g_clear_pointer (&h->config, rrec_config_unref);
			rrec_sip_sim_free (h->sim);
			h->sim = rrec_sip_sim_new (TRUNK_GROUP,
						   0x0100000000000000ULL, TRUE);
			harness_start (h, NULL);
			open_new (h, path);
			h->action_hook = kill_hook;
			story (h, TRUE);
			_exit (4);	/* never reached the crash */
		}
		close (fds[1]);
		g_autoptr (GString) got = test_read_child (fds[0], pid, &status);
		g_assert_true (WIFSIGNALED (status));
		g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

		/* the last state the host was told of */
		g_auto (GStrv) lines = g_strsplit (got->str, "\n", -1);
		const char *told = NULL;
		for (guint i = 0; lines[i] && *lines[i]; i++) {
			if (g_str_has_prefix (lines[i], "F "))
				told = lines[i] + 2;

		}
		g_assert_nonnull (told);

		open_restored (h, path);
		/* nothing reached the host before the commit covering it */
		g_autofree char *stored = fingerprint (h->engine);
		if (g_strcmp0 (stored, told) != 0)
			g_test_message ("killed at action %u", at);
		g_assert_cmpstr (stored, ==, told);

		g_ptr_array_set_size (h->actions, 0);
		g_clear_pointer (&h->engine, rrec_engine_free);
		harness_remove_store (path);
	}
	g_test_message ("%u crash points", total);
}

/* ---- the WAL written once per commit (src/store/sqlite-wal.c) -------------- */

/*
 * A write of the WAL that fails after SQLite took the commit as done (here
 * the process's file size limit reached): the alarm is raised, it
 * stays raised once writing would work again (nothing more is written:
 * the file never holds a commit after a missing one), and a restart
 * restores the last commit that reached the file.
 */
static void
wal_write_fails_keeps_last_commit (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autofree char *wal = g_strconcat (path, "-wal", NULL);
	int fds[2];
	int status;

	harness_start (h, NULL);
	g_assert_cmpint (pipe (fds), ==, 0);
	pid_t pid = fork ();
	g_assert_cmpint (pid, >=, 0);
	if (pid == 0) {
		g_autofree char *good = NULL;
		struct rlimit lim;
		GStatBuf st;
		guint i, k;

		close (fds[0]);
		/* the failed write is reported (a warning): expected here */
		g_log_set_always_fatal (G_LOG_FATAL_MASK);
		open_new (h, path);
		inbound (h, C1, "7001");
		ev_held (h, C1, "7001");
		ev_retrieved (h, C1, "7001");
		if (g_stat (wal, &st) != 0)
			_exit (5);
		signal (SIGXFSZ, SIG_IGN);
		getrlimit (RLIMIT_FSIZE, &lim);
		lim.rlim_cur = st.st_size + 8192;
		setrlimit (RLIMIT_FSIZE, &lim);
		/* one step (one commit) at a time: the fingerprint is that of
		 * the commit before the one that fails */
		for (i = 0, k = 0; i < 200; i++) {
			RrecMessage m;

			if (rrec_engine_alarm_is_raised (h->engine, "state-store"))
				break;
			g_free (good);
			good = fingerprint (h->engine);
			rrec_sip_sim_set_link (h->sim, h->link_up);
			if (!rrec_sip_sim_next (h->sim, &m))
				m = skype_msg (k++ % 2 ? RREC_MSG_EVENT_RETRIEVED :
					       RREC_MSG_EVENT_HELD, C1, "7001");
			if (!rrec_engine_feed (h->engine, &m, NULL))
				_exit (8);
		}
		if (i == 200 || good == NULL)
			_exit (6);	/* the limit was never reached */
		lim.rlim_cur = lim.rlim_max;
		setrlimit (RLIMIT_FSIZE, &lim);
		ev_held (h, C1, "7001");
		ev_retrieved (h, C1, "7001");
		if (!rrec_engine_alarm_is_raised (h->engine, "state-store"))
			_exit (7);	/* it wrote again after a lost commit */
		die_telling (fds[1], good);
	}
	close (fds[1]);
	g_autoptr (GString) got = test_read_child (fds[0], pid, &status);
	if (WIFEXITED (status))
		g_test_message ("the child exited %d", WEXITSTATUS (status));
	g_assert_true (WIFSIGNALED (status));

	open_restored (h, path);
	g_autofree char *stored = fingerprint (h->engine);
	g_assert_cmpstr (stored, ==, got->str);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/*
 * The WAL is grown ahead of its commits, 64 KiB of zeros at a time
 * (sqlite-wal.c: extending a file costs nearly twice overwriting it): a
 * few steps leave it a whole number of 64 KiB, and a restart after a kill
 * — the last commit followed by zeros — restores that commit.
 */
static void
wal_grown_ahead (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autofree char *wal = g_strconcat (path, "-wal", NULL);
	int fds[2];
	int status;

	harness_start (h, NULL);
	g_assert_cmpint (pipe (fds), ==, 0);
	pid_t pid = fork ();
	g_assert_cmpint (pid, >=, 0);
	if (pid == 0) {
		close (fds[0]);
		open_new (h, path);
		inbound (h, C1, "7001");
		for (guint i = 0; i < 5; i++) {
			ev_held (h, C1, "7001");
			ev_retrieved (h, C1, "7001");
		}
		ev_held (h, C1, "7001");
		g_autofree char *good = fingerprint (h->engine);
		die_telling (fds[1], good);
	}
	close (fds[1]);
	g_autoptr (GString) got = test_read_child (fds[0], pid, &status);
	g_assert_true (WIFSIGNALED (status));

	GStatBuf st;
	g_assert_cmpint (g_stat (wal, &st), ==, 0);
	g_assert_cmpint (st.st_size, >, 0);
	g_assert_cmpint (st.st_size % (64 * 1024), ==, 0);

	open_restored (h, path);
	g_autofree char *stored = fingerprint (h->engine);
	g_assert_cmpstr (stored, ==, got->str);
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==, "paused");
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* A new store has 1 KiB pages: a step writes a page per row it changes,
 * and each page is a WAL frame (SQLite's default of 4 KiB made each step
 * write four times the bytes: the pages' size is fixed by the first
 * transaction, so it is asked for before). */
static void
wal_small_pages (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	harness_start (h, NULL);
	open_new (h, path);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL),
			 ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &st,
					     NULL), ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
	g_assert_cmpint (sqlite3_column_int (st, 0), ==, 1024);
	sqlite3_finalize (st);
	sqlite3_close (db);
	harness_remove_store (path);
}

/*
 * A call held and retrieved 70 times (its gap ledger full: 64 gaps) still
 * has a row that fits on one 1 KiB page — 989 bytes at most, SQLite's
 * limit before a row spills onto an overflow page, which each write of the
 * row would add to the WAL — since a CALL row holds each gap as
 * differences (store-rows.c); and it reads back.
 */
static void
wal_call_row_fits_a_page (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	harness_start (h, NULL);
	open_new (h, path);
	inbound (h, C1, "7001");
	for (guint i = 0; i < 70; i++) {
		advance (h, 1500);
		ev_held (h, C1, "7001");
		advance (h, 20000);
		ev_retrieved (h, C1, "7001");
	}
	g_ptr_array_set_size (h->actions, 0);
	g_autofree char *before = fingerprint (h->engine);
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL),
			 ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT length (bytes) FROM "
					     "calls", -1, &st, NULL), ==,
			 SQLITE_OK);
	g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
	g_assert_cmpint (sqlite3_column_int (st, 0), <=, 989);
	sqlite3_finalize (st);
	sqlite3_close (db);
	open_restored (h, path);
	g_autofree char *after = fingerprint (h->engine);
	g_assert_cmpstr (before, ==, after);
	ev_released (h, C1, "7001", 0, NULL);
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	harness_add_once ("store/batch/holds-actions-until-commit", FALSE,
			  batch_holds_actions_until_commit);
	harness_add_once ("store/batch/commit-kinds", FALSE, batch_commit_kinds);
	harness_add_once ("store/batch/bound", FALSE, batch_bound);
	harness_add_once ("store/batch/same-as-steps", FALSE,
			  batch_same_as_steps);
	harness_add_once ("store/batch/clock-of-last-step", FALSE,
			  batch_clock_of_last_step);
	harness_add_once ("store/batch/killed-at-every-action", FALSE,
			  batch_killed_at_every_action);
	harness_add_once ("store/wal/write-fails-keeps-last-commit", FALSE,
			  wal_write_fails_keeps_last_commit);
	harness_add_once ("store/wal/small-pages", FALSE, wal_small_pages);
	harness_add_once ("store/wal/grown-ahead", FALSE, wal_grown_ahead);
	harness_add_once ("store/wal/call-row-fits-a-page", FALSE,
			  wal_call_row_fits_a_page);
	return g_test_run ();
}
