/*
 * core.h — the engine's core: what every machine binding shares and none
 * owns.  Actions to the host (each with its rule), the FIFO of posted
 * machine events and the loop that drains it, the timers, the numbered
 * requests to SIP Server.  The core names no machine event: the engine
 * (engine.c) gives it the functions that run a posted event and fire a
 * timer (RrecEngineHooks).
 *
 * Layers, each using only those before it (no cycle):
 *   core → model (calls, parties, sessions as data) → the bindings of the
 *   machines (call.c, session.c, link.c) and the gap ledger (gaps.c) →
 *   classify.c (T-Library messages into machine events) → engine.c (the
 *   public API, life, clock, store), engine-state.c, reconcile.c.
 */
#pragma once

#include <string.h>

#include "rrec/engine.h"
#include "rrec-fsm.h"
#include "rrec-filename.h"
#include "rrec-portpool.h"
#include "rrec-store.h"
#include "rrec-uri-pattern.h"
#include "dntab.h"
#include "idmap.h"
#include "region.h"
#include "textarena.h"

typedef struct _Call Call;

/* rrec_core_mem_take(): blocks up to this size are kept for reuse */
#define RREC_CORE_MEM_CLASSES 64
typedef struct _Session Session;

typedef enum {
	TIMER_SETUP = 0,	/* recording-setup-tout (R25, R27) */
	TIMER_REDIAL,		/* reestablish-recording-tout (R25) */
	TIMER_LINK_RETRY,	/* reconnect-timeout (R24) */
	TIMER_QUERY,		/* recording-setup-tout for a leg query (R33) */
} TimerKind;

/* Request.op of a leg query (RequestQueryCall, R33) */
#define RREC_QUERY_OP 108

typedef struct {
	gint64 due;
	guint64 id;
} TimerKey;

typedef struct _Timer {
	TimerKey key;
	guint8 kind;
	guint32 at;		/* its place in RrecTimers.v while pending */
	guint64 call_id;
	guint32 serial;
} Timer;

/*
 * The pending timers: a binary heap in an array, the earliest (due, id)
 * first, so that timers due at the same time fire in the order they were
 * set (ids are given in order).  Each timer knows its place (Timer.at):
 * a cancel is O(log n), a timer set or fired costs no allocation once the
 * array has held as many (the Timers themselves come from a free list).
 */
typedef struct {
	Timer **v;
	guint len;
	guint cap;
	TimerKey top;		/* no pending timer's key is above it (the
				 * last set, or a restored one): a restored
				 * timer above it needs no duplicate search */
} RrecTimers;

/* A GSIP request to SIP Server awaiting its answer: in RrecEngine.requests
 * by refid (its answer finds it), and in its session's list (the session's
 * end and its query's time-out find it there, not by a walk of every
 * request in flight). */
typedef struct _Request Request;
struct _Request {
	gint64 refid;
	guint64 call_id;
	guint32 serial;
	int op;			/* RrecGsipOp, or 0 for a user-data update */
	Request *next;		/* the next in its session's list */
	Request **prev;		/* what points to it there (the list's head or
				 * the previous one's next); NULL: in no list */
};

/* The machine a posted event is for. */
typedef enum {
	TARGET_CALL = 0,
	TARGET_SESSION,
	TARGET_LINK,
} Target;

/* An event posted to a machine; handled in order once the current step is
 * done, so that no machine is re-entered from its own actions. */
typedef struct {
	guint8 target;
	guint8 event;
	guint64 call_id;
	guint32 serial;
	guint32 dn_id;		/* dn's id in the DN table when the poster
				 * knew it, else 0 (valid until the step's
				 * end: rrec_dn_table_sweep() runs after the
				 * queue is empty) */
	gint64 refid;		/* a client request's ReferenceID, or -1 */
	/* the strings are the queue's (rrec_core_post_text()) */
	const char *dn;		/* the requesting DN */
	const char *scope;	/* a client START's scope DN (R4, R5), or NULL */
	const char *reason;	/* why, for release-leg */
	guint64 new_id;		/* RENAMED: the call's new ConnID (R32) */
	const char *leg;	/* a SIP-side leg event's ConnID and DNIS, as */
	const char *port;	/* the message gave them, or NULL */
} Posted;

