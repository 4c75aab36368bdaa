/*
 * engine.c — `rrec bench`'s engine measurements: events per second through
 * rrec_engine_feed() at 1k, 10k and 100k calls in progress, and the memory
 * the engine holds per call and per recording session.
 *
 * A healthy SIP Server is simulated as tools/replay.c does: every dialled
 * leg comes up and every GSIP request is acknowledged, once the engine is
 * done with the message that caused it.
 */
#include <malloc.h>
#include <string.h>

#include "bench.h"
#include "rrec-sipsim.h"

/* ---- the host, with the simulated SIP Server (src/sim/sipsim.c) ----------- */

typedef struct {
	RrecEngine *engine;
	RrecSipSim *sim;
	guint64 actions;
	guint64 events;		/* rrec_engine_feed() calls */
	guint64 failed;		/* feeds the engine refused */
	gint64 now;
	GPtrArray *seen;	/* NULL, or every action as text (the check) */
} Host;

static void
on_action (const RrecAction *a, gpointer user_data)
{
	Host *h = user_data;

	h->actions++;
	if (h->seen)
		g_ptr_array_add (h->seen, rrec_action_to_string (a));
	rrec_sip_sim_hear (h->sim, a);
}

static void
host_init (Host *h, RrecConfig *config)
{
	RrecHostCallbacks cb = {
		on_action, on_action, on_action, on_action, on_action,
		on_action, on_action, NULL,
	};

	memset (h, 0, sizeof *h);
	/* the legs are not kept: the memory measured is the engine's */
	h->sim = rrec_sip_sim_new ("annc", 0x5e00000000000000ULL, FALSE);
	h->engine = rrec_engine_new (config, &cb, h);
}

static void
host_clear (Host *h)
{
	rrec_engine_free (h->engine);
	rrec_sip_sim_free (h->sim);
}

static void
feed (Host *h, const RrecMessage *m)
{
	h->events++;
	if (!rrec_engine_feed (h->engine, m, NULL))
		h->failed++;
}

/* The answers the engine's last message asked for (§6 of behaviour.md). */
static void
sim_answer (Host *h)
{
	RrecMessage m;

	while (rrec_sip_sim_next (h->sim, &m))
		feed (h, &m);
}

/* ---- messages ------------------------------------------------------------------ */

static void
conn_text (guint32 conn, char out[17])
{
	static const char hex[] = "0123456789abcdef";
	guint64 v = BENCH_CONN_BASE + conn;

	for (int i = 15; i >= 0; i--, v >>= 4)
		out[i] = hex[v & 15];
	out[16] = '\0';
}

/* A DN of the message, copied into @buf when it fits: the message's text
 * lies next to it, as a parser leaves it, not in the bench's table of
 * 10^5 DNs (whose cache misses are the bench's, not the engine's). */
#define DN_BUF 24

static const char *
dn_text (const char *dn, char buf[DN_BUF])
{
	gsize n = dn ? strlen (dn) : 0;

	if (dn == NULL || n >= DN_BUF)
		return dn;
	memcpy (buf, dn, n + 1);
	return buf;
}

/* @conn, @prev, @dns: buffers that live as long as the message. */
static void
render (const BenchWorld *w, const BenchOp *op, RrecMessage *m,
	char conn[17], char prev[17], char dns[3][DN_BUF], gint64 *refid)
{
	rrec_message_init (m, op->side, op->type);
	conn_text (op->conn, conn);
	m->conn_id = conn;
	if (op->prev) {
		conn_text (op->prev, prev);
		if (op->type == RREC_MSG_EVENT_DIALING)
			m->transfer_conn_id = prev;
		else
			m->previous_conn_id = prev;
	}
	m->this_dn = dn_text (bench_world_dn (w, op->this_dn), dns[0]);
	m->other_dn = dn_text (bench_world_dn (w, op->other_dn), dns[1]);
	m->third_party_dn = dn_text (bench_world_dn (w, op->third_dn), dns[2]);
	if (op->this_role >= 0)
		m->this_dn_role = op->this_role;
	if (op->third_role >= 0)
		m->third_party_dn_role = op->third_role;
	if (op->call_type >= 0)
		m->call_type = op->call_type;
	if (op->call_state >= 0)
		m->call_state = op->call_state;
	if (op->uuid)
		m->call_uuid = w->uuids[op->uuid - 1];
	if (op->ani_dnis) {
		m->ani = m->other_dn;
		m->dnis = m->this_dn;
	}
	if (op->user_data)
		m->user_data = w->user_data[op->user_data - 1];
	if (op->record)
		m->extensions = w->extensions[op->record];
	if (op->side == RREC_SIDE_CLIENT) {
		m->reference_id = ++*refid;
		if (op->msgid)
			m->private_msg_id = op->msgid;
	}
}

