/*
 * log.c — `rrec bench`'s log measurements: the log reader alone
 * (reader.mb_per_s, against `wc -l` on the same bytes; with the engine's
 * filter, rrec_engine_wants_message(), as a host feeding an engine reads)
 * and the whole `rrec replay --json` path (replay.mb_per_s).
 *
 * The log is written here, in C, in the format of tools/gen-log.py (its
 * header forms and time stamps, TAB-indented attributes, key-value lists
 * with their `[n] 00 NN 00 00..` header and both forms of nested lists,
 * other log records in between, a few CRLF lines) from the same call
 * models as the engine benchmarks, so that no Python is needed at bench
 * time.  Its DNs are gen-log.py's, and so is the configuration.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench.h"
#include "replay.h"

#define DAY_MS (86400 * 1000)
#define START_MS ((0 * 3600 + 30 * 60) * 1000)
#define AVG_BLOCK_BYTES 310

typedef struct {
	GString *out;
	const BenchWorld *w;
	BenchCalls *calls;
	BenchRng rng;
	gint64 clock;
	guint day;
	guint sub;
	guint64 seq;
	gint64 refid;
	double avg_step;
} Gen;

static void
tick (Gen *g)
{
	double u = bench_rng_unit (&g->rng);

	/* exponential steps: bursts and gaps, never backwards */
	g->clock += (gint64) (-log (1.0 - u) * g->avg_step);
	if (g->clock >= DAY_MS) {
		g->clock -= DAY_MS;
		g->day++;
	}
	g->sub = bench_rng_below (&g->rng, 10);
}

static void
hms (Gen *g, GString *s)
{
	gint64 t = g->clock;

	g_string_append_printf (s, "%02d:%02d:%02d.%03d", (int) (t / 3600000),
				(int) (t / 60000 % 60), (int) (t / 1000 % 60),
				(int) (t % 1000));
}

static void
stamp (Gen *g, int form)
{
	if (form == 0) {
		g_string_append_c (g->out, '@');
		hms (g, g->out);
		g_string_append_c (g->out, '0' + g->sub);
	} else if (form == 1) {
		hms (g, g->out);
	} else {
		guint month = 5, day = g->day;

		while (day > 28) {
			day -= 28;
			month++;
		}
		g_string_append_printf (g->out, "2024-%02u-%02uT", month, day);
		hms (g, g->out);
	}
}

/* The [n] of a key-value list header: about its encoded length. */
static guint
kv_size (const RrecKvList *l)
{
	guint n = 4;

	for (guint i = 0; i < rrec_kv_list_length (l); i++) {
		n += strlen (rrec_kv_list_key (l, i)) + 6;
		switch (rrec_kv_list_kind (l, i)) {
		case RREC_KV_LIST:
			n += kv_size (rrec_kv_list_sublist (l, i));
			break;
		case RREC_KV_STRING:
			n += strlen (rrec_kv_list_string (l, i)) + 2;
			break;
		case RREC_KV_INT: {
			char buf[24];
			n += g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT,
					 rrec_kv_list_int (l, i)) + 2;
			break;
		}
		}
	}
	return n;
}

static void
value (GString *s, const RrecKvList *l, guint i)
{
	if (rrec_kv_list_kind (l, i) == RREC_KV_INT)
		g_string_append_printf (s, "%" G_GINT64_FORMAT, rrec_kv_list_int (l, i));
	else
		g_string_append_printf (s, "'%s'", rrec_kv_list_string (l, i));
}

static void
tabs (GString *s, guint depth)
{
	for (guint i = 0; i < depth; i++)
		g_string_append_c (s, '\t');
}

static void
render_list (Gen *g, const RrecKvList *l, guint from, guint depth, const char *end)
{
	GString *s = g->out;

	for (guint i = from; i < rrec_kv_list_length (l); i++) {
		const char *key = rrec_kv_list_key (l, i);

		tabs (s, depth);
		if (rrec_kv_list_kind (l, i) != RREC_KV_LIST) {
			g_string_append_printf (s, "'%s'\t", key);
			value (s, l, i);
			g_string_append (s, end);
			continue;
		}
		const RrecKvList *sub = rrec_kv_list_sublist (l, i);

		if (rrec_kv_list_length (sub) > 0 && bench_rng_unit (&g->rng) < 0.3) {
			/* the list's name and its first pair on one line */
			g_string_append_printf (s, "'%s'(list) '%s'\t", key,
						rrec_kv_list_key (sub, 0));
			value (s, sub, 0);
			g_string_append (s, end);
			render_list (g, sub, 1, depth + 1, end);
		} else {
			g_string_append_printf (s, "'%s'(list)%s", key, end);
			render_list (g, sub, 0, depth + 1, end);
		}
	}
}

