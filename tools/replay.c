/*
 * replay.c — a T-Server log through the engine, block by block, with a
 * simulated SIP Server answering the engine's requests (behaviour.md §6),
 * and every decision shown as a timeline or as §5 JSON lines.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include "replay.h"
#include "json-line.h"
#include "rrec-logmessage.h"
#include "rrec-sipsim.h"

typedef struct {
	gint64 since;		/* when the current state began */
	int state;		/* 0 off, 1 recording, 2 paused */
	char call[];		/* its key in RrecReplay.times */
} CallTime;

/* One block per call counted, its key inside (issue #14). */
static CallTime *
call_time_new (const char *call)
{
	gsize len = strlen (call) + 1;
	CallTime *ct = g_malloc (sizeof *ct + len);

	ct->since = 0;
	ct->state = 0;
	memcpy (ct->call, call, len);
	return ct;
}

struct _RrecReplay {
	RrecConfig *config;
	RrecEngine *engine;
	RrecReplayFlags flags;
	FILE *out, *err;

	RrecLogReader *reader;
	RrecLogMessage conv;	/* the block being fed, its memory kept */
	gboolean file_ended;	/* the reader waits for the next file */
	char *file;
	gboolean stopped;
	guint64 skipped;
	guint64 bytes;
	gint64 last_time;	/* the log clock (§6): ms since the log's first midnight */
	gboolean have_time;
	char date[11];		/* the date of the last block with a time… */
	char date_given[11];	/* what the engine was last given as its
				 * date ("": nothing since it was made) */
	gint64 date_day;	/* …and its day on the log clock */
	guint64 clock_back;	/* blocks whose time went back (§6) */

	/* the simulated SIP Server (src/sim/sipsim.c) */
	RrecSipSim *sim;

	GString *line;		/* the JSON line being written, after the
				 * lines not yet handed to @out (BUFFERED) */
	gint64 line_ms;		/* the time of the last line… */
	char line_time[13];	/* …as hh:mm:ss.mmm: actions come in runs
				 * at the same millisecond */

	/* the summary */
	GHashTable *times;	/* CallTime.call -> CallTime*: only the calls
				 * recording or paused (constant memory) */
	gint64 recorded_ms, paused_ms;
	gint64 link_down_ms;	/* when the link was last lost (R33); -1 */
	guint ports_peak;
	guint64 actions;
	/* the gap ledger for the summary: every gap with --gaps, otherwise
	 * only the RREC_REPLAY_GAPS_SHOWN longest so far (constant memory) */
	GArray *gaps;		/* Gap, in ledger order */
	FILE *gap_file;		/* --gaps: the ledger's lines, in a temporary
				 * file rather than in memory (issue #14) */
	guint64 gaps_on_file;
	guint64 n_gaps;		/* every gap, listed or not */
	guint64 gap_seq;
	gint64 gap_ms;

	/* the state store and restarts (issue #7) */
	char *state_path;	/* NULL: no store */
	gboolean opening_store;	/* rrec_replay_set_state(): no output */
	RrecStoreSync state_sync;
	char *temp_dir;		/* holds a store made for --restart-at alone */
	GArray *restart_times;	/* gint64 ms, ascending */
	guint next_restart;
	guint64 restart_block;	/* restart before this block (1-based), 0: none */
	guint64 blocks;
	guint restarts;
	gboolean store_failed;	/* a store could not be used: exit 2 (§7) */
	RrecEngineCounters carried;	/* what engines before a restart counted
				 * after their last stored step */
	gint64 resume_after;	/* --resume: blocks at or before it were
				 * processed; -1: none */
	RrecEngine *resumed;	/* --resume: the restored engine, until the
				 * first block after resume_after */
};

static void remove_store_files (const char *path);

typedef struct {
	gint64 ms;		/* its length */
	guint64 seq;		/* its place in the ledger */
	char *line;
} Gap;

static void
gap_clear (gpointer data)
{
	g_free (((Gap *) data)->line);
}

/* Keeps the gap for the summary: all of them with --gaps; otherwise it
 * replaces the shortest kept one when longer (the earlier wins a tie), the
 * kept ones staying in ledger order. */
static void
keep_gap (RrecReplay *r, gint64 ms, char *line)
{
	Gap g = { ms, r->gap_seq++, line };

	r->n_gaps++;
	if (r->flags & RREC_REPLAY_ALL_GAPS && r->gap_file == NULL &&
	    r->n_gaps == 1)
		r->gap_file = tmpfile ();	/* NULL: in memory after all */
	if (r->gap_file) {
		fprintf (r->gap_file, "    %s\n", line);
		r->gaps_on_file++;
		g_free (line);
		return;
	}
	if (r->flags & RREC_REPLAY_ALL_GAPS || r->gaps->len < RREC_REPLAY_GAPS_SHOWN) {
		g_array_append_val (r->gaps, g);
		return;
	}
	guint shortest = 0;
	for (guint i = 1; i < r->gaps->len; i++) {
		Gap *c = &g_array_index (r->gaps, Gap, i);
		Gap *s = &g_array_index (r->gaps, Gap, shortest);
		if (c->ms < s->ms || (c->ms == s->ms && c->seq > s->seq))
			shortest = i;
	}
	if (g_array_index (r->gaps, Gap, shortest).ms >= ms) {
		g_free (line);
		return;
	}
	g_array_remove_index (r->gaps, shortest);	/* keeps the order */
	g_array_append_val (r->gaps, g);
}

/* ---- output ------------------------------------------------------------- */

/* hh:mm:ss.mmm of @ms on the log clock's day (before 0: 00:00:00.000)
 * into @buf, returned. */
static const char *
time_into (char buf[static 13], gint64 ms)
{
	int part[4];

	if (ms < 0)
		ms = 0;
	part[0] = (int) (ms / 3600000 % 24);
	part[1] = (int) (ms / 60000 % 60);
	part[2] = (int) (ms / 1000 % 60);
	part[3] = (int) (ms % 1000);
	buf[0] = (char) ('0' + part[0] / 10);
	buf[1] = (char) ('0' + part[0] % 10);
	buf[2] = ':';
	buf[3] = (char) ('0' + part[1] / 10);
	buf[4] = (char) ('0' + part[1] % 10);
	buf[5] = ':';
	buf[6] = (char) ('0' + part[2] / 10);
	buf[7] = (char) ('0' + part[2] % 10);
	buf[8] = '.';
	buf[9] = (char) ('0' + part[3] / 100);
	buf[10] = (char) ('0' + part[3] / 10 % 10);
	buf[11] = (char) ('0' + part[3] % 10);
	buf[12] = 0;
	return buf;
}