/* Messages are rendered a chunk at a time, outside the timed part
 * (8192 messages, 2.2 MB; -DCHUNK=N sets it).  A chunk of 256 (70 KB,
 * which stays in L2 while it is fed) took a quarter of the 100k part's
 * misses in callgrind's simulated 1 MB L2 away, but no wall-clock time
 * in alternated runs (8192 as fast or faster; round 7,
 * doc/performance.md): the rendered messages wait in L3, not in memory. */
#ifndef CHUNK
#define CHUNK 8192
#endif

typedef struct {
	RrecMessage msg[CHUNK];
	char conn[CHUNK][17];
	char prev[CHUNK][17];
	char dns[CHUNK][3][DN_BUF];
	guint n;
} Chunk;

static guint
fill (Chunk *k, BenchCalls *calls, const BenchWorld *w, guint64 max,
      gint64 *refid)
{
	BenchOp op;

	k->n = 0;
	while (k->n < CHUNK && k->n < max && bench_calls_next (calls, &op)) {
		render (w, &op, &k->msg[k->n], k->conn[k->n], k->prev[k->n],
			k->dns[k->n], refid);
		k->n++;
	}
	return k->n;
}

/* How many messages ahead the host hints the engine (rrec_engine_prefetch()),
 * as a host with a queue of messages would; 0: no hints. */
#ifndef LOOKAHEAD
#define LOOKAHEAD 8
#endif

/* A host's messages are in its cache when it feeds them: it has just
 * read them (a log's block parsed, an event taken off the wire).  The
 * bench's are rendered a chunk ahead (2.2 MB) and, with many calls in
 * progress, pushed out of the cache by the engine's memory before they
 * are fed: without this, the first read of each message (the hint's, or
 * the feed's without hints) waited for memory, a cost of the bench and
 * not of the engine.  So the bench asks for each message's lines this
 * many messages before it is hinted or fed, in both timed parts. */
#define HOST_AHEAD 16

static void
host_prefetch (const Chunk *k, guint j)
{
	const char *m = (const char *) &k->msg[j];

	for (gsize b = 0; b < sizeof k->msg[j]; b += 64)
		__builtin_prefetch (m + b);
	__builtin_prefetch (m + sizeof k->msg[j] - 1);
	__builtin_prefetch (k->conn[j]);
	__builtin_prefetch (k->prev[j]);
	__builtin_prefetch (k->dns[j]);
	__builtin_prefetch ((const char *) k->dns[j] + sizeof k->dns[j] - 1);
}

/* Feeds a chunk as a host would: the clock moves 1 ms per message, the
 * simulator answers after each; with @ahead > 0, each message is hinted
 * @ahead messages before it is fed. */
static void
feed_chunk_ahead (Host *h, const Chunk *k, guint ahead)
{
	guint lead = ahead + HOST_AHEAD;

	for (guint j = 0; j < MIN (lead, k->n); j++)
		host_prefetch (k, j);
	for (guint j = 0; j < MIN (ahead, k->n); j++)
		rrec_engine_prefetch (h->engine, &k->msg[j]);
	for (guint i = 0; i < k->n; i++) {
		if (i + lead < k->n)
			host_prefetch (k, i + lead);
		if (ahead && i + ahead < k->n)
			rrec_engine_prefetch (h->engine, &k->msg[i + ahead]);
		rrec_engine_advance (h->engine, ++h->now);
		feed (h, &k->msg[i]);
		sim_answer (h);
	}
}

static void
feed_chunk (Host *h, const Chunk *k, gboolean lookahead)
{
	feed_chunk_ahead (h, k, lookahead ? LOOKAHEAD : 0);
}

/* The timed part, kept out of line so that a profiler can be told to
 * count inside it alone (`valgrind --tool=callgrind
 * --toggle-collect=bench_engine_timed`), or inside the chunks with hints
 * alone (bench_engine_timed_hints) or without (bench_engine_timed_plain). */
