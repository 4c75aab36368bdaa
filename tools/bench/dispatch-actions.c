/*
 * dispatch-actions.c — trivial guards and actions for the session machine,
 * shared by the three dispatch variants of `rrec bench`.
 *
 * They live in a translation unit of their own, and are opaque to the
 * optimiser even across translation units (BENCH_OPAQUE), so that no
 * variant can inline them: each pays a real call per guard and per
 * action, as the engine's does, and the measurement compares the dispatch
 * itself.  With link-time optimisation, the switch and the Ragel chart,
 * which call them by name, would otherwise have them inlined, while the
 * table calls them through its binding's pointers as the engine does.
 */
#include "dispatch.h"
#include "session-fsm.h"

/* gcc's noipa also hides what a callee leaves of the registers; other
 * compilers get noinline */
#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_OPAQUE __attribute__ ((noipa))
#else
#define BENCH_OPAQUE G_GNUC_NO_INLINE
#endif

#define GUARD(name, bit) \
	BENCH_OPAQUE gboolean \
	bench_g_##name (gpointer o, gconstpointer d) \
	{ \
		return (((BenchOwner *) o)->bits & (bit)) != 0; \
	}

GUARD (link_up, BENCH_LINK_UP)
GUARD (port_free, BENCH_PORT_FREE)
GUARD (pause_wanted, BENCH_PAUSE_WANTED)
GUARD (may_redial, BENCH_MAY_REDIAL)
GUARD (first_leg, BENCH_FIRST_LEG)
GUARD (redials_left, BENCH_REDIALS_LEFT)
GUARD (same_leg, BENCH_SAME_LEG)

/* Each action folds its own number into the hash: the order matters. */
enum {
#define BENCH_ENUM(name) BENCH_A_##name,
	BENCH_ACTIONS (BENCH_ENUM)
#undef BENCH_ENUM
};

#define BENCH_DEFINE(name) \
	BENCH_OPAQUE void \
	bench_a_##name (gpointer o, gconstpointer d) \
	{ \
		BenchOwner *b = o; \
		b->hash = b->hash * 31 + BENCH_A_##name + 1; \
		b->actions++; \
	}
BENCH_ACTIONS (BENCH_DEFINE)
#undef BENCH_DEFINE

static const RrecFsmGuardFunc guards[RREC_SESSION_N_GUARDS] = {
	[RREC_SESSION_GUARD_LINK_UP] = bench_g_link_up,
	[RREC_SESSION_GUARD_PORT_FREE] = bench_g_port_free,
	[RREC_SESSION_GUARD_PAUSE_WANTED] = bench_g_pause_wanted,
	[RREC_SESSION_GUARD_MAY_REDIAL] = bench_g_may_redial,
	[RREC_SESSION_GUARD_FIRST_LEG] = bench_g_first_leg,
	[RREC_SESSION_GUARD_REDIALS_LEFT] = bench_g_redials_left,
	[RREC_SESSION_GUARD_SAME_LEG] = bench_g_same_leg,
};

static const RrecFsmActionFunc actions[RREC_SESSION_N_ACTIONS] = {
	[RREC_SESSION_ACTION_TAKE_PORT] = bench_a_take_port,
	[RREC_SESSION_ACTION_WRITE_FILENAME] = bench_a_write_filename,
	[RREC_SESSION_ACTION_DIAL_LEG] = bench_a_dial_leg,
	[RREC_SESSION_ACTION_ARM_SETUP_TIMER] = bench_a_arm_setup_timer,
	[RREC_SESSION_ACTION_CANCEL_SETUP_TIMER] = bench_a_cancel_setup_timer,
	[RREC_SESSION_ACTION_SEND_START] = bench_a_send_start,
	[RREC_SESSION_ACTION_SEND_USERDATA] = bench_a_send_userdata,
	[RREC_SESSION_ACTION_SEND_PAUSE] = bench_a_send_pause,
	[RREC_SESSION_ACTION_SEND_RESUME] = bench_a_send_resume,
	[RREC_SESSION_ACTION_SEND_STOP] = bench_a_send_stop,
	[RREC_SESSION_ACTION_MARK_ON] = bench_a_mark_on,
	[RREC_SESSION_ACTION_MARK_PAUSED] = bench_a_mark_paused,
	[RREC_SESSION_ACTION_MARK_OFF] = bench_a_mark_off,
	[RREC_SESSION_ACTION_ANSWER_START] = bench_a_answer_start,
	[RREC_SESSION_ACTION_ANSWER_PAUSE] = bench_a_answer_pause,
	[RREC_SESSION_ACTION_ANSWER_RESUME] = bench_a_answer_resume,
	[RREC_SESSION_ACTION_ANSWER_PENDING] = bench_a_answer_pending,
	[RREC_SESSION_ACTION_FAIL_UNAVAILABLE] = bench_a_fail_unavailable,
	[RREC_SESSION_ACTION_FAIL_NO_PORT] = bench_a_fail_no_port,
	[RREC_SESSION_ACTION_FAIL_SETUP] = bench_a_fail_setup,
	[RREC_SESSION_ACTION_RELEASE_LEG] = bench_a_release_leg,
	[RREC_SESSION_ACTION_FORGET_LEG] = bench_a_forget_leg,
	[RREC_SESSION_ACTION_ARM_REDIAL] = bench_a_arm_redial,
	[RREC_SESSION_ACTION_LOSE_RECORDING] = bench_a_lose_recording,
	[RREC_SESSION_ACTION_FINISH] = bench_a_finish,
	[RREC_SESSION_ACTION_RAISE_PORT_ALARM] = bench_a_raise_port_alarm,
	[RREC_SESSION_ACTION_CLEAR_PORT_ALARM] = bench_a_clear_port_alarm,
	[RREC_SESSION_ACTION_COUNT_FAILURE] = bench_a_count_failure,
	[RREC_SESSION_ACTION_CLEAR_FAILURES] = bench_a_clear_failures,
	[RREC_SESSION_ACTION_RELEASE_FAILED_LEG] = bench_a_release_failed_leg,
	[RREC_SESSION_ACTION_GIVE_UP] = bench_a_give_up,
	[RREC_SESSION_ACTION_QUERY_LEG] = bench_a_query_leg,
	[RREC_SESSION_ACTION_CANCEL_QUERY] = bench_a_cancel_query,
	[RREC_SESSION_ACTION_FAILOVER_GAP] = bench_a_failover_gap,
	[RREC_SESSION_ACTION_TAKE_LEG] = bench_a_take_leg,
	[RREC_SESSION_ACTION_NOTE_DUPLICATE] = bench_a_note_duplicate,
	[RREC_SESSION_ACTION_RELEASE_ORPHAN] = bench_a_release_orphan,
};

const RrecFsmBinding bench_session_binding = {
	&rrec_session_machine, guards, actions, NULL,
};

static void
hear_rule (gpointer o, const char *rule)
{
	((BenchOwner *) o)->rule = rule;
}

const RrecFsmBinding bench_session_binding_rules = {
	&rrec_session_machine, guards, actions, NULL, hear_rule,
};