static char *
time_text (gint64 ms)
{
	char buf[13];

	return g_strdup (time_into (buf, ms));
}

/* With RREC_REPLAY_BUFFERED, lines wait in r->line until this much. */
#define OUT_BATCH (64 * 1024)

/* The lines waiting in r->line to @out: before anything else is written
 * (to @err too), at the end of each chunk fed, and at the end. */
static void
out_flush (RrecReplay *r)
{
	if (r->line->len == 0)
		return;
	fwrite (r->line->str, 1, r->line->len, r->out);
	g_string_truncate (r->line, 0);
}

/* A JSON line (§5) is written into r->line, reused from line to line
 * (json-line.h: no JsonNode tree per action), then handed to r->out, at
 * once or (RREC_REPLAY_BUFFERED) with the lines after it. */
static GString *
line_begin (RrecReplay *r, gint64 time_ms, const char *action)
{
	static const char time_key[] = "{\"time\":\"";
	static const char action_key[] = "\",\"action\":\"";
	/* what rrec_json_str() writes for both: the time is digits, the
	 * action's name (rrec_action_kind_name() or this file's) plain ASCII */
	if (time_ms != r->line_ms) {
		time_into (r->line_time, time_ms);
		r->line_ms = time_ms;
	}
	rrec_json_put (r->line, time_key, sizeof time_key - 1);
	rrec_json_put (r->line, r->line_time, 12);
	rrec_json_put (r->line, action_key, sizeof action_key - 1);
	rrec_json_put (r->line, action, strlen (action));
	g_string_append_c (r->line, '"');
	return r->line;
}

static void
line_end (RrecReplay *r)
{
	rrec_json_end (r->line);
	g_string_append_c (r->line, '\n');
	if (!(r->flags & RREC_REPLAY_BUFFERED) || r->line->len >= OUT_BATCH)
		out_flush (r);
}

static void
action_json (RrecReplay *r, const RrecAction *a)
{
	GString *b = line_begin (r, a->time_ms, rrec_action_kind_name (a->kind));

	switch (a->kind) {
	case RREC_ACTION_DIAL_LEG:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "port", a->port);
		rrec_json_next_str (b, "uri", a->uri);
		rrec_json_next_str (b, "dn", a->dn);
		break;
	case RREC_ACTION_RECORD:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "op", rrec_gsip_op_name (a->op));
		rrec_json_next_str (b, "port", a->port);
		rrec_json_next_int (b, "refid", a->refid);
		rrec_json_next_str (b, "reasons", a->reason);
		if (a->data) {
			/* R34: START's AttributeExtensions */
			rrec_json_next_name (b, "ext");
			rrec_json_kv (b, a->data);
		}
		break;
	case RREC_ACTION_RELEASE_LEG:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "port", a->port);
		rrec_json_next_str (b, "leg", a->leg);
		rrec_json_next_str (b, "reason", a->reason);
		break;
	case RREC_ACTION_LEG_USERDATA:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_name (b, "data");
		rrec_json_kv (b, a->data);
		rrec_json_next_int (b, "refid", a->refid);
		break;
	case RREC_ACTION_CALL_USERDATA:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_name (b, "data");
		rrec_json_kv (b, a->data);
		break;
	case RREC_ACTION_CLIENT_REPLY:
		rrec_json_next_str (b, "event", a->event);
		rrec_json_next_int (b, "refid", a->refid);
		rrec_json_next_str (b, "dn", a->dn);
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "error", a->error);
		rrec_json_next_str (b, "reason", a->reason);
		break;
	case RREC_ACTION_ALARM:
		rrec_json_next_str (b, "name", a->name);
		rrec_json_next_bool (b, "raised", a->raised);
		rrec_json_next_str (b, "text", a->text);
		break;
	case RREC_ACTION_LINK:
		rrec_json_next_str (b, "op", rrec_link_op_name (a->op));
		break;
	case RREC_ACTION_STATE:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "machine", a->machine);
		rrec_json_next_str (b, "from", a->from);
		rrec_json_next_str (b, "to", a->to);
		rrec_json_next_str (b, "event", a->event);
		break;
	case RREC_ACTION_GAP: {
		char start[13], end[13];

		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "start", time_into (start, a->start_ms));
		rrec_json_next_str (b, "end", time_into (end, a->end_ms));
		rrec_json_next_str (b, "cause", a->reason);
		break;
	}
	case RREC_ACTION_RECONCILE:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "port", a->port);
		rrec_json_next_str (b, "leg", a->leg);
		rrec_json_next_str (b, "reason", a->reason);
		break;
	case RREC_ACTION_CALL_RENAMED:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "from", a->from);
		break;
	case RREC_ACTION_QUERY_LEG:
		rrec_json_next_str (b, "call", a->call);
		rrec_json_next_str (b, "port", a->port);
		rrec_json_next_str (b, "leg", a->leg);
		rrec_json_next_int (b, "refid", a->refid);
		break;
	case RREC_N_ACTIONS:
		break;
	}
	rrec_json_next_str (b, "rule", a->rule);
	line_end (r);
}