G_GNUC_NO_INLINE void bench_engine_timed (Host *h, const Chunk *k, gboolean lookahead);
G_GNUC_NO_INLINE void bench_engine_timed_hints (Host *h, const Chunk *k);
G_GNUC_NO_INLINE void bench_engine_timed_plain (Host *h, const Chunk *k);

void
bench_engine_timed_hints (Host *h, const Chunk *k)
{
	feed_chunk (h, k, TRUE);
}

void
bench_engine_timed_plain (Host *h, const Chunk *k)
{
	feed_chunk (h, k, FALSE);
}

void
bench_engine_timed (Host *h, const Chunk *k, gboolean lookahead)
{
	if (lookahead)
		bench_engine_timed_hints (h, k);
	else
		bench_engine_timed_plain (h, k);
}

/* ---- events per second --------------------------------------------------------- */

/* @name was measured in this run (RREC_BENCH_ENGINE_SIZES may leave a
 * baseline out: the figure then shows none). */
static gboolean
bench_has (Bench *b, const char *name)
{
	for (guint i = 0; i < b->results->len; i++)
		if (strcmp (((BenchResult *) g_ptr_array_index (b->results, i))->name, name) == 0)
			return TRUE;
	return FALSE;
}

/* The agents of the traffic at @c calls in progress: plain ones for twice
 * the calls, record = true ones for 40 % of them. */
#define PLAIN_AGENTS(c) ((c) * 2 + 64)
#define RECORD_AGENTS(c) ((c) * 4 / 10 + 16)

/* The world of that traffic, and its configuration. */
static RrecConfig *
traffic_world (guint concurrency, BenchWorld **w)
{
	g_autoptr (GError) error = NULL;

	*w = bench_world_new (PLAIN_AGENTS (concurrency),
			      RECORD_AGENTS (concurrency), 1000000, FALSE);
	g_autofree char *ini = bench_world_config (*w, 6);
	RrecConfig *config = rrec_config_new_from_data (ini, strlen (ini),
							"<bench>", &error);

	g_assert_no_error (error);
	return config;
}

/* About a third of the calls are recorded: 27 % start on a record = true
 * agent, 6 % are routed through the record = true routing point; client
 * STARTs (on a few others), PAUSEs and RESUMEs come on top. */
static BenchCalls *
traffic_calls (guint concurrency)
{
	return bench_calls_new (concurrency, concurrency, PLAIN_AGENTS (concurrency),
				RECORD_AGENTS (concurrency), 0.27);
}