/* What the core calls but does not know: given by engine.c. */
typedef struct {
	/* runs one posted event through its machine */
	void (*run) (RrecEngine *e, Posted *p);
	/* the queue is empty and events wait for that (rrec_core_post_later()):
	 * TRUE when more was posted (R30).  Not called while none waits */
	gboolean (*settle) (RrecEngine *e);
	/* the step is over (ended calls are freed) */
	void (*finish) (RrecEngine *e);
	/* a timer is due (it is out of the tree; the core frees it) */
	void (*fire) (RrecEngine *e, Timer *t);
} RrecEngineHooks;

struct _RrecEngine {
	RrecConfig *config;
	RrecHostCallbacks cb;
	gpointer user_data;
	const RrecEngineHooks *hooks;
	const RrecUriPattern *pattern;
	const RrecFilenameTemplate *fname;	/* recording-filename (R29) */
	RrecPortPool *pool;

	RrecIdMap calls;	/* ConnID -> Call* */
	RrecIdMap by_port;	/* port -> Session* */
	RrecIdMap by_leg;	/* rrec_engine_leg_key (leg ConnID) -> Session* */
	RrecDnTable dns;	/* every DN the engine knows, by id: the
				 * configured ones, those seen as ThisDN
				 * (§3), those its parties name */
	GHashTable *orphaned;	/* leg ConnIDs released as orphans (R20): not
				 * released twice; at most 256 */
	GHashTable *requests;	/* refid -> Request* (rrec_core_request_drop()) */
	guint64 request_visits;	/* requests read by the look-ups of a
				 * session's own (session.c, rename.c,
				 * store-rows.c): for the tests that check
				 * an event reads only the requests of its
				 * session; not saved */
	RrecTimers *timers;	/* pending, earliest first (core.c) */
	gpointer spare_requests;	/* Requests and Timers done with, kept */
	gpointer spare_timers;		/* for the next: no malloc for each */
	/* Posted, a FIFO from posted_head on, in an array that grows and is
	 * kept: no allocation per event, and no library call per post */
	Posted *posted;
	guint posted_len, posted_cap, posted_head;
	RrecTextArena posted_text;	/* the posted events' strings, emptied
					 * with the queue (core.c) */
	GPtrArray *dead;	/* Call* ended, freed after the step */
	GByteArray *kv_scratch;	/* an event's user data packed, to compare
				 * with the call's: kept between events */
	GPtrArray *spare_kv;	/* RrecKvLists emptied, for the next action's
				 * data (rrec_core_kv_take()); NULL at first */
	/* blocks of ended calls kept for new ones, by size class
	 * (rrec_core_mem_take()); each list through the blocks' first word */
	gpointer spare_mem[RREC_CORE_MEM_CLASSES];
	guint32 n_spare_mem[RREC_CORE_MEM_CLASSES];
	guint64 spare_mem_held;	/* bit i: spare_mem[i] holds a block */
	RrecArena arena;	/* where those blocks and the calls are carved
				 * (region.h): huge pages, no malloc each */
	GString *name_scratch;	/* a gap ledger's text (R28) being made:
				 * kept */

	guint8 link_state;	/* RrecLinkState */
	guint link_attempts;
	Timer *link_timer;
	gboolean alarm_no_port;
	gboolean alarm_link;
	gboolean alarm_failing;	/* recording-failing (R35) */
	guint32 failures;	/* failed starts or re-dials in a row (R35) */
	gint64 link_down_at;	/* when the link was last lost (R33) */
	gboolean alarm_store;	/* the state store failed (not saved: it is
				 * about this process) */
	RrecStore *store;	/* NULL: no store */
	gboolean restored;	/* restored, not reconciled since: the next
				 * reconcile is a restart's, any later one an
				 * audit (R31); about this process, not saved */