static char *
describe (const RrecAction *a)
{
	g_autofree char *data = a->data ? rrec_kv_list_to_string (a->data) : NULL;

	switch (a->kind) {
	case RREC_ACTION_DIAL_LEG:
		return g_strdup_printf ("dial recording leg %s for %s (%s)",
					a->port, a->dn, a->uri);
	case RREC_ACTION_RECORD:
		return g_strdup_printf ("ask SIP Server: GSIP_RECORD_%s on %s%s%s%s",
					a->op == RREC_GSIP_RECORD_START ? "START" :
					a->op == RREC_GSIP_RECORD_STOP ? "STOP" :
					a->op == RREC_GSIP_RECORD_PAUSE ? "PAUSE" :
					"RESUME", a->port, a->reason ? " (" : "",
					a->reason ? a->reason : "",
					a->reason ? ")" : "");
	case RREC_ACTION_RELEASE_LEG:
		return g_strdup_printf ("release leg %s%s: %s",
					a->port ? a->port : "?",
					a->call ? "" : " (orphan)", a->reason);
	case RREC_ACTION_LEG_USERDATA:
		return g_strdup_printf ("user data to the leg %s", data);
	case RREC_ACTION_CALL_USERDATA:
		return g_strdup_printf ("call user data %s", data);
	case RREC_ACTION_CLIENT_REPLY:
		return a->error ?
			g_strdup_printf ("EventError %s to %s (ReferenceID %" G_GINT64_FORMAT ")%s%s",
					 a->error, a->dn ? a->dn : "?", a->refid,
					 a->reason ? ": " : "",
					 a->reason ? a->reason : "") :
			g_strdup_printf ("EventACK to %s (ReferenceID %" G_GINT64_FORMAT ")",
					 a->dn ? a->dn : "?", a->refid);
	case RREC_ACTION_ALARM:
		return g_strdup_printf ("alarm %s %s: %s", a->name,
					a->raised ? "raised" : "cleared", a->text);
	case RREC_ACTION_LINK:
		return g_strdup (a->op == RREC_LINK_DOWN ? "SIP Server link lost" :
				 a->op == RREC_LINK_UP ? "SIP Server link up" :
				 "ask for a reconnection to SIP Server");
	case RREC_ACTION_STATE:
		return g_strdup_printf ("%s %s -> %s (%s)", a->machine, a->from,
					a->to, a->event);
	case RREC_ACTION_GAP: {
		g_autofree char *start = time_text (a->start_ms);
		g_autofree char *end = time_text (a->end_ms);

		return g_strdup_printf ("not recorded from %s to %s: %s",
					start, end, a->reason);
	}
	case RREC_ACTION_RECONCILE:
		return g_strdup_printf ("after the restart, leg %s: %s",
					a->port ? a->port : "?", a->reason);
	case RREC_ACTION_CALL_RENAMED:
		return g_strdup_printf ("the call %s goes on as %s", a->from,
					a->call);
	case RREC_ACTION_QUERY_LEG:
		return g_strdup_printf ("ask SIP Server whether leg %s still is "
					"there (RequestQueryCall)",
					a->port ? a->port : "?");
	case RREC_N_ACTIONS:
		break;
	}
	return g_strdup ("?");
}

/* TEXT for a terminal (§7): control characters of log values — C0, DEL
 * and C1 (ESC, BEL, CR, CSI…) — escaped, never raw. */
static char *
shown (const char *text)
{
	GString *s = g_string_sized_new (strlen (text));

	for (const guchar *c = (const guchar *) text; *c; c++) {
		if (*c < 0x20 || *c == 0x7f) {
			switch (*c) {
			case '\t': g_string_append (s, "\\t"); break;
			case '\r': g_string_append (s, "\\r"); break;
			case '\n': g_string_append (s, "\\n"); break;
			default: g_string_append_printf (s, "\\x%02x", *c);
			}
		} else if (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f) {
			g_string_append_printf (s, "\\u%04x", c[1]);
			c++;
		} else
			g_string_append_c (s, (char) *c);
	}
	return g_string_free (s, FALSE);
}

static void
action_text (RrecReplay *r, const RrecAction *a)
{
	g_autofree char *t = time_text (a->time_ms);
	g_autofree char *what = describe (a);
	g_autofree char *call = shown (a->call ? a->call : "");
	g_autofree char *safe = shown (what);

	fprintf (r->out, "%s  %-16s  %s%s%s%s\n", t, call,
		 safe, a->rule ? "  [" : "", a->rule ? a->rule : "",
		 a->rule ? "]" : "");
}

/* Recorded and paused time per call, from the session's states. */
static void
account (RrecReplay *r, const RrecAction *a)
{
	CallTime *ct;
	int next = -1;
	gint64 until;

	/* The session's own state says whether the leg records: a leg lost or
	 * a call ended in any state is counted right, which GSIP_RECORD (only
	 * written when it changes) would not tell. */
	if (a->kind == RREC_ACTION_CALL_RENAMED) {
		/* R32: the time accounts move to the new ConnID */
		CallTime *old = g_hash_table_lookup (r->times, a->from);

		if (old) {
			CallTime *moved = call_time_new (a->call);

			moved->since = old->since;
			moved->state = old->state;
			g_hash_table_remove (r->times, a->from);
			g_hash_table_replace (r->times, moved->call, moved);
		}
		return;
	}
	if (a->kind == RREC_ACTION_LINK && a->op == RREC_LINK_DOWN) {
		r->link_down_ms = a->time_ms;
		return;
	}
	/* the first letter tells most machines and states apart before a
	 * whole compare: every step of every machine comes here */
	if (a->call == NULL || a->kind != RREC_ACTION_STATE ||
	    a->machine[0] != 's' || strcmp (a->machine, "session") != 0)
		return;
	next = 0;
	if (a->to[0] == 'r') {
		if (strcmp (a->to, "recording") == 0)
			next = 1;
		else if (strcmp (a->to, "resuming") == 0)
			next = 2;
	} else if (a->to[0] == 'p') {
		if (strcmp (a->to, "pausing") == 0)
			next = 1;
		else if (strcmp (a->to, "paused") == 0)
			next = 2;
	}
	ct = g_hash_table_lookup (r->times, a->call);
	if (ct == NULL) {
		if (next == 0)
			return;	/* off, and it stays off: nothing to count */
		ct = call_time_new (a->call);
		g_hash_table_replace (r->times, ct->call, ct);
	}
	/* R33: a leg a query found gone after the link came back has not
	 * recorded since the link was lost, as the gap ledger says (its
	 * `server-failover` gap starts there, or where the pause's gap
	 * started if that was later): the time the session's state counted
	 * since then is not recorded, nor paused */
	until = a->time_ms;
	if (next == 0 && ct->state != 0 && r->link_down_ms >= 0 && a->event &&
	    strcmp (a->event, "LEG_LOST") == 0)
		until = CLAMP (r->link_down_ms, ct->since, a->time_ms);
	if (ct->state == 1)
		r->recorded_ms += until - ct->since;
	else if (ct->state == 2)
		r->paused_ms += until - ct->since;
	ct->state = next;
	ct->since = a->time_ms;
	/* nothing to count once it is off: memory stays flat over a log */
	if (next == 0)
		g_hash_table_remove (r->times, a->call);
}