static BenchResult *
engine_rate (Bench *b, const char *label, guint concurrency, guint64 timed_msgs)
{
	BenchWorld *w;
	g_autoptr (RrecConfig) config = traffic_world (concurrency, &w);
	BenchCalls *calls = traffic_calls (concurrency);
	Chunk *k = g_new (Chunk, 1);
	Host h;
	gint64 refid = 0;
	guint64 warm, events0;
	RrecEngineCounters cnt;

	host_init (&h, config);

	/* Warm-up, untimed: every call in progress has begun, most are
	 * established, so the engine holds @concurrency calls; and calls have
	 * ended and been replaced for long enough that the engine's kept
	 * memory (core.c's free lists) serves new calls: the steady state.
	 * With 4 messages per call the 100k engine was still growing through
	 * the timed part (93,952 -> 96,645 calls) and allocating for it. */
	bench_progress (b, "engine %s: %u calls in progress", label, concurrency);
	warm = (guint64) concurrency * 12;
	while (warm > 0 && fill (k, calls, w, warm, &refid) > 0) {
		warm -= k->n;
		feed_chunk (&h, k, TRUE);
	}
	guint active_before = rrec_engine_active_calls (h.engine);
	guint64 allocs0 = bench_allocs ();
	guint64 misses0 = bench_misses ();
	/* Chunks alternate, with the host's look-ahead and without: the two
	 * figures come from the same traffic, the same engine, the same load
	 * on the machine.  [0]: without, [1]: with. */
	gint64 ns[2] = { 0, 0 };
	guint64 msgs[2] = { 0, 0 }, evs[2] = { 0, 0 }, all_events = 0;
	for (guint chunk = 0; msgs[0] < timed_msgs || msgs[1] < timed_msgs; chunk++) {
		guint la = chunk % 2 == 0;

		if (msgs[la] >= timed_msgs)
			la = !la;
		if (fill (k, calls, w, timed_msgs - msgs[la], &refid) == 0)
			break;
		events0 = h.events;
		gint64 t0 = bench_now_ns ();

		bench_allocs_count (TRUE);
		bench_misses_count (TRUE);
		bench_engine_timed (&h, k, la);
		bench_misses_count (FALSE);
		bench_allocs_count (FALSE);
		ns[la] += bench_now_ns () - t0;
		msgs[la] += k->n;
		evs[la] += h.events - events0;
		all_events += h.events - events0;
	}
	guint64 allocs = bench_allocs () - allocs0;
	guint64 misses = bench_misses () - misses0;
	guint64 events = evs[1];
	guint active_after = rrec_engine_active_calls (h.engine);
	rrec_engine_get_counters (h.engine, &cnt);

	g_autofree char *name = g_strdup_printf ("engine.events_per_s.%s", label);
	g_autofree char *note = g_strdup_printf (
		"%u calls in progress (engine: %u before, %u after), %" G_GUINT64_FORMAT
		" events timed (%" G_GUINT64_FORMAT " messages + simulator answers), "
		"%.0f ns/event, the host hinting each message %d messages ahead "
		"(rrec_engine_prefetch()) and asking for each message's own lines "
		"%d messages before that (as a host that has just read them has "
		"them in its cache); %" G_GUINT64_FORMAT " sessions of %"
		G_GUINT64_FORMAT " calls so far", concurrency, active_before,
		active_after, events, msgs[1], ns[1] / (double) MAX (events, 1),
		LOOKAHEAD, HOST_AHEAD, cnt.sessions, cnt.calls);
	BenchResult *r = bench_add (b, name, events / (ns[1] / 1e9), "events/s", note);
	g_autofree char *nname = g_strdup_printf ("%s.no_lookahead", name);
	g_autofree char *nnote = g_strdup_printf (
		"the same without the host's hints: %" G_GUINT64_FORMAT " events "
		"(%" G_GUINT64_FORMAT " messages), %.0f ns/event, in chunks of %d "
		"messages alternating with those of %s (the messages' own lines "
		"asked for as there)", evs[0], msgs[0],
		ns[0] / (double) MAX (evs[0], 1), CHUNK, name);
	BenchResult *nr = bench_add (b, nname, evs[0] / (ns[0] / 1e9), "events/s", nnote);
	if (strcmp (label, "1k") != 0 && bench_has (b, "engine.events_per_s.1k.no_lookahead"))
		bench_set_baseline (b, nr, "engine.events_per_s.1k.no_lookahead");
	events = all_events;
	if (bench_allocs_available ()) {
		g_autofree char *aname = g_strdup_printf ("engine.allocs_per_event.%s", label);
		g_autofree char *anote = g_strdup_printf (
			"%" G_GUINT64_FORMAT " calls to malloc, calloc and realloc "
			"in the timed part of %s and %s.no_lookahead (the "
			"engine's, GLib's and the simulator's answers'; GLib's slice "
			"magazines not seen) / their events", allocs, name, name);
		bench_add (b, aname, allocs / (double) MAX (events, 1), "allocs/event", anote);
	}
	/* only where the machine gives a counter (the report says why not) */
	if (bench_misses_available (NULL)) {
		g_autofree char *mname = g_strdup_printf ("engine.misses_per_event.%s", label);
		g_autofree char *mnote = g_strdup_printf (
			"%" G_GUINT64_FORMAT " hardware cache misses (perf_event_open, "
			"as perf stat -e cache-misses) in the timed part of %s, the "
			"simulator's answers included / its events", misses, name);
		BenchResult *mr = bench_add (b, mname, misses / (double) MAX (events, 1),
					     "misses/event", mnote);

		/* do the misses grow with the calls in progress */
		if (strcmp (label, "1k") != 0)
			bench_set_baseline (b, mr, "engine.misses_per_event.1k");
	}
	if (h.failed > 0 || cnt.malformed > 0) {
		g_printerr ("rrec bench: %s: the engine refused %" G_GUINT64_FORMAT
			    " messages\n", name, h.failed);
		b->failed = TRUE;
	}

	bench_calls_free (calls);
	host_clear (&h);
	bench_world_free (w);
	g_free (k);
	return r;
}

