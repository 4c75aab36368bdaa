/*
 * dispatch-ragel.rl — the session machine of fsm/session.fsm as a Ragel
 * state chart, compiled with -G2 (the fastest code style for one event per
 * call; reference notes §A.5): a baseline for `rrec bench`.  Guards are
 * Ragel conditions; each row's actions are one action block, so that they
 * run in the table's order.  Benchmark code only; `rrec bench` checks,
 * event by event, that it does what the generated table does.
 */
#include "dispatch.h"

#define G(name) bench_g_##name (o, NULL)
#define A(name) bench_a_##name (o, NULL)

%%{
	machine session;
	alphtype unsigned char;

	START = 0; LEG_UP = 1; ACK_START = 2; ACK_PAUSE = 3; ACK_RESUME = 4;
	ACK_STOP = 5; REFUSED = 6; LEG_DROPPED = 7; SETUP_TIMEOUT = 8;
	REDIAL_DUE = 9; PAUSE = 10; RESUME = 11; STOP = 12; CALL_ENDED = 13;
	LINK_DOWN = 14; LINK_UP = 15; CLIENT_STOP = 17;
	ANY = 0..15 | CLIENT_STOP;

	action lu { G (link_up) }
	action pf { G (port_free) }
	action pw { G (pause_wanted) }
	action mr { G (may_redial) }
	action fl { G (first_leg) }
	action rl { G (redials_left) }
	action sl { G (same_leg) }

	action start_unavailable { A (fail_unavailable); A (finish); }
	action start_no_port { A (raise_port_alarm); A (fail_no_port); A (finish); }
	action start_dial { A (take_port); A (clear_port_alarm); A (write_filename); A (dial_leg); A (arm_setup_timer); }
	action finish { A (finish); }
	action leg_up { A (take_leg); A (send_start); A (send_userdata); }
	action duplicate { A (note_duplicate); }
	action orphan { A (release_orphan); }
	action fail_first { A (release_leg); A (count_failure); A (mark_off); A (fail_setup); A (finish); }
	action fail_redial { A (release_leg); A (count_failure); A (arm_redial); }
	action fail_lost { A (release_leg); A (count_failure); A (mark_off); A (lose_recording); A (finish); }
	action give_up { A (release_failed_leg); A (count_failure); A (mark_off); A (give_up); A (finish); }
	action dial_stop { A (cancel_setup_timer); A (release_leg); A (mark_off); A (finish); }
	action dial_end { A (cancel_setup_timer); A (release_leg); A (finish); }
	action ack_start_pause { A (cancel_setup_timer); A (clear_failures); A (mark_on); A (answer_start); A (answer_resume); A (send_pause); }
	action ack_start { A (cancel_setup_timer); A (clear_failures); A (mark_on); A (answer_start); A (answer_pause); A (answer_resume); }
	action start_redial { A (cancel_setup_timer); A (release_leg); A (count_failure); A (arm_redial); }
	action start_stop { A (cancel_setup_timer); A (send_stop); A (release_leg); A (mark_off); }
	action stop { A (send_stop); A (release_leg); A (mark_off); }
	action end { A (release_leg); A (finish); }
	action send_pause { A (send_pause); }
	action send_resume { A (send_resume); }
	action paused { A (mark_paused); A (answer_pause); }
	action paused_resume { A (mark_paused); A (answer_pause); A (send_resume); }
	action resumed_pause { A (mark_on); A (answer_resume); A (send_pause); }
	action resumed { A (mark_on); A (answer_resume); }
	action refused_redial { A (release_leg); A (arm_redial); }
	action refused_lost { A (release_leg); A (mark_off); A (answer_pending); A (lose_recording); A (finish); }
	action dropped_redial { A (forget_leg); A (arm_redial); }
	action dropped_lost { A (forget_leg); A (mark_off); A (lose_recording); A (finish); }
	action redial { A (dial_leg); A (arm_setup_timer); }
	action wait_stop { A (mark_off); A (finish); }
	action stopped { A (answer_pending); A (finish); }

	main := (
	start: Idle: (
		( START when !lu ) @start_unavailable -> Ended |
		( START when lu when !pf ) @start_no_port -> Ended |
		( START when lu when pf ) @start_dial -> Dialing |
		( STOP | CLIENT_STOP | CALL_ENDED ) @finish -> Ended |
		( PAUSE | RESUME | LINK_DOWN | LINK_UP ) -> Idle |
		LEG_UP @orphan -> Idle
	),
	Dialing: (
		LEG_UP @leg_up -> Starting |
		( (SETUP_TIMEOUT | LEG_DROPPED) when fl ) @fail_first -> Ended |
		( (SETUP_TIMEOUT | LEG_DROPPED) when !fl when mr when rl ) @fail_redial -> Reestablishing |
		( (SETUP_TIMEOUT | LEG_DROPPED) when !fl when mr when !rl ) @give_up -> Ended |
		( (SETUP_TIMEOUT | LEG_DROPPED) when !fl when !mr ) @fail_lost -> Ended |
		( STOP | CLIENT_STOP ) @dial_stop -> Ended |
		CALL_ENDED @dial_end -> Ended |
		( START | PAUSE | RESUME | LINK_DOWN | LINK_UP ) -> Dialing
	),
	Starting: (
		( ACK_START when pw ) @ack_start_pause -> Pausing |
		( ACK_START when !pw ) @ack_start -> Recording |
		( (REFUSED | LEG_DROPPED | SETUP_TIMEOUT) when fl ) @fail_first -> Ended |
		( (REFUSED | LEG_DROPPED | SETUP_TIMEOUT) when !fl when mr when rl ) @start_redial -> Reestablishing |
		( (REFUSED | LEG_DROPPED | SETUP_TIMEOUT) when !fl when mr when !rl ) @give_up -> Ended |
		( (REFUSED | LEG_DROPPED | SETUP_TIMEOUT) when !fl when !mr ) @fail_lost -> Ended |
		( STOP | CLIENT_STOP ) @start_stop -> Stopping |
		CALL_ENDED @end -> Ended |
		( LEG_UP when sl ) @duplicate -> Starting |
		( LEG_UP when !sl ) @orphan -> Starting |
		( START | PAUSE | RESUME | LINK_DOWN | LINK_UP ) -> Starting
	),
	Recording: (
		PAUSE @send_pause -> Pausing |
		( RESUME | REFUSED | START | LINK_DOWN | LINK_UP ) -> Recording |
		( LEG_UP when sl ) @duplicate -> Recording |
		( LEG_UP when !sl ) @orphan -> Recording |
		( LEG_DROPPED when mr ) @dropped_redial -> Reestablishing |
		( LEG_DROPPED when !mr ) @dropped_lost -> Ended |
		( STOP | CLIENT_STOP ) @stop -> Stopping |
		CALL_ENDED @end -> Ended
	),
	Paused: (
		RESUME @send_resume -> Resuming |
		( PAUSE | REFUSED | START | LINK_DOWN | LINK_UP ) -> Paused |
		( LEG_UP when sl ) @duplicate -> Paused |
		( LEG_UP when !sl ) @orphan -> Paused |
		( LEG_DROPPED when mr ) @dropped_redial -> Reestablishing |
		( LEG_DROPPED when !mr ) @dropped_lost -> Ended |
		( STOP | CLIENT_STOP ) @stop -> Stopping |
		CALL_ENDED @end -> Ended
	),
	Pausing: (
		( ACK_PAUSE when pw ) @paused -> Paused |
		( ACK_PAUSE when !pw ) @paused_resume -> Resuming |
		( PAUSE | RESUME | START | LINK_DOWN ) -> Pausing |
		( LEG_UP when sl ) @duplicate -> Pausing |
		( LEG_UP when !sl ) @orphan -> Pausing |
		( (REFUSED | LINK_UP) when mr ) @refused_redial -> Reestablishing |
		( (REFUSED | LINK_UP) when !mr ) @refused_lost -> Ended |
		( LEG_DROPPED when mr ) @dropped_redial -> Reestablishing |
		( LEG_DROPPED when !mr ) @dropped_lost -> Ended |
		( STOP | CLIENT_STOP ) @stop -> Stopping |
		CALL_ENDED @end -> Ended
	),
	Resuming: (
		( ACK_RESUME when pw ) @resumed_pause -> Pausing |
		( ACK_RESUME when !pw ) @resumed -> Recording |
		( PAUSE | RESUME | START | LINK_DOWN ) -> Resuming |
		( LEG_UP when sl ) @duplicate -> Resuming |
		( LEG_UP when !sl ) @orphan -> Resuming |
		( (REFUSED | LINK_UP) when mr ) @refused_redial -> Reestablishing |
		( (REFUSED | LINK_UP) when !mr ) @refused_lost -> Ended |
		( LEG_DROPPED when mr ) @dropped_redial -> Reestablishing |
		( LEG_DROPPED when !mr ) @dropped_lost -> Ended |
		( STOP | CLIENT_STOP ) @stop -> Stopping |
		CALL_ENDED @end -> Ended
	),
	Reestablishing: (
		( REDIAL_DUE when lu ) @redial -> Dialing |
		( REDIAL_DUE when !lu ) -> LinkWait |
		( STOP | CLIENT_STOP ) @wait_stop -> Ended |
		CALL_ENDED @finish -> Ended |
		( START | PAUSE | RESUME | LEG_DROPPED | LINK_DOWN | LINK_UP ) -> Reestablishing |
		LEG_UP @orphan -> Reestablishing
	),
	LinkWait: (
		LINK_UP @redial -> Dialing |
		( STOP | CLIENT_STOP ) @wait_stop -> Ended |
		CALL_ENDED @finish -> Ended |
		( START | PAUSE | RESUME | LEG_DROPPED | LINK_DOWN ) -> LinkWait |
		LEG_UP @orphan -> LinkWait
	),
	Stopping: (
		( ACK_STOP | REFUSED | LINK_DOWN | CALL_ENDED ) @stopped -> Ended |
		( START | LEG_DROPPED | PAUSE | RESUME | STOP | CLIENT_STOP | LINK_UP | ACK_PAUSE | ACK_RESUME ) -> Stopping |
		LEG_UP @orphan -> Stopping
	),
	Ended: (
		ANY -> Ended
	)
	);
}%%

%% write data noerror nofinal noentry;

int
bench_ragel_start (void)
{
	return session_start;
}

/* One event per call, as an engine feeds a session: Ragel runs on a copy
 * of the state so that a rejected event (Ragel's error state) keeps it. */
gboolean
bench_ragel_feed (BenchOwner *o, int *state, guint event)
{
	unsigned char ev = (unsigned char) event;
	const unsigned char *p = &ev, *pe = p + 1;
	int cs = *state;

	%% write exec;

	if (cs == 0)
		return FALSE;
	*state = cs;
	return TRUE;
}