static void
on_action (const RrecAction *a, gpointer user_data)
{
	RrecReplay *r = user_data;

	if (r->opening_store)
		return;	/* its alarm is the caller's error: nothing replayed */
	account (r, a);
	if (a->kind == RREC_ACTION_STATE && !(r->flags & RREC_REPLAY_TRACE)) {
		/* without --trace, the timeline shows only the session moves
		 * that no other action tells: a lost leg, a wait, the end */
		static const char *const telling[] = {
			"reestablishing", "link_wait", "ended", NULL,
		};
		gboolean tells = FALSE;

		if (r->flags & RREC_REPLAY_JSON || strcmp (a->machine, "session") != 0)
			return;
		for (guint i = 0; telling[i]; i++)
			tells = tells || strcmp (a->to, telling[i]) == 0;
		if (!tells)
			return;
	}
	r->actions++;
	if (a->kind == RREC_ACTION_GAP && r->flags & RREC_REPLAY_JSON) {
		/* --json has its gap lines, not a ledger in the summary */
		r->n_gaps++;
		r->gap_ms += a->end_ms - a->start_ms;
	} else if (a->kind == RREC_ACTION_GAP) {
		g_autofree char *start = time_text (a->start_ms);
		g_autofree char *end = time_text (a->end_ms);

		keep_gap (r, a->end_ms - a->start_ms,
			  g_strdup_printf ("%s  %s - %s  %s", a->call, start,
					   end, a->reason));
		r->gap_ms += a->end_ms - a->start_ms;
	}
	if (r->resumed)
		;	/* --resume: the blocks already processed, silently */
	else if (r->flags & RREC_REPLAY_JSON)
		action_json (r, a);
	else
		action_text (r, a);
	/* the simulator's answers come once the engine is done (§6) */
	rrec_sip_sim_hear (r->sim, a);
}

/* ---- the simulator ---------------------------------------------------------- */

/*
 * Group commit (engine.h: rrec_engine_more_queued()).  The replay has its
 * input in hand — the chunk of log being read, and the simulator's
 * answers — so it hints before every message it feeds, and the engine
 * commits several steps in one transaction.  But the simulator plays SIP
 * Server, and answers each request at its time, before the next block
 * (§6): a step that sends SIP Server something is committed at once (the
 * simulator must not hear a request before it is stored, as SIP Server
 * must not), and its answer comes before the next block, as without a
 * store.  What the batches hold is the rest: the steps of SIP Server's
 * answers, of client replies and user data to T-Server, of ignored
 * messages.  The replay flushes whenever it stops feeding: at the end of
 * each chunk of input, before a restart, before it reports a skipped
 * block.
 */
#define SIM_HEARS ((1u << RREC_ACTION_DIAL_LEG) | (1u << RREC_ACTION_RECORD) | \
		   (1u << RREC_ACTION_RELEASE_LEG) |                         \
		   (1u << RREC_ACTION_LEG_USERDATA) |                        \
		   (1u << RREC_ACTION_QUERY_LEG))

static gboolean
feed (RrecReplay *r, const RrecMessage *m, GError **error)
{
	rrec_engine_more_queued (r->engine, SIM_HEARS);
	return rrec_engine_feed (r->engine, m, error);
}

/* The replay stops feeding: what the engine took is committed, its actions
 * delivered. */
static void
settle (RrecReplay *r)
{
	rrec_engine_flush (r->engine);
}

static void
sim_answer (RrecReplay *r)
{
	RrecMessage m;

	/* --resume: the answers of the latest millisecond are kept for the
	 * restored engine (resume_owed()) */
	if (r->resumed)
		rrec_sip_sim_keep_at (r->sim, rrec_engine_get_time (r->engine));
	while (rrec_sip_sim_next (r->sim, &m))
		feed (r, &m, NULL);
}

/* Timers fire at their due time, before the first block that is later or
 * at the same time; the simulator answers at that time too. */
#define DAY_MS (24 * 3600 * (gint64) 1000)

/* The engine's date, given only when it changes: a replay asks for it
 * before every block (issue #14). */
static void
give_date (RrecReplay *r, const char *date)
{
	if (strcmp (date, r->date_given) == 0)
		return;
	rrec_engine_set_date (r->engine, date);
	g_strlcpy (r->date_given, date, sizeof r->date_given);
}

/* r->engine is another engine: it has its own date (its store's). */
static void
engine_changed (RrecReplay *r)
{
	r->date_given[0] = 0;
}

/* The engine's date at T on the log clock: that of the last block with a
 * time, moved by the midnights between (R29's date). */
static void
set_date_at (RrecReplay *r, gint64 t)
{
	int y, m, d;
	GDate date;

	if (!r->have_time || t / DAY_MS == r->date_day ||
	    sscanf (r->date, "%d-%d-%d", &y, &m, &d) != 3 ||
	    !g_date_valid_dmy (d, m, y)) {
		give_date (r, r->date);
		return;
	}
	g_date_clear (&date, 1);
	g_date_set_dmy (&date, d, m, y);
	gint64 days = t / DAY_MS - r->date_day;
	if (days > 0 && days < 9999 * 366 && g_date_get_year (&date) < 9999 - days / 365)
		g_date_add_days (&date, days);
	else if (days < 0 && -days < (gint64) g_date_get_julian (&date))
		g_date_subtract_days (&date, -days);
	char text[11];
	g_snprintf (text, sizeof text, "%04d-%02d-%02d", g_date_get_year (&date),
		    g_date_get_month (&date), g_date_get_day (&date));
	give_date (r, text);
}