/*
 * The hint changes nothing (engine.h): engines fed the same traffic, one
 * without hints and others hinted at several distances (one beyond the
 * engine's own pipeline), must emit the same actions, in the same order,
 * with the same texts.  Untimed; a difference fails the run.
 */
static void
check_prefetch (Bench *b)
{
	static const guint aheads[] = { 0, 1, LOOKAHEAD, 40 };
	enum { N = G_N_ELEMENTS (aheads) };
	guint concurrency = b->quick ? 200 : 2000;
	guint64 msgs = b->quick ? 6000 : 60000;
	BenchWorld *w;
	g_autoptr (RrecConfig) config = traffic_world (concurrency, &w);
	BenchCalls *calls = traffic_calls (concurrency);
	Chunk *k = g_new (Chunk, 1);
	Host h[N];
	gint64 refid = 0;
	guint64 done = 0, compared = 0;
	gboolean same = TRUE;

	bench_progress (b, "engine: actions with and without look-ahead hints");
	for (guint i = 0; i < N; i++) {
		host_init (&h[i], config);
		h[i].seen = g_ptr_array_new_with_free_func (g_free);
	}
	while (same && done < msgs && fill (k, calls, w, msgs - done, &refid) > 0) {
		done += k->n;
		for (guint i = 0; i < N; i++)
			feed_chunk_ahead (&h[i], k, aheads[i]);
		for (guint i = 1; i < N && same; i++) {
			guint n = MAX (h[0].seen->len, h[i].seen->len);

			for (guint j = 0; j < n; j++) {
				const char *x = j < h[0].seen->len ? g_ptr_array_index (h[0].seen, j) : "(none)";
				const char *y = j < h[i].seen->len ? g_ptr_array_index (h[i].seen, j) : "(none)";

				if (strcmp (x, y) != 0) {
					g_printerr ("rrec bench: engine: action %" G_GUINT64_FORMAT
						    " differs with hints %u messages ahead:\n"
						    "  without: %s\n  with:    %s\n",
						    compared + j, aheads[i], x, y);
					same = FALSE;
					break;
				}
			}
		}
		compared += h[0].seen->len;
		for (guint i = 0; i < N; i++)
			g_ptr_array_set_size (h[i].seen, 0);
	}
	if (!same || compared == 0) {
		if (compared == 0)
			g_printerr ("rrec bench: engine: the look-ahead check saw no action\n");
		b->failed = TRUE;
	}
	for (guint i = 0; i < N; i++) {
		g_ptr_array_unref (h[i].seen);
		host_clear (&h[i]);
	}
	bench_calls_free (calls);
	bench_world_free (w);
	g_free (k);
}

void
bench_engine (Bench *b)
{
	check_prefetch (b);

	/* --quick keeps the names but runs 1/100 of the calls */
	guint scale = b->quick ? 100 : 1;
	guint64 timed = b->quick ? 20000 : b->full ? 2000000 : 300000;

	/* RREC_BENCH_ENGINE_SIZES=100k (a comma-separated list): only those
	 * sizes, for a profiler; their baselines are then missing */
	const char *sizes = g_getenv ("RREC_BENCH_ENGINE_SIZES");
	g_auto (GStrv) only = sizes ? g_strsplit (sizes, ",", -1) : NULL;
#define SIZE_WANTED(label) (only == NULL || g_strv_contains ((const char *const *) only, label))

	if (SIZE_WANTED ("1k"))
		engine_rate (b, "1k", 1000 / scale, timed);
	/* the cost per event should not grow with the calls in progress */
	if (SIZE_WANTED ("10k")) {
		BenchResult *r = engine_rate (b, "10k", 10000 / scale, timed);

		if (bench_has (b, "engine.events_per_s.1k"))
			bench_set_baseline (b, r, "engine.events_per_s.1k");
	}
	if (SIZE_WANTED ("100k")) {
		BenchResult *r = engine_rate (b, "100k", 100000 / scale, timed);

		if (bench_has (b, "engine.events_per_s.1k"))
			bench_set_baseline (b, r, "engine.events_per_s.1k");
	}
#undef SIZE_WANTED
}

/* ---- memory -------------------------------------------------------------------- */

/* Bytes malloc has handed out and not taken back.  GLib allocates through
 * malloc (its slice allocator takes its pages from there too), so this
 * sees the engine's hash tables, calls, parties, strings and sessions. */