static void
attr_str (GString *s, const char *name, const char *v, const char *end)
{
	if (v)
		g_string_append_printf (s, "\tAttribute%s\t'%s'%s", name, v, end);
}

static void
attr_int (GString *s, const char *name, gint64 v, const char *end)
{
	g_string_append_printf (s, "\tAttribute%s\t%" G_GINT64_FORMAT "%s", name, v, end);
}

static void
attr_conn (GString *s, const char *name, guint32 conn, const char *end)
{
	g_string_append_printf (s, "\tAttribute%s\t%016" G_GINT64_MODIFIER "x%s",
				name, (guint64) BENCH_CONN_BASE + conn, end);
}

static void
attr_list (Gen *g, const char *name, const RrecKvList *l, const char *end)
{
	g_string_append_printf (g->out, "\tAttribute%s\t[%u] 00 %02x 00 00..%s",
				name, kv_size (l), rrec_kv_list_length (l) & 0xff, end);
	render_list (g, l, 0, 2, end);
}

/* Log records between blocks, which the reader must skip. */
static void
other_lines (Gen *g)
{
	double r = bench_rng_unit (&g->rng);
	GString *s = g->out;

	if (r < 0.10) {
		hms (g, s);
		g_string_append_printf (s, " Std 20001 Connection to 'SIPServer_SfB' "
					"is alive, %u clients\n",
					5 + bench_rng_below (&g->rng, 35));
	} else if (r < 0.13) {
		guint port = bench_rng_below (&g->rng, 1000);
		guint32 branch = (guint32) bench_rng_next (&g->rng);

		hms (g, s);
		g_string_append_printf (s,
			": Sending  [61,TCP] 512 bytes to 10.0.0.5:5070 >>>>>\n"
			"INVITE sip:+1555%03u@sip.example.com SIP/2.0\n"
			"Via: SIP/2.0/TCP 10.0.0.4:5060;branch=z9hG4bK%08x\n"
			"From: <sip:annc@sip.example.com>;tag=%06x\n"
			"CSeq: 1 INVITE\n"
			"Content-Length: 0\n"
			"\n", port, branch, branch >> 8);
	} else if (r < 0.15) {
		hms (g, s);
		g_string_append (s, " Int 04543 Interaction message \"EventRouteUsed\" "
				 "sent to 65200 (\"URS@3020\")\n");
	}
}

static void
block (Gen *g, const BenchOp *op)
{
	static const char *const desktops[] = { "WDE", "AgentDesktop", "Workspace Web" };
	GString *s = g->out;
	const char *name = rrec_message_type_name (op->type);
	const char *end = bench_rng_unit (&g->rng) < 0.01 ? "\r\n" : "\n";
	const BenchWorld *w = g->w;
	double r = bench_rng_unit (&g->rng);
	int form = r < 0.45 ? 0 : r < 0.8 ? 1 : 2;

	tick (g);
	if (bench_rng_unit (&g->rng) >= 0.02) {
		stamp (g, form);
		g_string_append_c (s, ' ');
	}
	if (op->side == RREC_SIDE_CLIENT) {
		guint from = 3000 + bench_rng_below (&g->rng, 999);

		if (op->type == RREC_MSG_REQUEST_ROUTE_CALL)
			g_string_append_printf (s, "request from %u(URS) message %s%s",
						from, name, end);
		else
			g_string_append_printf (s, "request from %u(%s_%s) message %s%s",
						from, desktops[bench_rng_below (&g->rng, 3)],
						bench_world_dn (w, op->this_dn), name, end);
		if (op->record)
			attr_list (g, "Extensions", w->extensions[op->record], end);
		attr_int (s, "ReferenceID", ++g->refid, end);
		if (op->type == RREC_MSG_REQUEST_ROUTE_CALL)
			g_string_append_printf (s, "\tAttributeRouteType\tRouteTypeDefault%s", end);
		if (op->msgid)
			attr_int (s, "PrivateMsgID", op->msgid, end);
		attr_str (s, "OtherDN", bench_world_dn (w, op->other_dn), end);
	} else {
		if (form == 0)
			g_string_append_printf (s, "[0] 8.1.103.95 distribute_event: "
						"message %s%s", name, end);
		else
			g_string_append_printf (s, "Trc 04541 message %s%s", name, end);
		if (op->user_data)
			attr_list (g, "UserData", w->user_data[op->user_data - 1], end);
		attr_int (s, "EventSequenceNumber", ++g->seq, end);
		attr_int (s, "TimeinSecs", 1715558400 + g->clock / 1000, end);
		attr_int (s, "TimeinuSecs", g->clock % 1000 * 1000, end);
		if (op->ani_dnis) {
			attr_str (s, "ANI", bench_world_dn (w, op->other_dn), end);
			attr_str (s, "DNIS", bench_world_dn (w, op->this_dn), end);
		}
		if (op->this_role >= 0)
			attr_int (s, "ThisDNRole", op->this_role, end);
		if (op->call_state >= 0)
			attr_int (s, "CallState", op->call_state, end);
		if (op->third_role >= 0)
			attr_int (s, "ThirdPartyDNRole", op->third_role, end);
		if (op->prev)
			attr_conn (s, op->type == RREC_MSG_EVENT_DIALING ?
				   "TransferConnID" : "PreviousConnID", op->prev, end);
		if (op->call_type >= 0)
			attr_int (s, "CallType", op->call_type, end);
		if (op->uuid)
			attr_str (s, "CallUUID", w->uuids[op->uuid - 1], end);
		attr_str (s, "ThirdPartyDN", bench_world_dn (w, op->third_dn), end);
		attr_str (s, "OtherDN", bench_world_dn (w, op->other_dn), end);
	}
	attr_str (s, "ThisDN", bench_world_dn (w, op->this_dn), end);
	attr_conn (s, "ConnID", op->conn, end);
	other_lines (g);
}