static void
advance_to (RrecReplay *r, gint64 t)
{
	for (;;) {
		gint64 due = rrec_engine_next_due (r->engine);

		if (due < 0 || due > t)
			break;
		set_date_at (r, due);
		rrec_engine_advance (r->engine, due);
		sim_answer (r);
	}
	set_date_at (r, t);
	rrec_engine_advance (r->engine, t);
}

static gint
cmp_time (gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

	return x < y ? -1 : x > y;
}

/* --restart-at names times of day: each is the first such time from 12
 * hours before the log's first block on (the log clock's rule, §6). */
static void
resolve_restart_times (RrecReplay *r, gint64 first)
{
	if (r->restart_times == NULL)
		return;
	for (guint i = 0; i < r->restart_times->len; i++) {
		gint64 *t = &g_array_index (r->restart_times, gint64, i);

		*t += first / DAY_MS * DAY_MS;
		if (*t < first - DAY_MS / 2)
			*t += DAY_MS;
	}
	g_array_sort (r->restart_times, cmp_time);
}

static void
skip (RrecReplay *r, const char *file, guint64 line, const char *what)
{
	g_autofree char *f = shown (file ? file : "<stdin>");
	g_autofree char *w = shown (what);

	r->skipped++;
	settle (r);
	out_flush (r);
	fprintf (r->err, "%s:%" G_GUINT64_FORMAT ": %s\n", f, line, w);
	if (r->flags & RREC_REPLAY_STRICT) {
		r->stopped = TRUE;
		if (r->reader)
			rrec_log_reader_stop (r->reader);
	}
}

/* ---- restarts (issue #7) ---------------------------------------------------------- */

static RrecHostCallbacks
replay_callbacks (RrecReplayFlags flags)
{
	RrecHostCallbacks cb = {
		on_action, on_action, on_action, on_action, on_action,
		on_action, on_action,
		on_action,	/* the trace: always, for the time accounts */
		on_action, on_action, on_action, on_action,
	};

	return cb;
}

static void
restart_text (RrecReplay *r, gint64 t, const char *why)
{
	g_autofree char *time = time_text (t);

	if (r->flags & RREC_REPLAY_JSON) {
		rrec_json_str (line_begin (r, t, "restart"), "reason", why);
		line_end (r);
	} else {
		fprintf (r->out, "%s  %-16s  restart: the engine is dropped and "
			 "a new one opened on the store\n", time, "");
	}
}

/*
 * The engine dies without a goodbye (its store holds the last step), a
 * new one opens on the store, and reconciles with what the simulator
 * has: the calls of the log (the restored ones: no block is lost at a
 * restart between two blocks) and the legs SIP Server still has.
 */
static void
resume_text (RrecReplay *r, gint64 t)
{
	g_autofree char *time = time_text (t);

	if (r->flags & RREC_REPLAY_JSON) {
		line_begin (r, t, "resume");
		line_end (r);
	} else {
		fprintf (r->out, "%s  %-16s  resume: the engine goes on from its "
			 "store\n", time, "");
	}
}

/* Counters are statistics, not state: a store has them as of its last
 * write.  The replay's totals carry on over a restart or a resume: what
 * the engine before counted (@before) beyond what the new one starts
 * with (@now). */
static void
carry (RrecReplay *r, const RrecEngineCounters *before,
       const RrecEngineCounters *now)
{
	r->carried.messages += before->messages - now->messages;
	r->carried.malformed += before->malformed - now->malformed;
	r->carried.ignored += before->ignored - now->ignored;
	r->carried.rejected += before->rejected - now->rejected;
	r->carried.calls += before->calls - now->calls;
	r->carried.sessions += before->sessions - now->sessions;
	r->carried.orphans += before->orphans - now->orphans;
	r->carried.client_errors += before->client_errors - now->client_errors;
}

/* The view of the simulator: the engine's calls (the log's: none is lost
 * between two blocks) and the legs SIP Server has, in port order. */
static void
reconcile_with_sim (RrecReplay *r, gint64 t)
{
	g_auto (GStrv) conns = rrec_engine_list_calls (r->engine);
	guint n_calls = g_strv_length (conns);
	g_autofree RrecLiveCall *calls = g_new0 (RrecLiveCall, n_calls + 1);
	guint n_legs = 0;
	const RrecLiveLeg *legs = rrec_sip_sim_legs (r->sim, &n_legs);

	for (guint i = 0; i < n_calls; i++)
		calls[i].conn_id = conns[i];
	RrecLiveView view = {
		.calls = calls,
		.n_calls = n_calls,
		.legs = legs,
		.n_legs = n_legs,
		.link_up = rrec_sip_sim_get_link (r->sim),
	};
	rrec_engine_reconcile (r->engine, t, &view);
	sim_answer (r);
}

static void
resume_switch (RrecReplay *r);

static void
restart (RrecReplay *r, gint64 t, const char *why)
{
	g_autoptr (GError) error = NULL;
	RrecHostCallbacks cb = replay_callbacks (r->flags);
	gboolean restored = FALSE;
	RrecEngineCounters old, now;

	settle (r);	/* the steps before the restart are stored */
	restart_text (r, t, why);
	r->restarts++;
	rrec_engine_get_counters (r->engine, &old);
	rrec_engine_free (r->engine);
	r->engine = rrec_engine_open (r->config, &cb, r, r->state_path,
				      r->state_sync, &restored, &error);
	engine_changed (r);
	if (error) {
		out_flush (r);
		fprintf (r->err, "rrec replay: %s\n", error->message);
	}
	if (!rrec_engine_has_store (r->engine))
		r->store_failed = TRUE;
	set_date_at (r, t);
	rrec_engine_get_counters (r->engine, &now);
	carry (r, &old, &now);

	reconcile_with_sim (r, t);
}