static gint64
heap_in_use (void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi = mallinfo2 ();

	return (gint64) mi.uordblks;
#else
	return 0;
#endif
}

/*
 * @n inbound calls, each ringing then established on its own agent with
 * the caller's ANI, DNIS, CallUUID and user data (M1), left in progress.
 * With @record the agents have record = true: every call then has a
 * session whose leg is up, START and the user data acknowledged.
 * Returns the bytes the engine gained.
 */
static gint64
memory_of (guint n, gboolean record, guint64 *sessions, gint64 *mapped)
{
	BenchWorld *w = bench_world_new (record ? 0 : n, record ? n : 0,
					 1000000, FALSE);
	g_autofree char *ini = bench_world_config (w, 6);
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_data (ini, strlen (ini),
								    "<bench>", &error);
	Host h;
	gint64 before, after;
	char conn[17];
	RrecEngineCounters cnt;

	g_assert_no_error (error);
	host_init (&h, config);
	/* what malloc holds, and what the engine maps itself (its arena and
	 * big tables, region.h), which mallinfo2() does not see */
	before = heap_in_use () + (gint64) rrec_engine_memory_mapped (h.engine);
	for (guint i = 0; i < n; i++) {
		RrecMessage m;
		const char *agent = w->agents[i];
		const char *caller = w->externals[i % BENCH_N_EXTERNAL];

		conn_text (i + 1, conn);
		rrec_message_init (&m, RREC_SIDE_SKYPE, RREC_MSG_EVENT_RINGING);
		m.conn_id = conn;
		m.this_dn = agent;
		m.other_dn = caller;
		m.call_type = RREC_CALL_TYPE_INBOUND;
		m.call_uuid = w->uuids[i % BENCH_N_UUIDS];
		m.ani = caller;
		m.dnis = agent;
		m.user_data = w->user_data[i % BENCH_N_USERDATA];
		feed (&h, &m);
		sim_answer (&h);
		rrec_message_init (&m, RREC_SIDE_SKYPE, RREC_MSG_EVENT_ESTABLISHED);
		m.conn_id = conn;
		m.this_dn = agent;
		m.other_dn = caller;
		feed (&h, &m);
		sim_answer (&h);
	}
	after = heap_in_use () + (gint64) rrec_engine_memory_mapped (h.engine);
	*mapped = (gint64) rrec_engine_memory_mapped (h.engine);
	rrec_engine_get_counters (h.engine, &cnt);
	*sessions = cnt.sessions;
	g_assert (rrec_engine_active_calls (h.engine) == n);
	host_clear (&h);
	bench_world_free (w);
	return after - before;
}

void
bench_memory (Bench *b)
{
	guint n = b->quick ? 1000 : 100000;
	guint64 s_plain = 0, s_rec = 0;
	gint64 m_plain = 0, m_rec = 0;

	bench_progress (b, "memory: %u calls, without and with recording", n);
	gint64 plain = memory_of (n, FALSE, &s_plain, &m_plain);
	gint64 rec = memory_of (n, TRUE, &s_rec, &m_rec);
	g_autofree char *method = g_strdup_printf (
		"mallinfo2() uordblks before and after, glibc malloc (GLib "
		"allocates through it), plus the memory the engine mapped itself "
		"(rrec_engine_memory_mapped(): %.1f MB without recording, %.1f MB "
		"with, whole 2 MiB pages counted)", m_plain / 1e6, m_rec / 1e6);

	g_autofree char *n1 = g_strdup_printf (
		"%u established inbound calls with user data, no recording: "
		"heap growth / calls; %s", n, method);
	bench_add (b, "engine.bytes_per_call.100k", (double) plain / n, "bytes", n1);
	g_autofree char *n2 = g_strdup_printf (
		"the same %u calls on record = true agents, each with a session "
		"recording (%" G_GUINT64_FORMAT " sessions): (growth - growth without "
		"recording) / sessions", n, s_rec);
	bench_add (b, "engine.bytes_per_session.100k",
		   s_rec ? (double) (rec - plain) / s_rec : 0, "bytes", n2);
	if (s_plain != 0 || s_rec != n) {
		g_printerr ("rrec bench: memory: expected 0 and %u sessions, got %"
			    G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT "\n", n,
			    s_plain, s_rec);
		b->failed = TRUE;
	}
}
