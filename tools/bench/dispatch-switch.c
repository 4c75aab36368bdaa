/*
 * dispatch-switch.c — the session machine of fsm/session.fsm written by
 * hand as a nested switch: the baseline a programmer would write without a
 * table compiler.  Benchmark code only; `rrec bench` checks, event by
 * event, that it does what the generated table does.
 */
#include "dispatch.h"
#include "session-fsm.h"

#define G(name) bench_g_##name (o, NULL)
#define A(name) bench_a_##name (o, NULL)
#define S(name) RREC_SESSION_STATE_##name
#define E(name) RREC_SESSION_EVENT_##name
#define GO(next) do { *state = S (next); return TRUE; } while (0)
#define IGNORE() return TRUE
#define REJECT() return FALSE

/* A leg that fails before it ever recorded ends the session (R27); a
 * later one is dialled again when the configuration allows (R25). */
static gboolean
leg_failed (BenchOwner *o, guint *state, gboolean timer_runs)
{
	if (G (first_leg)) {
		A (release_leg); A (count_failure); A (mark_off); A (fail_setup);
		A (finish);
		GO (ENDED);
	}
	if (G (may_redial)) {
		if (!G (redials_left)) {
			A (release_failed_leg); A (count_failure); A (mark_off);
			A (give_up); A (finish);
			GO (ENDED);
		}
		if (timer_runs)
			A (cancel_setup_timer);
		A (release_leg); A (count_failure); A (arm_redial);
		GO (REESTABLISHING);
	}
	A (release_leg); A (count_failure); A (mark_off); A (lose_recording);
	A (finish);
	GO (ENDED);
}

/* An EventEstablished on the port of a session whose leg is up: the same
 * leg again (R19), or an orphan (R20). */
static gboolean
leg_again (BenchOwner *o, guint *state)
{
	if (G (same_leg))
		A (note_duplicate);
	else
		A (release_orphan);
	return TRUE;
}

/* What recording, pausing, paused and resuming share. */
static gboolean
leg_up_common (BenchOwner *o, guint *state, guint event)
{
	switch (event) {
	case E (LEG_DROPPED):
		if (G (may_redial)) {
			A (forget_leg); A (arm_redial);
			GO (REESTABLISHING);
		}
		A (forget_leg); A (mark_off); A (lose_recording); A (finish);
		GO (ENDED);
	case E (STOP): case E (CLIENT_STOP):
		A (send_stop); A (release_leg); A (mark_off);
		GO (STOPPING);
	case E (CALL_ENDED):
		A (release_leg); A (finish);
		GO (ENDED);
	case E (LEG_UP):
		return leg_again (o, state);
	case E (START): case E (LINK_DOWN): case E (LINK_UP):
		IGNORE ();
	default:
		REJECT ();
	}
}

/* A refused PAUSE or RESUME, or one lost with the link: start the leg
 * again. */
static gboolean
refused_in_flight (BenchOwner *o, guint *state)
{
	if (G (may_redial)) {
		A (release_leg); A (arm_redial);
		GO (REESTABLISHING);
	}
	A (release_leg); A (mark_off); A (answer_pending); A (lose_recording);
	A (finish);
	GO (ENDED);
}