	gint64 now;
	char date[11];
	/* date as its UTC midnight, for the file names (R29): made when a
	 * session first needs it and again only when date has changed */
	GDateTime *day;
	char day_of[11];	/* the date it was made from */
	int day_ymd[3];		/* day's year, month and day of month */
	gint64 next_refid;
	guint64 next_timer_id;
	guint64 next_call_seq;
	GArray *later;		/* Posted: events that wait for the queue
				 * to be empty (R30), in order */
	struct _RrecWaitQueue *waiting;	/* the calls in the call table's
				 * `waiting` state, oldest first (R30;
				 * call.c), NULL until the first waits */
	guint32 drain_gen;	/* counts the drains done (from 1): a call
				 * whose start failed in this one has it */
	RrecEngineCounters counters;
	gboolean draining;
	const char *rule;	/* the rule of the row action running now
				 * (RrecFsmBinding.rule), NULL between rows */
	struct _RrecLookahead *lookahead;	/* rrec_engine_prefetch()'s
						 * (engine.c), NULL until used */
	struct _CallBlocks *call_blocks;	/* the calls' memory (model.c),
						 * NULL until the first call */
};

#define LEN(a) ((a) ? (a)->len : 0u)

/*
 * The engine's arena (region.h) serves an engine of many calls only: once
 * it holds RREC_ARENA_FROM_CALLS calls at once, new calls and call-lived
 * blocks are carved from it (blocks malloc'd before go back to malloc when
 * given back).  An engine that never grows so large (a test's, the
 * explorer's hundreds of thousands, a short replay) maps nothing and pays
 * no mmap, page fault or munmap of its own.  NULL: malloc the block.
 */
#ifndef RREC_ARENA_FROM_CALLS	/* -DRREC_ARENA_FROM_CALLS=0: every engine
				 * (a build to test the arena with every test) */
#define RREC_ARENA_FROM_CALLS 256
#endif

static inline gpointer
rrec_core_carve (RrecEngine *e, gsize size, gsize align)
{
#if RREC_ARENA_FROM_CALLS > 0
	if (e->arena.base == NULL && e->calls.n < RREC_ARENA_FROM_CALLS)
		return NULL;
#endif
	return rrec_arena_carve (&e->arena, size, align);
}

/*
 * A short text made for one action: on the stack, on the heap only when it
 * is longer than the buffer (a port's prefix, a CallUUID of unusual
 * length).  Declare it `g_auto (RrecText) t = RREC_TEXT_INIT;`.
 */
typedef struct {
	char *heap;
	char buf[96];
} RrecText;

#define RREC_TEXT_INIT { NULL, { 0 } }