/* gen-log.py's world: agents 7001…7120, every fifth with record = true. */
static BenchWorld *
genlog_world (void)
{
	return bench_world_new (96, 24, 7001, TRUE);
}

/* About @size bytes of log (it stops after the block that reaches it). */
static GString *
generate (const BenchWorld *w, gsize size, guint64 seed)
{
	Gen g = { 0 };
	BenchOp op;

	g.out = g_string_sized_new (size + 4096);
	g.w = w;
	g.rng.s = seed * 0x9e3779b97f4a7c15ULL + 7;
	/* 32 calls in progress, gen-log.py's default */
	g.calls = bench_calls_new (seed, 32, w->n_plain, w->n_agents - w->n_plain,
				   0.3);
	g.clock = START_MS;
	g.day = 13;
	g.seq = 1000000;
	g.avg_step = CLAMP ((DAY_MS - START_MS - 600000) /
			    (double) MAX (size / AVG_BLOCK_BYTES, 1), 1.0, 200.0);
	while (g.out->len < size && bench_calls_next (g.calls, &op))
		block (&g, &op);
	bench_calls_free (g.calls);
	return g.out;
}

/* ---- reader.mb_per_s ------------------------------------------------------------ */

typedef struct {
	guint64 blocks, errors, attributes, unread;
} Count;

static void
count_block (const RrecLogBlock *blk, gpointer user_data)
{
	Count *c = user_data;

	c->blocks++;
	c->attributes += blk->attributes->len;
	if (blk->attributes_skipped)
		c->unread++;
}

static void
count_error (const char *file, guint64 line, const char *message,
	     gpointer user_data)
{
	((Count *) user_data)->errors++;
}

#define FEED_CHUNK (256 * 1024)

static double
read_once (const GString *log, Count *c)
{
	RrecLogReader *r = rrec_log_reader_new (NULL, count_block, count_error, c);
	gint64 t0 = bench_now_ns ();

	rrec_log_reader_set_filter (r, rrec_engine_wants_message, NULL);
	for (gsize off = 0; off < log->len; off += FEED_CHUNK)
		rrec_log_reader_feed (r, log->str + off, MIN (FEED_CHUNK, log->len - off));
	rrec_log_reader_finish (r);
	gint64 ns = bench_now_ns () - t0;
	rrec_log_reader_free (r);
	return log->len / 1e6 / (ns / 1e9);
}

/* `wc -l FILE` on the same bytes, process start included. */
static double
wc_once (const char *path, gsize len, GError **error)
{
	const char *argv[] = { "wc", "-l", path, NULL };
	int status;
	gint64 t0 = bench_now_ns ();

	if (!g_spawn_sync (NULL, (char **) argv, NULL,
			   G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
			   NULL, NULL, NULL, &status, error) ||
	    !g_spawn_check_wait_status (status, error))
		return 0;
	return len / 1e6 / ((bench_now_ns () - t0) / 1e9);
}