static void
on_block (const RrecLogBlock *b, gpointer user_data)
{
	RrecReplay *r = user_data;
	const char *server = rrec_config_get_server_application (r->config);
	int type = b->message_type;
	RrecSide side;
	RrecLogMessage *c = &r->conv;
	g_autoptr (GError) error = NULL;

	if (r->stopped)
		return;
	r->blocks++;
	/* --resume: the first block the stored engine had not processed */
	if (r->resumed && b->clock_ms > r->resume_after)
		resume_switch (r);
	if (r->blocks == r->restart_block)
		restart (r, r->last_time, "before-block");

	/* §6: the log clock crosses midnight (the reader counts the days);
	 * a block whose time goes back is replayed at the previous time */
	gint64 next = r->last_time;
	if (b->clock_ms >= 0) {
		if (!r->have_time)
			resolve_restart_times (r, b->clock_ms);
		if (r->have_time && b->clock_ms < r->last_time) {
			g_autofree char *from = time_text (r->last_time);
			g_autofree char *to = time_text (b->clock_ms);

			g_autofree char *f = shown (b->file_name ? b->file_name :
						    "<stdin>");

			r->clock_back++;
			settle (r);
			out_flush (r);
			fprintf (r->err, "%s:%" G_GUINT64_FORMAT ": clock goes back "
				 "from %s to %s\n", f, b->line, from, to);
		} else {
			next = b->clock_ms;
			/* the reader's date is 10 characters and NUL */
			memcpy (r->date, b->date, sizeof r->date);
			r->date[sizeof r->date - 1] = 0;
			r->date_day = b->clock_ms / DAY_MS;
			r->have_time = TRUE;
		}
	}
	while (r->restart_times && r->next_restart < r->restart_times->len &&
	       r->have_time) {
		gint64 t = g_array_index (r->restart_times, gint64,
					  r->next_restart);

		if (t > next)
			break;
		r->next_restart++;
		advance_to (r, t);
		restart (r, MAX (t, r->last_time), "--restart-at");
	}
	r->last_time = next;
	advance_to (r, r->last_time);

	side = rrec_log_block_side (b, server);
	if (type < 0)
		return;		/* a T-Library message the engine does not follow */

	if (side == RREC_SIDE_SIP) {
		/* §6: the log's SIP-side blocks are the simulator's faults */
		if (type == RREC_MSG_EVENT_SERVER_DISCONNECTED)
			rrec_sip_sim_set_link (r->sim, FALSE);
		else if (type == RREC_MSG_EVENT_SERVER_CONNECTED)
			rrec_sip_sim_set_link (r->sim, TRUE);
	}
	rrec_log_message_reset (c);
	if (!rrec_log_message_convert (c, b, side, type)) {
		skip (r, b->file_name, b->line, c->error);
	} else {
		/* the legs SIP Server has, for the view at a restart: one
		 * comes up with the block, goes once the engine took it */
		if (type == RREC_MSG_EVENT_ESTABLISHED ||
		    type == RREC_MSG_EVENT_SERVER_CONNECTED)
			rrec_sip_sim_saw (r->sim, &c->msg);	/* R33: a failover */
		if (!feed (r, &c->msg, &error))
			skip (r, b->file_name, b->line, error->message);
		else if (type == RREC_MSG_EVENT_RELEASED)
			rrec_sip_sim_saw (r->sim, &c->msg);
	}
	sim_answer (r);
	guint ports = rrec_engine_ports_in_use (r->engine);
	if (ports > r->ports_peak)
		r->ports_peak = ports;
}

static void
on_error (const char *file, guint64 line, const char *message, gpointer user_data)
{
	skip (user_data, file, line, message);
}

/* ---- life ---------------------------------------------------------------------- */

RrecReplay *
rrec_replay_new (RrecConfig *config, RrecReplayFlags flags, FILE *out, FILE *err)
{
	RrecReplay *r = g_new0 (RrecReplay, 1);
	RrecHostCallbacks cb = replay_callbacks (flags);

	r->config = rrec_config_ref (config);
	r->flags = flags;
	g_strlcpy (r->date, "1970-01-01", sizeof r->date);
	r->out = out;
	r->err = err;
	/* the link is up when a replay starts (§6); legs numbered 5e…01 on */
	r->sim = rrec_sip_sim_new (rrec_config_get_trunk_group (config),
				   0x5e00000000000000ULL, TRUE);
	rrec_sip_sim_set_healthy (r->sim, !(flags & RREC_REPLAY_NO_SIM));
	r->resume_after = -1;
	r->times = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
	r->link_down_ms = -1;
	r->line = g_string_sized_new (flags & RREC_REPLAY_BUFFERED ?
				      OUT_BATCH + 1024 : 1024);
	r->line_ms = G_MININT64;
	time_into (r->line_time, r->line_ms);
	r->gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
	g_array_set_clear_func (r->gaps, gap_clear);
	r->engine = rrec_engine_new (config, &cb, r);
	engine_changed (r);
	return r;
}

void
rrec_replay_free (RrecReplay *r)
{
	if (r == NULL)
		return;
	/* lines already decided and still batched (RREC_REPLAY_BUFFERED) are
	 * written, not lost, when a caller frees without finishing */
	out_flush (r);
	rrec_log_reader_free (r->reader);
	rrec_engine_free (r->engine);
	rrec_engine_free (r->resumed);
	rrec_sip_sim_free (r->sim);
	rrec_log_message_clear (&r->conv);
	g_hash_table_destroy (r->times);
	g_array_unref (r->gaps);
	if (r->gap_file)
		fclose (r->gap_file);
	g_string_free (r->line, TRUE);
	if (r->restart_times)
		g_array_unref (r->restart_times);
	if (r->temp_dir) {
		remove_store_files (r->state_path);
		g_rmdir (r->temp_dir);
		g_free (r->temp_dir);
	}
	g_free (r->state_path);
	rrec_config_unref (r->config);
	g_free (r->file);
	g_free (r);
}

static void
remove_store_files (const char *path)
{
	static const char *const ext[] = { "", "-wal", "-shm" };

	for (guint i = 0; path && i < G_N_ELEMENTS (ext); i++) {
		g_autofree char *f = g_strconcat (path, ext[i], NULL);
		g_unlink (f);
	}
}

