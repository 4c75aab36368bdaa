/*
 * explore-model.h — the small universe that the explorer (test-explore.c)
 * and the event-sequence fuzz target (fuzz/fuzz-events.c) drive the engine
 * through, with the SIP Server played by the harness and the invariants of
 * architecture.md §Verification checked after every step.
 *
 * A World is one engine plus the harness's own bookkeeping: the client
 * requests still waiting for their reply, the GSIP requests SIP Server has
 * not answered, the recording legs SIP Server holds, and what each call's
 * leg was last told.  Every step feeds one event (WorldEvent) and checks:
 *
 *   I1  at most one recording session per call (R7)
 *   I2  ports in use = ports held by sessions, none held twice (R18)
 *   I3  every client request gets exactly one reply, none left once its
 *       call is gone (R27)
 *   I4  after a call ends nothing of it remains: no leg, port, timer or
 *       request (R26)
 *   I5  record-moh = false: never "recording" while a party is held (R15),
 *       unless a transfer completed since that hold (R16 lifts 'hold')
 *   I6  GSIP requests of a leg: START first, PAUSE/RESUME alternate,
 *       never one while the previous one is unanswered, nothing after
 *       STOP (R9, R14)
 *   I7  the engine acts on no call it has not seen, never on an ended
 *       call except to release its leg, and survives every event (§7);
 *       with record-consult-calls, the step that merges A2 into A1 may
 *       stop A2's recording although it also ends A2 (R36)
 *   I9  a port is free once no live call holds its session (R18, R26,
 *       R31, R32: no leg is left behind)
 *   I10 record-consult-calls = true: once A2 has merged into A1 (A1's
 *       EventPartyChanged from A2), A2's session is stopping or gone:
 *       a consultation's session ends by the merge or by its call's end,
 *       which I4 checks (R36)
 *   I11 every GSIP request, user-data update or leg query in flight is
 *       in its session's list of them, which holds nothing else: a
 *       session's end, a query's time-out (R33), a rename (R32) and the
 *       store read a session's own requests from there (issue #14)
 *   I12 the DN table's reference counts are the references the calls hold
 *       (parties' DNs and peers, DN fields, owners, scopes, vetoes): a
 *       DN a scope or veto names stays while it does, none outlives its last name
 *       (issue #14)
 *
 * The universe includes EventCallDeleted of either call (R31), A1's
 * EventPartyChanged from A2, which renames A2 when A1 is not known yet
 * (R32), and SIP Server's answers to the leg queries after a link-up:
 * EventPartyInfo, or EventError as after a failover (R33).
 */
#pragma once

#include <glib.h>

#include "rrec/engine.h"

/* The two original calls of the universe. */
#define WORLD_N_CALLS 2

typedef enum {
	WEV_FIXED = 0,	/* a Skype-side event or client request of the table */
	WEV_LINK_DOWN,	/* EventServerDisconnected */
	WEV_LINK_UP,	/* EventServerConnected */
	WEV_TIMER,	/* the clock moves to the next due timer */
	WEV_SIP_ACK,	/* SIP Server answers pending request #index EventACK */
	WEV_SIP_ERROR,	/* … EventError */
	WEV_LEG_UP,	/* SIP Server brings dialled leg #index up (M9) */
	WEV_LEG_FAIL,	/* … or releases it before it is up */
	WEV_LEG_DROP,	/* SIP Server drops established leg #index (R25) */
	WEV_STRAY_LEG,	/* a leg nobody dialled arrives (R20) */
	WEV_N_KINDS,
} WorldEventKind;

typedef struct {
	guint8 kind;	/* WorldEventKind */
	guint8 index;	/* WEV_FIXED: row of the table; SIP: position in the
			 * pending list / leg list, both kept in a canonical
			 * order so that an index means the same in a rerun */
} WorldEvent;

typedef struct _World World;

typedef struct {
	gboolean record_moh;
	guint port_limit;
	gboolean record_consult;	/* record-consult-calls (R36) */
} WorldOptions;

/* The configuration text the universe runs with (for the counterexample's
 * FILE); free with g_free. */
char *world_config_text (const WorldOptions *opt);
RrecConfig *world_config_new (const WorldOptions *opt);

/* A world at the start: no call, link up.  @log: write every event as a
 * T-Server log block that `rrec replay --no-sim` reads (for reruns). */
World *world_new (RrecConfig *config, gboolean log);
void world_free (World *w);

/* The events that may happen now, appended to @out (WorldEvent). */
void world_enabled (World *w, GArray *out);
guint world_n_fixed (void);
/* Only the rows of the focused universe (explore-model.c) from now on, for
 * every world of the process; FALSE: the whole table again. */
void world_set_focused (gboolean focus);
const char *world_fixed_label (guint i);

/* Feeds one event and checks every invariant.  Returns FALSE once an
 * invariant is violated; world_violation() says which. */
gboolean world_step (World *w, WorldEvent ev);
const char *world_violation (World *w);

/* Renames what only numbers things (request and client ReferenceIDs, timer
 * ids, call and session serials, counters, the clock's origin) so that two
 * worlds that behave alike give the same key, then returns the key: the
 * engine's saved bytes followed by the bookkeeping. */
GBytes *world_canonical_key (World *w);

/*
 * The engine's saved bytes and the bookkeeping, and back (BFS frontier).
 * @work_around: mend what rrec_engine_restore() once lost (R30's waiting
 * calls, now rebuilt from the call table's `waiting` state; guarded by
 * tests/fuzz/regress/events/r30-restore-loses-blocked).  Kept for the
 * next such bug: the fuzz target mends when RREC_FUZZ_STRICT is not 1, so
 * that libFuzzer can look past a known bug.
 */
GBytes *world_save (World *w);
World *world_restore (RrecConfig *config, GBytes *saved, gboolean work_around);

/* The actions of the last step, in rrec_action_to_string() form, one a
 * line. */
const char *world_actions (World *w);

/* The log written so far (world_new with @log). */
const char *world_log (World *w);

/* Appends a block that the engine ignores (a call it has never seen), at
 * the engine's time, so that a replay fires the timers due until then. */
void world_log_tick (World *w);

/* A one-line description of an event, for messages. */
char *world_event_describe (World *w, WorldEvent ev);
