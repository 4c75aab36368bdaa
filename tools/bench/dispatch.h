/*
 * dispatch.h — the session machine three ways, for `rrec bench`'s
 * dispatch.session: the generated table through rrec_fsm_step(), a
 * hand-written nested switch and a Ragel -G2 chart.  All three call the
 * same guard and action functions (dispatch-actions.c, a translation unit
 * of its own), so what differs between them is the dispatch alone.
 */
#pragma once

#include <glib.h>

#include "rrec-fsm.h"

/* What the guards read and the actions write.  The actions fold their own
 * number into @hash in order, so a variant that runs a wrong row, a row's
 * actions in another order, or skips work, ends with another hash. */
typedef struct {
	guint bits;		/* the guards' values for the current event */
	guint64 hash;
	guint64 actions;	/* actions run */
	guint state;		/* the table variant's state */
	int cs;			/* the Ragel variant's state */
	const char *rule;	/* the rule of the action running (a binding
				 * that hears rules, as the engine's do) */
} BenchOwner;

/* Guard bits, in the order of the session table's guards. */
enum {
	BENCH_LINK_UP = 1 << 0,
	BENCH_PORT_FREE = 1 << 1,
	BENCH_PAUSE_WANTED = 1 << 2,
	BENCH_MAY_REDIAL = 1 << 3,
	BENCH_FIRST_LEG = 1 << 4,
	BENCH_SAME_LEG = 1 << 5,
	BENCH_REDIALS_LEFT = 1 << 6,
	BENCH_N_BITS = 7,
};

/* One element of the precomputed stream: an event and the guard values it
 * meets.  BENCH_RESET stands for "the session ended, a new one starts". */
typedef struct {
	guint8 event;
	guint8 bits;
} BenchStim;

#define BENCH_RESET 0xff

/* dispatch-actions.c */
gboolean bench_g_link_up (gpointer o, gconstpointer d);
gboolean bench_g_port_free (gpointer o, gconstpointer d);
gboolean bench_g_pause_wanted (gpointer o, gconstpointer d);
gboolean bench_g_may_redial (gpointer o, gconstpointer d);
gboolean bench_g_first_leg (gpointer o, gconstpointer d);
gboolean bench_g_redials_left (gpointer o, gconstpointer d);
gboolean bench_g_same_leg (gpointer o, gconstpointer d);

#define BENCH_ACTIONS(X) \
	X (take_port) X (write_filename) X (dial_leg) X (arm_setup_timer) \
	X (cancel_setup_timer) X (send_start) X (send_userdata) X (send_pause) \
	X (send_resume) X (send_stop) X (mark_on) X (mark_paused) X (mark_off) \
	X (answer_start) X (answer_pause) X (answer_resume) X (answer_pending) \
	X (fail_unavailable) \
	X (fail_no_port) X (fail_setup) X (release_leg) X (forget_leg) \
	X (arm_redial) X (lose_recording) X (finish) \
	X (raise_port_alarm) X (clear_port_alarm) X (take_leg) \
	X (note_duplicate) X (release_orphan) \
	X (count_failure) X (clear_failures) X (release_failed_leg) X (give_up) \
	X (query_leg) X (cancel_query) X (failover_gap)

#define BENCH_DECLARE(name) void bench_a_##name (gpointer o, gconstpointer d);
BENCH_ACTIONS (BENCH_DECLARE)
#undef BENCH_DECLARE

/* The binding of the generated session table to the functions above;
 * the second also hears the rule of each action, as the engine's bindings
 * do (the owner keeps it, as the engine keeps it for what it emits). */
extern const RrecFsmBinding bench_session_binding;
extern const RrecFsmBinding bench_session_binding_rules;

/* dispatch-switch.c: one event; returns FALSE for an event the machine
 * rejects in *state (the state is kept then). */
gboolean bench_switch_feed (BenchOwner *o, guint *state, guint event);

/* dispatch-ragel.rl: the same with Ragel's own state numbers. */
int bench_ragel_start (void);
gboolean bench_ragel_feed (BenchOwner *o, int *cs, guint event);