static gboolean
open_state (RrecReplay *r, const char *path, RrecStoreSync sync,
	    RrecStoreFlags flags, gboolean *restored, GError **error)
{
	RrecHostCallbacks cb = replay_callbacks (r->flags);

	g_return_val_if_fail (r->blocks == 0, FALSE);
	if (r->temp_dir) {
		remove_store_files (r->state_path);
		g_rmdir (r->temp_dir);
		g_clear_pointer (&r->temp_dir, g_free);
	}
	g_free (r->state_path);
	r->state_path = g_strdup (path);
	r->state_sync = sync;
	rrec_engine_free (r->engine);
	r->opening_store = TRUE;
	r->engine = rrec_engine_open_full (r->config, &cb, r, path, sync, flags,
					   restored, error);
	engine_changed (r);
	r->opening_store = FALSE;
	if (!rrec_engine_has_store (r->engine)) {
		r->store_failed = TRUE;
		return FALSE;
	}
	return TRUE;
}

/* The replay starts a new store at @path (what an rrec store there held
 * is forgotten: a replay starts from the log's beginning; anything else
 * there is refused, left as it is) and leaves it there at the end. */
gboolean
rrec_replay_set_state (RrecReplay *r, const char *path, RrecStoreSync sync,
		       GError **error)
{
	gboolean restored;

	return open_state (r, path, sync, RREC_STORE_REPLACE, &restored, error);
}

/*
 * --resume: the engine restored from the store at @path goes on where it
 * stopped.  Until the first block after the stored engine time the log is
 * read again by a scratch engine without a store and without output: it
 * makes the same decisions, so the simulated SIP Server (its legs and
 * their numbering, which do not die with the T-Server) and the summary's
 * accounts are rebuilt as they were.  Then the restored engine takes over
 * (resume_switch()).
 */
gboolean
rrec_replay_resume_state (RrecReplay *r, const char *path, RrecStoreSync sync,
			  GError **error)
{
	RrecHostCallbacks cb = replay_callbacks (r->flags);
	gboolean restored = FALSE;

	if (!open_state (r, path, sync, 0, &restored, error))
		return FALSE;
	if (!restored)
		return TRUE;	/* nothing stored: the whole log, as usual */
	r->resumed = r->engine;
	r->resume_after = rrec_engine_get_time (r->resumed);
	r->engine = rrec_engine_new (r->config, &cb, r);
	engine_changed (r);
	return TRUE;
}

/* The restored engine awaits the answer @m: a request of its own not yet
 * answered, or the leg its session dialled on that port (still dialling,
 * no leg). */
static gboolean
awaits (const RrecMessage *m, GHashTable *dialling, const gint64 *refs,
	guint n_refs)
{
	if (m->type == RREC_MSG_EVENT_ESTABLISHED)
		return m->dnis && g_hash_table_contains (dialling, m->dnis);
	/* ascending (rrec_engine_list_requests()): compared as gint64s */
	return n_refs > 0 && bsearch (&m->reference_id, refs, n_refs,
				      sizeof *refs, cmp_time) != NULL;
}

/*
 * The answers the killed replay still owed: SIP Server's answers of the
 * stored millisecond (the scratch engine took them all, the simulator
 * kept them) that the restored engine still awaits — its requests not
 * answered, the legs of its sessions still dialling.  They are given
 * again as they were (an R33 leg query gets its EventPartyInfo or
 * EventError, a leg that came up its EventEstablished), in the order SIP
 * Server gave them, and before the reconciliation, as they came before
 * the process died; what the restored engine sends meanwhile is answered
 * after them, as without the kill.
 */
static void
resume_owed (RrecReplay *r)
{
	RrecMessage m;
	guint n_refs = 0;
	g_autofree gint64 *refs = rrec_engine_list_requests (r->engine, &n_refs);
	g_auto (GStrv) conns = rrec_engine_list_calls (r->engine);
	g_autoptr (GHashTable) dialling = g_hash_table_new_full (g_str_hash,
								  g_str_equal,
								  g_free, NULL);

	for (guint i = 0; conns[i]; i++) {
		g_autofree char *leg = rrec_engine_session_leg (r->engine, conns[i]);
		char *port = leg ? NULL : rrec_engine_session_port (r->engine,
								      conns[i]);

		if (port && g_strcmp0 (rrec_engine_session_state (r->engine, conns[i]),
				       "dialing") == 0)
			g_hash_table_add (dialling, port);
		else
			g_free (port);
	}
	rrec_sip_sim_keep_stop (r->sim);
	for (guint i = 0; rrec_sip_sim_kept (r->sim, i, &m); i++)
		if (awaits (&m, dialling, refs, n_refs))
			feed (r, &m, NULL);
	sim_answer (r);
}

/*
 * The restored engine takes over from the scratch one: a `resume` line
 * with the stored engine time, the answers the killed replay still owed
 * (resume_owed()), then the reconciliation with what the simulator has —
 * the log's calls, its legs.
 */
static void
resume_switch (RrecReplay *r)
{
	gint64 t = r->resume_after;
	RrecEngineCounters scratch, now;

	advance_to (r, t);
	rrec_engine_get_counters (r->engine, &scratch);
	rrec_engine_free (r->engine);
	r->engine = g_steal_pointer (&r->resumed);
	engine_changed (r);
	set_date_at (r, t);
	rrec_engine_get_counters (r->engine, &now);
	carry (r, &scratch, &now);
	resume_text (r, t);

	resume_owed (r);
	reconcile_with_sim (r, t);
}

static gboolean
need_store (RrecReplay *r)
{
	if (r->state_path)
		return TRUE;
	char *dir = g_dir_make_tmp ("rrec-replay-XXXXXX", NULL);
	if (dir == NULL)
		return FALSE;
	g_autofree char *path = g_build_filename (dir, "state.db", NULL);
	gboolean ok = rrec_replay_set_state (r, path, RREC_STORE_SYNC_NORMAL,
					     NULL);
	r->temp_dir = dir;	/* removed with the store at the end */
	return ok;
}

gboolean
rrec_replay_add_restart (RrecReplay *r, gint64 time_ms)
{
	if (r->state_path == NULL) {
		if (!need_store (r))
			return FALSE;
	}
	if (r->restart_times == NULL)
		r->restart_times = g_array_new (FALSE, FALSE, sizeof (gint64));
	guint i = 0;
	while (i < r->restart_times->len &&
	       g_array_index (r->restart_times, gint64, i) <= time_ms)
		i++;
	g_array_insert_val (r->restart_times, i, time_ms);
	return TRUE;
}