static inline void
rrec_text_clear (RrecText *t)
{
	g_clear_pointer (&t->heap, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RrecText, rrec_text_clear)

/* @t set to @text, a '-' and @n in decimal (any earlier text of @t
 * replaced; @text is not @t's own): what "%s-%u" prints, without printf
 * (a recording id at each dial, R34). */
const char *rrec_text_dash_number (RrecText *t, const char *text, guint32 n);

/*
 * An array of pointers of a call (its waiters), made and
 * grown from the engine's blocks.  Its members are named as GPtrArray's,
 * so that g_ptr_array_index() and ->len read it as they read one.
 */
typedef struct {
	guint len;
	guint cap;
	gpointer pdata[];
} RrecPtrs;

static inline GPtrArray *
lazy_array (GPtrArray **a, GDestroyNotify free_func)
{
	if (*a == NULL)
		*a = g_ptr_array_new_full (1, free_func);
	return *a;
}

/* The value of a hex digit (either case), -1 for any other byte. */
static inline int
rrec_hex_value (char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Eight ASCII hex digits (either case) in one little-endian word: TRUE
 * and their value, the first character the highest digit; FALSE when any
 * byte is not a hex digit.  A lane is a digit when it lies in '0'..'9',
 * or, with 0x20 set, in 'a'..'f': the range checks add to each byte what
 * carries exactly the bytes in range into their top bit, which no lane
 * can overflow once every top bit is known clear. */
static inline gboolean
rrec_hex8_parse (guint64 w, guint64 *out)
{
	const guint64 ones = 0x0101010101010101ULL, tops = 0x8080808080808080ULL;
	guint64 lower = w | 0x20 * ones;
	guint64 digit = (w + 0x50 * ones) & ~(w + 0x46 * ones);
	guint64 letter = (lower + 0x1f * ones) & ~(lower + 0x19 * ones);

	if ((w & tops) != 0 || ((digit | letter) & tops) != tops)
		return FALSE;
	/* a digit's low nibble is its value; a letter's, its value minus 9 */
	w = (w & 0x0f * ones) + ((w & 0x40 * ones) >> 6) * 9;
	w = ((w & 0x000f000f000f000fULL) << 4) | ((w >> 8) & 0x000f000f000f000fULL);
	w = ((w & 0x000000ff000000ffULL) << 8) | ((w >> 16) & 0x000000ff000000ffULL);
	*out = ((w & 0xffffULL) << 16) | (w >> 32);
	return TRUE;
}

/* A ConnID: 1 to 16 hex digits.  The usual 16 are read eight at a time
 * (on little-endian machines), any other length a digit at a time. */
static inline gboolean
rrec_conn_parse (const char *text, guint64 *out)
{
	guint64 v = 0;
	gsize n = 0;

	if (text == NULL)
		return FALSE;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
	if (strnlen (text, 17) == 16) {
		guint64 w1, w2, hi, lo;

		memcpy (&w1, text, sizeof w1);
		memcpy (&w2, text + 8, sizeof w2);
		if (!rrec_hex8_parse (w1, &hi) || !rrec_hex8_parse (w2, &lo))
			return FALSE;
		*out = hi << 32 | lo;
		return TRUE;
	}
#endif
	for (const char *p = text; *p; p++, n++) {
		int d = rrec_hex_value (*p);

		if (d < 0 || n >= 16)
			return FALSE;
		v = v << 4 | (guint64) d;
	}
	if (n == 0)
		return FALSE;
	*out = v;
	return TRUE;
}

/* The eight hex digits of @v in lower case, as the bytes of a word in
 * memory order (the first the highest digit): the nibbles spread one to a
 * byte, then each byte made its digit's character at once, no loop over
 * the digits (a call's ConnID text is made at each new call). */
static inline guint64
rrec_hex8_format (guint32 v)
{
	const guint64 ones = 0x0101010101010101ULL;
	guint64 x = v;

	x = (x | x << 16) & 0x0000ffff0000ffffULL;
	x = (x | x << 8) & 0x00ff00ff00ff00ffULL;
	/* byte i from the low end: nibble i.  In memory the highest nibble
	 * comes first: on a big-endian machine it already does */
	x = (x | x << 4) & 0x0f0f0f0f0f0f0f0fULL;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
	x = GUINT64_SWAP_LE_BE (x);
#endif
	/* 'a' - '0' - 10 = 39 more for the lanes of 10 and up */
	return x + 0x30 * ones + (((x + 0x06 * ones) >> 4) & ones) * 39;
}

/* 16 lower-case hex digits, as "%016" G_GINT64_MODIFIER "x" writes them. */
static inline void
rrec_conn_string (guint64 id, char out[17])
{
	guint64 hi = rrec_hex8_format ((guint32) (id >> 32));
	guint64 lo = rrec_hex8_format ((guint32) id);

	memcpy (out, &hi, sizeof hi);
	memcpy (out + 8, &lo, sizeof lo);
	out[16] = '\0';
}

/* Hands @a to the host; an action of a row gets the rule the table gives
 * it (RrecEngine.rule), any other must name its own. */
void rrec_engine_emit (RrecEngine *e, RrecAction *a);
/* With a store the action is held until the step is committed
 * (rrec_store_hold(), the contract in engine.h). */
/* The same for an action that no rule of behaviour.md covers (the state
 * store's alarm): delivered now, as it is, never held. */
void rrec_engine_emit_unruled (RrecEngine *e, RrecAction *a);
/* To the host's callback now (a held action once its step is stored). */
void rrec_engine_deliver (RrecEngine *e, const RrecAction *a);

void rrec_core_post (RrecEngine *e, Target target, guint event,
		     guint64 call_id, guint32 serial, gint64 refid,
		     const char *dn, const char *reason);
/* A copy of @text (NULL: NULL) for a posted event's field, valid until the
 * queue has been run empty: strings of posted events cost no allocation. */
const char *rrec_core_post_text (RrecEngine *e, const char *text);
/* The event posted last (to add a client START's scope). */
Posted *rrec_core_last_posted (RrecEngine *e);
/* Posts an event that waits until the queue is empty: the settle hook
 * takes it (rrec_core_take_later()). */
void rrec_core_post_later (RrecEngine *e, Target target, guint event);
gboolean rrec_core_take_later (RrecEngine *e, Posted *p);
/* Runs every posted event, and what they post, to the end. */
void rrec_engine_drain (RrecEngine *e);
/* Frees what is still posted (the engine is freed). */
void rrec_core_drop_posted (RrecEngine *e);

/* One step of one machine, with the §7 bookkeeping (rejected events
 * counted, state changes traced with @label). */
RrecFsmResult rrec_engine_step (RrecEngine *e, const RrecFsmBinding *b,
				guint8 *state, guint event, gpointer owner,
				gconstpointer data, const char *label);

Timer *rrec_core_timer_add (RrecEngine *e, TimerKind kind, gint64 due,
			    guint64 call_id, guint32 serial);
void rrec_engine_timer_cancel (RrecEngine *e, Timer **timer);
RrecTimers *rrec_core_timers_new (void);
/* Frees the pending timers and @timers (the engine's end). */
void rrec_core_timers_free (RrecTimers *timers);
/* A timer read back from a saved state (g_malloc'd, key, kind, call and
 * serial set) made pending; FALSE, and nothing done, when a timer of the
 * same key is pending already. */
gboolean rrec_core_timer_insert (RrecEngine *e, Timer *t);
/* Calls @func (&t->key, t, @data) for each pending timer in (due, id)
 * order, as g_tree_foreach() does, until it returns TRUE.  @func may
 * change what it is given but not the timers' order, and must not set or
 * cancel a timer.  Allocates a copy of the order: not for a path run per
 * event (walk RrecTimers.v for an unordered pass). */
void rrec_core_timers_foreach (RrecEngine *e, GTraverseFunc func,
			       gpointer data);
/* A request answered or forgotten: out of RrecEngine.requests and out of
 * its session's list, its memory kept for the next (the table frees none
 * itself). */
void rrec_core_request_drop (RrecEngine *e, Request *r);
/* Every request dropped at once (a link lost, the engine's end).  The
 * sessions' lists are not read: the caller empties those of the sessions
 * that live on (rrec_core_request_unlink(), link.c); at the engine's end
 * the sessions are gone first. */
void rrec_core_requests_drop_all (RrecEngine *e);
/* @r put first in the list at @head (a session's). */
static inline void
rrec_core_request_link (Request **head, Request *r)
{
	r->next = *head;
	if (r->next)
		r->next->prev = &r->next;
	r->prev = head;
	*head = r;
}

/* @r out of its list (nothing when in none). */
static inline void
rrec_core_request_unlink (Request *r)
{
	if (r->prev == NULL)
		return;
	*r->prev = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->next = NULL;
	r->prev = NULL;
}
/* An empty list for an action's data, and back once the action is
 * emitted: lists are used again, emptied (rrec_kv_list_clear()), so that
 * the data of actions costs no allocation once they have held as much.  A
 * held action (the store) copies its data. */
RrecKvList *rrec_core_kv_take (RrecEngine *e);
void rrec_core_kv_give (RrecEngine *e, RrecKvList *list);

/* A pair of an action's data under a key written in the code: its length
 * is known when compiled, only the value (NULL: "") is measured. */
#define RREC_KV_ADD(list, key, value) \
	rrec_core_kv_add ((list), "" key "", sizeof (key) - 1, (value))

static inline void
rrec_core_kv_add (RrecKvList *list, const char *key, gsize key_len,
		  const char *value)
{
	if (value == NULL)
		value = "";
	rrec_kv_list_add_string_len (list, key, key_len, value, strlen (value));
}
/*
 * Memory for what lives as long as a call (the Call, its parties, its
 * strings and packed user data): a block of at least @size bytes, taken
 * from the blocks given back before when one fits (as g_malloc otherwise).
 * A block given back (any g_malloc'd block: give() reads its usable size)
 * is kept for the next taker of that size, up to a bound: a call that ends
 * and one that begins cost no allocation.  give() of NULL does nothing.
 */
gpointer rrec_core_mem_take (RrecEngine *e, gsize size);
gpointer rrec_core_mem_take0 (RrecEngine *e, gsize size);
void rrec_core_mem_give (RrecEngine *e, gpointer mem);
/* give() of a block known to hold at least @size bytes (taken for @size,
 * or g_malloc'd for @size or more): with glibc's malloc it goes to its
 * list without being read (give() reads the block's malloc header and the
 * next one's, two cache lines of a block that has gone cold). */
void rrec_core_mem_give_size (RrecEngine *e, gpointer mem, gsize size);
/* The same for a string (its length read, not malloc's headers). */
void rrec_core_str_give (RrecEngine *e, char *text);
/* The same for a string of @len bytes (its NUL not counted) taken by
 * rrec_core_strdup() or rrec_core_memdup() (or g_malloc'd for as many or
 * more): the string is not read.  A call's CallUUID and a session's file
 * name keep their lengths for this (model.h). */
void rrec_core_str_give_len (RrecEngine *e, char *text, gsize len);
char *rrec_core_strdup (RrecEngine *e, const char *text);
gpointer rrec_core_memdup (RrecEngine *e, gconstpointer mem, gsize size);
/* @p added at the end of *@a, an array of a call made (NULL: none yet) or
 * grown with the engine's blocks (rrec_core_mem_take()): no malloc once
 * the free lists or the arena hold blocks of its size.  *@a may move. */
void rrec_core_ptrs_add (RrecEngine *e, RrecPtrs **a, gpointer p);
/* The element at @i taken out, those after it moved down (the order
 * kept, as g_ptr_array_steal_index()). */
gpointer rrec_core_ptrs_steal (RrecPtrs *a, guint i);
/* The array's block given back (its elements are the caller's); *a NULL. */
void rrec_core_ptrs_give (RrecEngine *e, RrecPtrs **a);
/* Frees the spare requests, timers, lists and blocks, and the arena (the
 * engine's end: after the calls, whose memory is the arena's). */
void rrec_core_spares_free (RrecEngine *e);
/* Fires every timer due by @now_ms in order; TRUE if one fired. */
gboolean rrec_core_fire_due (RrecEngine *e, gint64 now_ms);

/* Numbers a request to SIP Server (1, 2, 3, … in the order sent) and
 * remembers what its answer will be for; it goes first in the list at
 * @head (its session's requests in flight). */
gint64 rrec_core_request (RrecEngine *e, guint64 call_id, guint32 serial,
			  int op, Request **head);