void
bench_reader (Bench *b)
{
	gsize size = b->quick ? (1 << 20) : b->full ? (1024u << 20) : (128u << 20);
	guint reps = b->quick ? 1 : 2;
	BenchWorld *w = genlog_world ();
	g_autoptr (GError) error = NULL;
	double best = 0, best_wc = 0;
	Count c = { 0 };

	bench_progress (b, "reader: writing a %.0f MB log", size / 1e6);
	GString *log = generate (w, size, 1);
	g_autofree char *path = NULL;
	int fd = g_file_open_tmp ("rrec-bench-XXXXXX.log", &path, &error);

	if (fd < 0 || !g_file_set_contents (path, log->str, log->len, &error)) {
		g_printerr ("rrec bench: %s\n", error->message);
		b->failed = TRUE;
	}
	if (fd >= 0)
		close (fd);
	bench_progress (b, "reader: %.0f MB, and wc -l on the same bytes", log->len / 1e6);
	for (guint rep = 0; rep < reps; rep++) {
		/* MAX() evaluates its arguments twice: one run per rep */
		double mb_s, wc_mb_s;

		memset (&c, 0, sizeof c);
		mb_s = read_once (log, &c);
		best = MAX (best, mb_s);
		if (path && error == NULL) {
			wc_mb_s = wc_once (path, log->len, &error);
			best_wc = MAX (best_wc, wc_mb_s);
		}
	}
	if (error) {
		g_printerr ("rrec bench: wc -l: %s\n", error->message);
		b->failed = TRUE;
	}
	if (c.errors > 0) {
		g_printerr ("rrec bench: the reader refused %" G_GUINT64_FORMAT
			    " blocks of the generated log\n", c.errors);
		b->failed = TRUE;
	}
	/* gen-log.py's logs hold only messages the engine follows: the
	 * filter leaves every block whole, the figure is that of reading
	 * everything (as `rrec parse` does) */
	g_autofree char *note = g_strdup_printf (
		"%.0f MB generated in memory (gen-log.py's format), %" G_GUINT64_FORMAT
		" blocks, %" G_GUINT64_FORMAT " attributes, fed in 256 KiB chunks, "
		"best of %u; with the engine's filter, which left %" G_GUINT64_FORMAT
		" blocks' attributes unread%s", log->len / 1e6, c.blocks, c.attributes,
		reps, c.unread, c.unread == 0 ? " (the figure is that of reading "
		"everything)" : "");
	BenchResult *r = bench_add (b, "reader.mb_per_s", best, "MB/s", note);
	bench_add (b, "reader.wc_l.mb_per_s", best_wc, "MB/s",
		   "wc -l on a temporary file of the same bytes (page cache warm), "
		   "process start included");
	bench_set_baseline (b, r, "reader.wc_l.mb_per_s");
	if (path)
		g_unlink (path);
	g_string_free (log, TRUE);
	bench_world_free (w);
}

/* ---- replay.mb_per_s ---------------------------------------------------------------- */

void
bench_replay (Bench *b)
{
	gsize size = b->quick ? (256 << 10) : b->full ? (256u << 20) : (24u << 20);
	BenchWorld *w = genlog_world ();
	g_autofree char *ini = bench_world_config (w, 3);
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_data (ini, strlen (ini),
								    "<bench>", &error);
	FILE *null = fopen ("/dev/null", "w");

	g_assert_no_error (error);
	if (null == NULL)
		g_error ("rrec bench: /dev/null: %s", g_strerror (errno));
	setvbuf (null, NULL, _IOFBF, 1 << 20);	/* as cmd-replay.c has stdout */
	bench_progress (b, "replay: writing a %.0f MB log", size / 1e6);
	GString *log = generate (w, size, 2);

	bench_progress (b, "replay --json: %.0f MB", log->len / 1e6);
	/* what `rrec replay --json` does with a file, output to /dev/null */
	guint64 allocs0 = bench_allocs ();
	gint64 t0 = bench_now_ns ();
	bench_allocs_count (TRUE);
	RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON |
					 RREC_REPLAY_BUFFERED, null, null);

	for (gsize off = 0; off < log->len; off += FEED_CHUNK)
		rrec_replay_feed (r, "<bench>", log->str + off,
				  MIN (FEED_CHUNK, log->len - off));
	rrec_replay_end_file (r);
	guint64 blocks = rrec_replay_get_blocks (r);
	int status = rrec_replay_finish (r);
	bench_allocs_count (FALSE);
	gint64 ns = bench_now_ns () - t0;
	guint64 allocs = bench_allocs () - allocs0;

	rrec_replay_free (r);
	if (status != 0) {
		g_printerr ("rrec bench: replay skipped blocks of the generated log\n");
		b->failed = TRUE;
	}
	g_autofree char *per_block = bench_allocs_available () ?
		g_strdup_printf ("; %.2f calls to malloc, calloc and realloc per "
				 "block (%" G_GUINT64_FORMAT " blocks)",
				 allocs / (double) MAX (blocks, 1), blocks) :
		g_strdup ("");
	g_autofree char *note = g_strdup_printf (
		"%.0f MB generated, replayed with the simulator, JSON actions "
		"to /dev/null (a 1 MiB stdio buffer)%s", log->len / 1e6, per_block);
	bench_add (b, "replay.mb_per_s", log->len / 1e6 / (ns / 1e9), "MB/s", note);
	fclose (null);
	g_string_free (log, TRUE);
	bench_world_free (w);
}