gboolean
rrec_replay_restart_before_block (RrecReplay *r, guint64 block)
{
	if (r->state_path == NULL && !need_store (r))
		return FALSE;
	r->restart_block = block;
	return TRUE;
}

guint
rrec_replay_get_restarts (RrecReplay *r)
{
	return r->restarts;
}

guint64
rrec_replay_get_blocks (RrecReplay *r)
{
	return r->blocks;
}

gboolean
rrec_replay_feed (RrecReplay *r, const char *name, const char *data, gsize len)
{
	if (r->stopped)
		return FALSE;
	if (r->reader == NULL || r->file_ended) {
		g_free (r->file);
		r->file = g_strdup (name);
		if (r->reader == NULL)
			r->reader = rrec_log_reader_new (r->file, on_block,
							 on_error, r);
		else	/* the log clock goes on from file to file (§6) */
			rrec_log_reader_next_file (r->reader, r->file);
		r->file_ended = FALSE;
	}
	rrec_log_reader_feed (r->reader, data, len);
	settle (r);
	out_flush (r);
	r->bytes += len;
	return !r->stopped;
}

void
rrec_replay_end_file (RrecReplay *r)
{
	if (r->reader == NULL)
		return;
	rrec_log_reader_finish (r->reader);
	settle (r);
	out_flush (r);
	r->file_ended = TRUE;
}

/* --gaps: the ledger's lines from their temporary file to the output */
static void
copy_gap_file (RrecReplay *r)
{
	char buf[64 * 1024];
	size_t n;

	if (fflush (r->gap_file) != 0 || fseek (r->gap_file, 0, SEEK_SET) != 0) {
		fprintf (r->err, "rrec replay: --gaps: the temporary file of the "
			 "gap ledger: %s\n", g_strerror (errno));
		return;
	}
	while ((n = fread (buf, 1, sizeof buf, r->gap_file)) > 0)
		fwrite (buf, 1, n, r->out);
	if (ferror (r->gap_file))
		fprintf (r->err, "rrec replay: --gaps: the temporary file of the "
			 "gap ledger could not be read back: %s\n",
			 g_strerror (errno));
}

int
rrec_replay_finish (RrecReplay *r)
{
	RrecEngineCounters k;
	GHashTableIter it;
	gpointer v;

	rrec_replay_end_file (r);
	g_clear_pointer (&r->reader, rrec_log_reader_free);
	if (r->resumed)
		resume_switch (r);	/* no block after the stored time */
	settle (r);
	/* At the end of the input time stops: recorded time runs to here. */
	g_hash_table_iter_init (&it, r->times);
	while (g_hash_table_iter_next (&it, NULL, &v)) {
		CallTime *ct = v;
		if (ct->state == 1)
			r->recorded_ms += r->last_time - ct->since;
		else if (ct->state == 2)
			r->paused_ms += r->last_time - ct->since;
		ct->state = 0;
	}

	rrec_engine_get_counters (r->engine, &k);
	k.messages += r->carried.messages;
	k.malformed += r->carried.malformed;
	k.ignored += r->carried.ignored;
	k.rejected += r->carried.rejected;
	k.calls += r->carried.calls;
	k.sessions += r->carried.sessions;
	k.orphans += r->carried.orphans;
	k.client_errors += r->carried.client_errors;
	guint pending = rrec_engine_pending_timers (r->engine);
	g_autofree char *t = time_text (r->last_time);

	if (r->flags & RREC_REPLAY_JSON) {
		GString *b = line_begin (r, r->last_time, "summary");

		rrec_json_int (b, "calls", k.calls);
		rrec_json_int (b, "sessions", k.sessions);
		rrec_json_int (b, "orphans", k.orphans);
		rrec_json_int (b, "errors", k.client_errors);
		rrec_json_int (b, "skipped", r->skipped);
		rrec_json_int (b, "pending_timers", pending);
		rrec_json_int (b, "ignored", k.ignored);
		rrec_json_int (b, "rejected", k.rejected);
		rrec_json_int (b, "recorded_ms", r->recorded_ms);
		rrec_json_int (b, "paused_ms", r->paused_ms);
		rrec_json_int (b, "ports_peak", r->ports_peak);
		line_end (r);
		out_flush (r);
	} else {
		fprintf (r->out,
			 "\nSummary at %s\n"
			 "  calls               %" G_GUINT64_FORMAT "\n"
			 "  recording sessions  %" G_GUINT64_FORMAT "\n"
			 "  recorded time       %.3f s\n"
			 "  paused time         %.3f s\n"
			 "  ports at peak       %u\n"
			 "  orphan legs         %" G_GUINT64_FORMAT "\n"
			 "  errors to clients   %" G_GUINT64_FORMAT "\n"
			 "  skipped blocks      %" G_GUINT64_FORMAT "\n"
			 "  ignored / rejected  %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT "\n"
			 "  pending timers      %u\n",
			 t, k.calls, k.sessions, r->recorded_ms / 1000.0,
			 r->paused_ms / 1000.0, r->ports_peak, k.orphans,
			 k.client_errors, r->skipped, k.ignored, k.rejected, pending);
		/* the gap ledger: every closed interval a recorded call was
		 * not recorded, and why */
		fprintf (r->out, "  gaps                %" G_GUINT64_FORMAT
			 " (%.3f s)\n", r->n_gaps, r->gap_ms / 1000.0);
		for (guint i = 0; i < r->gaps->len; i++)
			fprintf (r->out, "    %s\n",
				 g_array_index (r->gaps, Gap, i).line);
		if (r->gap_file)
			copy_gap_file (r);
		if (r->n_gaps > r->gaps->len + r->gaps_on_file)
			fprintf (r->out, "    (%" G_GUINT64_FORMAT " shorter gaps "
				 "not listed: --gaps lists them all)\n",
				 r->n_gaps - r->gaps->len - r->gaps_on_file);
	}
	fflush (r->out);
	if (r->store_failed)
		return 2;	/* §7: a store that cannot be used */
	return r->skipped > 0 || r->clock_back > 0 ? 1 : 0;
}