gboolean
bench_switch_feed (BenchOwner *o, guint *state, guint event)
{
	switch (*state) {
	case S (IDLE):
		switch (event) {
		case E (START):
			if (!G (link_up)) {
				A (fail_unavailable); A (finish);
				GO (ENDED);
			}
			if (!G (port_free)) {
				A (raise_port_alarm); A (fail_no_port); A (finish);
				GO (ENDED);
			}
			A (take_port); A (clear_port_alarm); A (write_filename); A (dial_leg);
			A (arm_setup_timer);
			GO (DIALING);
		case E (STOP): case E (CLIENT_STOP): case E (CALL_ENDED):
			A (finish);
			GO (ENDED);
		case E (PAUSE): case E (RESUME): case E (LINK_DOWN): case E (LINK_UP):
			IGNORE ();
		case E (LEG_UP):
			A (release_orphan);
			IGNORE ();
		default:
			REJECT ();
		}
	case S (DIALING):
		switch (event) {
		case E (LEG_UP):
			A (take_leg); A (send_start); A (send_userdata);
			GO (STARTING);
		case E (SETUP_TIMEOUT): case E (LEG_DROPPED):
			return leg_failed (o, state, FALSE);
		case E (STOP): case E (CLIENT_STOP):
			A (cancel_setup_timer); A (release_leg); A (mark_off);
			A (finish);
			GO (ENDED);
		case E (CALL_ENDED):
			A (cancel_setup_timer); A (release_leg); A (finish);
			GO (ENDED);
		case E (START): case E (PAUSE): case E (RESUME): case E (LINK_DOWN):
		case E (LINK_UP):
			IGNORE ();
		default:
			REJECT ();
		}
	case S (STARTING):
		switch (event) {
		case E (ACK_START):
			if (G (pause_wanted)) {
				A (cancel_setup_timer); A (clear_failures); A (mark_on);
				A (answer_start); A (answer_resume); A (send_pause);
				GO (PAUSING);
			}
			A (cancel_setup_timer); A (clear_failures); A (mark_on);
			A (answer_start); A (answer_pause); A (answer_resume);
			GO (RECORDING);
		case E (REFUSED): case E (LEG_DROPPED): case E (SETUP_TIMEOUT):
			return leg_failed (o, state, TRUE);
		case E (STOP): case E (CLIENT_STOP):
			A (cancel_setup_timer); A (send_stop); A (release_leg);
			A (mark_off);
			GO (STOPPING);
		case E (CALL_ENDED):
			A (release_leg); A (finish);
			GO (ENDED);
		case E (LEG_UP):
			return leg_again (o, state);
		case E (START): case E (PAUSE): case E (RESUME):
		case E (LINK_DOWN): case E (LINK_UP):
			IGNORE ();
		default:
			REJECT ();
		}
	case S (RECORDING):
		switch (event) {
		case E (PAUSE):
			A (send_pause);
			GO (PAUSING);
		case E (RESUME): case E (REFUSED):
			IGNORE ();
		default:
			return leg_up_common (o, state, event);
		}
	case S (PAUSED):
		switch (event) {
		case E (RESUME):
			A (send_resume);
			GO (RESUMING);
		case E (PAUSE): case E (REFUSED):
			IGNORE ();
		default:
			return leg_up_common (o, state, event);
		}
	case S (PAUSING):
		switch (event) {
		case E (ACK_PAUSE):
			if (G (pause_wanted)) {
				A (mark_paused); A (answer_pause);
				GO (PAUSED);
			}
			A (mark_paused); A (answer_pause); A (send_resume);
			GO (RESUMING);
		case E (PAUSE): case E (RESUME):
			IGNORE ();
		case E (REFUSED): case E (LINK_UP):
			return refused_in_flight (o, state);
		default:
			return leg_up_common (o, state, event);
		}
	case S (RESUMING):
		switch (event) {
		case E (ACK_RESUME):
			if (G (pause_wanted)) {
				A (mark_on); A (answer_resume); A (send_pause);
				GO (PAUSING);
			}
			A (mark_on); A (answer_resume);
			GO (RECORDING);
		case E (PAUSE): case E (RESUME):
			IGNORE ();
		case E (REFUSED): case E (LINK_UP):
			return refused_in_flight (o, state);
		default:
			return leg_up_common (o, state, event);
		}
	case S (REESTABLISHING):
	case S (LINK_WAIT):
		switch (event) {
		case E (REDIAL_DUE):
			if (*state == S (LINK_WAIT))
				REJECT ();
			if (G (link_up)) {
				A (dial_leg); A (arm_setup_timer);
				GO (DIALING);
			}
			GO (LINK_WAIT);
		case E (LINK_UP):
			if (*state == S (REESTABLISHING))
				IGNORE ();
			A (dial_leg); A (arm_setup_timer);
			GO (DIALING);
		case E (STOP): case E (CLIENT_STOP):
			A (mark_off); A (finish);
			GO (ENDED);
		case E (CALL_ENDED):
			A (finish);
			GO (ENDED);
		case E (START): case E (PAUSE): case E (RESUME): case E (LEG_DROPPED):
		case E (LINK_DOWN):
			IGNORE ();
		case E (LEG_UP):
			A (release_orphan);
			IGNORE ();
		default:
			REJECT ();
		}
	case S (STOPPING):
		switch (event) {
		case E (ACK_STOP): case E (REFUSED): case E (LINK_DOWN):
		case E (CALL_ENDED):
			A (answer_pending); A (finish);
			GO (ENDED);
		case E (START): case E (LEG_DROPPED): case E (PAUSE): case E (RESUME):
		case E (STOP): case E (CLIENT_STOP): case E (LINK_UP): case E (ACK_PAUSE): case E (ACK_RESUME):
			IGNORE ();
		case E (LEG_UP):
			A (release_orphan);
			IGNORE ();
		default:
			REJECT ();
		}
	case S (ENDED):
		IGNORE ();
	default:
		REJECT ();
	}
}
