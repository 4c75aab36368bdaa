/*
 * test-engine.c — the engine's triggers, its one session per call, the
 * session's scope and end (behaviour.md R1-R13), driven with the event
 * shapes of the call models and checked action by action.
 *
 * The harness (engine-harness.h) plays a healthy SIP Server, so a session
 * that starts shows as STARTED (file name, dial, START, ON) within the step
 * that started it.  Each scenario also runs with the engine saved and
 * restored before every step (/engine/restore/…).
 */
#include "engine-harness.h"
#include "engine-private.h"

/* The references the engine's DN table counts for @dn, -1 when the table
 * no longer has it (dntab.h: an outside DN stays only while named). */
static gint
dn_refs (Harness *h, const char *dn)
{
	guint32 id = rrec_dn_table_find (&h->engine->dns, dn);

	return id ? (gint) rrec_dn_table_get (&h->engine->dns, id)->refs : -1;
}


/* ---- R1 ------------------------------------------------------------------ */

/* R1: a record=true extension records every call it is on (M1). */
static void
r1_record_dn (Harness *h)
{
	harness_start (h, NULL);
	ev_ringing (h, C1, "7001", CALLER, RREC_CALL_TYPE_INBOUND);
	expect (h, NULL);	/* R6: nobody is established yet */
	ev_established (h, C1, "7001", CALLER);
	expect (h, STARTED (C1, "000", "7001"), NULL);
	assert_state (h, C1, "recording");
	{
		g_autofree char *port = rrec_engine_session_port (h->engine, C1);

		g_assert_cmpstr (port, ==, "+1555000");
	}
	ports_in_use (h, 1);
	g_assert_cmpuint (counters (h).sessions, ==, 1);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);	/* R26 */
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
}

/* R1: without a trigger nothing is recorded. */
static void
r1_no_record_dn (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	expect (h, NULL);
	g_assert_true (rrec_engine_has_call (h->engine, C1));
	assert_state (h, C1, NULL);
	ev_released (h, C1, "7002", 0, NULL);
	expect (h, NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	g_assert_cmpuint (counters (h).sessions, ==, 0);
	g_assert_cmpuint (counters (h).calls, ==, 1);
}

/* R1: an ACD position with record=true is a trigger like an extension. */
static void
r1_acd_position (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7005");
	expect (h, STARTED (C1, "000", "7005"), NULL);
}

/* R1: a record=true routing point gives a trigger tied to no party: it
 * holds through a transfer to a DN without one (R8), to the call's end. */
static void
r1_routing_point_trigger (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7002", NULL);
	/* R13: no client, no route scope, no record=true party: the owner is
	 * the routing point. */
	expect (h, STARTED (C1, "000", "5000"), NULL);
	single_step_transfer (h, C1, "7002", "7004", CALLER);
	expect (h, NULL);
	assert_state (h, C1, "recording");
	ev_released (h, C1, "7004", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* ---- R2 ------------------------------------------------------------------ */

/* R2: a record=true DN's direct outbound call is not recorded by itself,
 * but a client may start it (M8). */
static void
r2_outbound_direct_dial (Harness *h)
{
	harness_start (h, NULL);
	ev_dialing (h, C1, "7001", OUTSIDE, RREC_CALL_TYPE_OUTBOUND);
	ev_established (h, C1, "7001", OUTSIDE);
	expect (h, NULL);
	assert_state (h, C1, NULL);
	req_private (h, 21, C1, "7001", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7001"), ACK ("21", "7001", C1), NULL);
}

/* R2 covers the DN that dialled: another record=true DN the outbound call
 * is transferred to is a trigger as usual (R1).  (Choice: behaviour.md
 * exempts "a call that DN dialled", i.e. that DN's trigger only.) */
static void
r2_transferred_to_record_dn (Harness *h)
{
	harness_start (h, NULL);
	ev_dialing (h, C1, "7001", OUTSIDE, RREC_CALL_TYPE_OUTBOUND);
	ev_established (h, C1, "7001", OUTSIDE);
	expect (h, NULL);
	single_step_transfer (h, C1, "7001", "7003", OUTSIDE);
	expect (h, STARTED (C1, "000", "7003"), NULL);
}

/* ---- R3 ------------------------------------------------------------------ */

/* R3: record=destination records while the route's destination is present;
 * when it transfers away to a DN without a trigger the session stops (R9)
 * — at the transfer's completion, not its start (R8). */
static void
r3_route_destination (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5001", "7002", "destination");
	expect (h, STARTED (C1, "000", "7002"), NULL);
	ev_released (h, C1, "7002", RREC_CALL_STATE_TRANSFERRED, "7004");
	expect (h, NULL);
	ev_ringing (h, C1, "7004", CALLER, RREC_CALL_TYPE_INBOUND);
	expect (h, NULL);
	ev_established (h, C1, "7004", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
	ev_released (h, C1, "7004", 0, NULL);
	expect (h, NULL);
}

/* R3: record=source records while the originator (the caller) is present:
 * through the agent's transfer to the call's end.  R13: the owner is the
 * route's scoped DN, the caller. */
static void
r3_route_source (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5001", "7002", "source");
	expect (h, STARTED (C1, "000", CALLER), NULL);
	single_step_transfer (h, C1, "7002", "7004", CALLER);
	expect (h, NULL);
	assert_state (h, C1, "recording");
	ev_released (h, C1, "7004", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* R3: record=disabled vetoes the destination's own record=true, but not a
 * later client START. */
static void
r3_route_disabled (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5001", "7001", "disabled");
	expect (h, NULL);
	assert_state (h, C1, NULL);
	req_private (h, 31, C1, "7001", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7001"), ACK ("31", "7001", C1), NULL);
}

/* R3: record=disable_destination vetoes the destination's record=true. */
static void
r3_route_disable_destination (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5001", "7003", "disable_destination");
	expect (h, NULL);
	ev_released (h, C1, "7003", 0, NULL);
	expect (h, NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 0);
}

/* R3: a route's veto of an outside destination keeps that DN's entry in
 * the engine's DN table while the call lasts, on no party or not, and
 * the entry goes with the call. */
static void
r3_veto_outside_dn_kept (Harness *h)
{
	harness_start (h, NULL);
	ev_route_request (h, C1, "5001", CALLER);
	req_route_call (h, 901, C1, "5001", OUTSIDE, "disabled");
	expect (h, NULL);
	/* the veto alone names it */
	g_assert_cmpint (dn_refs (h, OUTSIDE), ==, 1);
	ev_route_used (h, C1, "5001", OUTSIDE);
	expect (h, NULL);
	g_assert_cmpint (dn_refs (h, OUTSIDE), ==, 1);
	ev_released (h, C1, "5001", 0, NULL);
	expect (h, NULL);
	assert_state (h, C1, NULL);
	g_assert_cmpint (dn_refs (h, OUTSIDE), ==, -1);
}

/* R3: record=disable_source vetoes the originator's record=true: 7001
 * calls 7002 through routing point 5001 (M2 + M3). */
static void
r3_route_disable_source (Harness *h)
{
	RrecMessage m;

	harness_start (h, NULL);
	ev_dialing (h, C1, "7001", "5001", RREC_CALL_TYPE_INTERNAL);
	m = skype_msg (RREC_MSG_EVENT_ROUTE_REQUEST, C1, "5001");
	m.other_dn = "7001";
	m.call_type = RREC_CALL_TYPE_INTERNAL;
	harness_feed (h, &m);
	req_route_call (h, 32, C1, "5001", "7002", "disable_source");
	ev_route_used (h, C1, "5001", "7002");
	m = skype_msg (RREC_MSG_EVENT_RINGING, C1, "7002");
	m.other_dn = "7001";
	m.third_party_dn = "5001";
	m.call_type = RREC_CALL_TYPE_INTERNAL;
	harness_feed (h, &m);
	ev_established (h, C1, "7002", "7001");
	ev_established (h, C1, "7001", "7002");
	/* M3: the engine does not answer RequestRouteCall either. */
	expect (h, NULL);
	assert_state (h, C1, NULL);
}

/* ---- R4 ------------------------------------------------------------------ */

/* R4: Extensions record=source starts recording scoped to ThisDN; the
 * scope leaving by a transfer stops it (R8, R9). */
static void
r4_private_source (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	expect (h, NULL);
	req_private (h, 41, C1, "7002", NONE, "source", NULL);
	expect (h, STARTED (C1, "000", "7002"), ACK ("41", "7002", C1), NULL);
	single_step_transfer (h, C1, "7002", "7004", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
}

/* R4: record=destination without OtherDN scopes the party ThisDN is
 * connected with — here the caller, who stays through the transfer. */
static void
r4_private_destination (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 42, C1, "7002", NONE, "destination", NULL);
	expect (h, STARTED (C1, "000", CALLER), ACK ("42", "7002", C1), NULL);
	single_step_transfer (h, C1, "7002", "7004", CALLER);
	expect (h, NULL);
	assert_state (h, C1, "recording");
}

/* R4: record=destination with an OtherDN scopes that DN (M2 call). */
static void
r4_private_destination_other_dn (Harness *h)
{
	harness_start (h, NULL);
	ev_dialing (h, C1, "7002", "7004", RREC_CALL_TYPE_INTERNAL);
	ev_ringing (h, C1, "7004", "7002", RREC_CALL_TYPE_INTERNAL);
	ev_established (h, C1, "7004", "7002");
	ev_established (h, C1, "7002", "7004");
	expect (h, NULL);
	req_private (h, 43, C1, "7002", NONE, "destination", "7004");
	expect (h, STARTED (C1, "000", "7004"), ACK ("43", "7002", C1), NULL);
}

/* R4: a client's scope on an outside DN that is on no party of the call
 * (a conference's guest to come) keeps that DN's entry in the engine's DN
 * table: it triggers when the DN joins, again after it left and came back
 * (R8), and the entry goes with the call. */
static void
r4_scope_outside_dn_kept (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	expect (h, NULL);
	g_assert_cmpint (dn_refs (h, OUTSIDE), ==, -1);
	req_private (h, 44, C1, "7002", NONE, "destination", OUTSIDE);
	expect (h, NULL);	/* R6: the scoped DN is not on the call */
	/* the scope alone names it */
	g_assert_cmpint (dn_refs (h, OUTSIDE), ==, 1);
	ev_party_added (h, C1, "7002", OUTSIDE, NONE);
	expect (h, STARTED (C1, "000", OUTSIDE), ACK ("44", "7002", C1), NULL);
	ev_party_deleted (h, C1, "7002", OUTSIDE);
	expect (h, REC (C1, "stop"), "release-leg call=" C1 " port=+1555000 "
		"reason=no-trigger", MARK (C1, "OFF"), NULL);
	/* no party names it now: the step's sweep left it to the scope */
	g_assert_cmpint (dn_refs (h, OUTSIDE), ==, 1);
	ev_party_added (h, C1, "7002", OUTSIDE, NONE);
	expect (h, STARTED (C1, "001", OUTSIDE), NULL);
	ev_released (h, C1, "7002", 0, NULL);
	expect (h, RELEASE (C1, "001"), NULL);
	assert_state (h, C1, NULL);
	/* the call's end dropped the last reference */
	g_assert_cmpint (dn_refs (h, OUTSIDE), ==, -1);
}

/* ---- R5 ------------------------------------------------------------------ */

/* R5: 3013 START, 3015 PAUSE, 3016 RESUME, 3014 STOP; each answered once
 * SIP Server acknowledged (R27), GSIP_RECORD following (R28). */
static void
r5_private_msg_ids (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 51, C1, "7002", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7002"), ACK ("51", "7002", C1), NULL);
	req_private (h, 52, C1, "7002", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("52", "7002", C1), NULL);
	assert_state (h, C1, "paused");
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, C1), ==,
			  RREC_PAUSE_CLIENT);
	req_private (h, 53, C1, "7002", RESUME, NULL, NULL);
	expect (h, REC (C1, "resume"), MARK (C1, "ON"),
		ACK ("53", "7002", C1), NULL);
	assert_state (h, C1, "recording");
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, C1), ==, 0);
	req_private (h, 54, C1, "7002", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("54", "7002", C1), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
}

/* R5: a 3013 START takes its scope from `record` when present. */
static void
r5_start_with_scope (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 55, C1, "7002", START, "destination", NULL);
	expect (h, STARTED (C1, "000", CALLER), ACK ("55", "7002", C1), NULL);
}

/* ---- R6 ------------------------------------------------------------------ */

/* R6: a START before two parties are established is remembered and acts
 * (and is answered, R27) when they are. */
static void
r6_trigger_waits_for_two_parties (Harness *h)
{
	harness_start (h, NULL);
	ev_ringing (h, C1, "7002", CALLER, RREC_CALL_TYPE_INBOUND);
	req_private (h, 61, C1, "7002", START, NULL, NULL);
	expect (h, NULL);
	assert_state (h, C1, NULL);
	ev_established (h, C1, "7002", CALLER);
	expect (h, STARTED (C1, "000", "7002"), ACK ("61", "7002", C1), NULL);
}

/* R6: a held party is an established party (M4). */
static void
r6_held_party_counts (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	ev_held (h, C1, "7002");
	req_private (h, 62, C1, "7002", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7002"), ACK ("62", "7002", C1), NULL);
}

/* R6, R9: a supervisor is not counted: when the caller leaves, the agent
 * and the supervisor are not two established parties. */
static void
r6_supervisor_not_counted (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	supervisor_joins (h, C1, "7001");
	expect (h, NULL);
	ev_party_deleted (h, C1, "7001", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
	g_assert_true (rrec_engine_has_call (h->engine, C1));
}

/* ---- R7 ------------------------------------------------------------------ */

/* R7: a START on a recorded call creates no session and is acknowledged. */
static void
r7_second_start_acked (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 71, C1, "7001", START, NULL, NULL);
	expect (h, ACK ("71", "7001", C1), NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 1);
	ports_in_use (h, 1);
}

/* R7, R27: a START while the session is still starting is answered when
 * it has started. */
static void
r7_start_while_starting (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	assert_state (h, C1, "dialing");
	req_private (h, 72, C1, "7001", START, NULL, NULL);
	expect (h, NULL);
	sip_leg_established (h, "0100000000000001", "+1555000");
	expect (h, REC (C1, "start"), NULL);
	assert_state (h, C1, "starting");
	sip_ack (h, h->refid_start);
	expect (h, MARK (C1, "ON"), ACK ("72", "7001", C1), NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 1);
}

/* R7, R8: the scope of a START on a recorded call joins its triggers: the
 * caller it scopes keeps the session through the agent's transfer, which
 * would have stopped it otherwise (see r8_trigger_holds_until_done). */
static void
r7_start_scope_joins_triggers (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 73, C1, "7001", START, "destination", NULL);
	expect (h, ACK ("73", "7001", C1), NULL);
	single_step_transfer (h, C1, "7001", "7004", CALLER);
	expect (h, NULL);
	assert_state (h, C1, "recording");
	ev_released (h, C1, "7004", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* ---- R8 ------------------------------------------------------------------ */

/* R8: through a transfer to another record=true DN the session goes on. */
static void
r8_transfer_to_record_dn (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	single_step_transfer (h, C1, "7001", "7003", CALLER);
	expect (h, NULL);
	assert_state (h, C1, "recording");
	g_assert_cmpuint (counters (h).sessions, ==, 1);
}

/* R8: the leaving party's trigger holds until the transfer completes. */
static void
r8_trigger_holds_until_done (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7002");
	expect (h, NULL);
	assert_state (h, C1, "recording");
	ev_ringing (h, C1, "7002", CALLER, RREC_CALL_TYPE_INBOUND);
	expect (h, NULL);
	ev_established (h, C1, "7002", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
}

/* R8: M5's completion events in another order: the new party is already
 * established on X when the release with CallState 1 comes, so the
 * transfer is over at once and the scope that left stops the session. */
static void
r8_completion_any_order (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 81, C1, "7002", START, "source", NULL);
	expect (h, STARTED (C1, "000", "7002"), ACK ("81", "7002", C1), NULL);
	consult (h, C1, Y1, "7002", "7004");
	expect (h, NULL);
	ev_party_changed (h, C1, "7004", Y1, "7002");
	expect (h, NULL);
	ev_released (h, Y1, "7002", 0, NULL);
	expect (h, NULL);
	ev_released (h, C1, "7002", RREC_CALL_STATE_TRANSFERRED, "7004");
	expect (h, STOPPED (C1, "000"), NULL);
}

/* R8: parties joining and leaving a conference change nothing. */
static void
r8_conference_party_leaves (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7002");
	complete_conference (h, C1, Y1, "7001", "7002");
	expect (h, NULL);
	ev_released (h, C1, "7002", 0, NULL);
	expect (h, NULL);
	assert_state (h, C1, "recording");
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* ---- R9 ------------------------------------------------------------------ */

/* R9: the recorded agent transfers away (M5) to a DN without a trigger. */
static void
r9_no_trigger_stops (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7002");
	expect (h, NULL);
	ev_released (h, Y1, "7001", 0, NULL);
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7002");
	expect (h, NULL);	/* R8: in progress, 7001's trigger holds */
	ev_party_changed (h, C1, "7002", Y1, "7001");
	expect (h, STOPPED (C1, "000"), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
	g_assert_true (rrec_engine_has_call (h->engine, C1));
}

/* R9: fewer than two established parties and no transfer: stop, even
 * though the record=true DN is still there. */
static void
r9_one_party_left_stops (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_party_deleted (h, C1, "7001", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
}

/* R9: a leg still being dialled is released with no GSIP request.  R28:
 * GSIP_RECORD=OFF is written as the session ends while the call goes on
 * (choice: the file name was written, so clients learn it is over). */
static void
r9_dialing_leg_released (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	ev_party_deleted (h, C1, "7001", CALLER);
	expect (h, RELEASE (C1, "000"), MARK (C1, "OFF"), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (rrec_engine_pending_timers (h->engine), ==, 0);
}

/* R9, R16: when the stop also empties the pause set, no RESUME first. */
static void
r9_stop_empties_pause_no_resume (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7002");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, C1), ==,
			  RREC_PAUSE_TRANSFER);
	ev_ringing (h, C1, "7002", CALLER, RREC_CALL_TYPE_INBOUND);
	expect (h, NULL);
	ev_established (h, C1, "7002", CALLER);
	expect (h, STOPPED (C1, "000"), NULL);
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, C1), ==, 0);
}

/* ---- R10 ----------------------------------------------------------------- */

/* R10: a client STOP ends the session and clears the triggers: the DN
 * still present does not re-arm, a new START makes a new session (on the
 * next never-used port, R18). */
static void
r10_client_stop_clears_triggers (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 101, C1, "7001", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("101", "7001", C1), NULL);
	ev_held (h, C1, "7001");
	ev_retrieved (h, C1, "7001");
	expect (h, NULL);
	assert_state (h, C1, NULL);
	req_private (h, 102, C1, "7001", START, NULL, NULL);
	expect (h, STARTED (C1, "001", "7001"), ACK ("102", "7001", C1), NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 2);
}

/* R10: a record=true party joining after a client STOP is a new trigger. */
static void
r10_new_record_party_restarts (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 103, C1, "7001", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("103", "7001", C1), NULL);
	single_step_transfer (h, C1, "7001", "7003", CALLER);
	expect (h, STARTED (C1, "001", "7003"), NULL);
}

/* ---- R11 ----------------------------------------------------------------- */

/* R11: a consultation call is not recorded, whoever is on it. */
static void
r11_consult_not_recorded (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	consult (h, C1, Y1, "7002", "7001");
	expect (h, NULL);
	assert_state (h, Y1, NULL);
	abandon_consult (h, C1, Y1, "7002", "7001");
	expect (h, NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 0);
}

/* R11, R27: a START on a consultation call is not-supported. */
static void
r11_consult_start_not_supported (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	consult (h, C1, Y1, "7002", "7004");
	req_private (h, 111, Y1, "7002", START, NULL, NULL);
	expect (h, ERR ("111", "7002", Y1, "not-supported"), NULL);
	g_assert_cmpuint (counters (h).client_errors, ==, 1);
}

/* ---- R12 ----------------------------------------------------------------- */

/* R12: the supervisor's own record=true is ignored (M7). */
static void
r12_supervisor_record_ignored (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	supervisor_joins (h, C1, "7002");
	expect (h, NULL);
	assert_state (h, C1, NULL);
}

/* R12: a START from a supervisor is not-allowed. */
static void
r12_supervisor_start_not_allowed (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	supervisor_joins (h, C1, "7002");
	req_private (h, 121, C1, "7009", START, NULL, NULL);
	expect (h, ERR ("121", "7009", C1, "not-allowed"), NULL);
}

/* R12: a START whose scope is a supervisor is not-allowed. */
static void
r12_scope_supervisor_not_allowed (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	supervisor_joins (h, C1, "7002");
	req_private (h, 122, C1, "7002", START, "destination", "7009");
	expect (h, ERR ("122", "7002", C1, "not-allowed"), NULL);
	assert_state (h, C1, NULL);
}

/* R12: a supervisor's PAUSE and STOP are served as anyone's. */
static void
r12_supervisor_stop_served (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	supervisor_joins (h, C1, "7001");
	req_private (h, 123, C1, "7009", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("123", "7009", C1), NULL);
	req_private (h, 124, C1, "7009", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("124", "7009", C1), NULL);
}

/* R12, M7: a supervisor that barges in (a later event without the Observer
 * role) stays a supervisor. */
static void
r12_barge_in_stays_supervisor (Harness *h)
{
	RrecMessage m;

	harness_start (h, NULL);
	inbound (h, C1, "7002");
	supervisor_joins (h, C1, "7002");
	m = skype_msg (RREC_MSG_EVENT_PARTY_CHANGED, C1, "7009");
	m.this_dn_role = 3;	/* ConferenceMember */
	harness_feed (h, &m);
	expect (h, NULL);
	req_private (h, 125, C1, "7009", START, NULL, NULL);
	expect (h, ERR ("125", "7009", C1, "not-allowed"), NULL);
}

/* ---- R13 ----------------------------------------------------------------- */

/* R13: the scoped DN of a client start owns the session before a
 * record=true party. */
static void
r13_owner_client_first (Harness *h)
{
	harness_start (h, NULL);
	ev_dialing (h, C1, "7001", "7002", RREC_CALL_TYPE_INTERNAL);
	ev_ringing (h, C1, "7002", "7001", RREC_CALL_TYPE_INTERNAL);
	req_private (h, 131, C1, "7002", START, NULL, NULL);
	expect (h, NULL);
	ev_established (h, C1, "7002", "7001");
	expect (h, STARTED (C1, "000", "7002"), ACK ("131", "7002", C1), NULL);
	ev_established (h, C1, "7001", "7002");
	expect (h, NULL);
}

/* R13: a route's scoped DN before the routing point's trigger. */
static void
r13_owner_route_before_routing_point (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7002", "destination");
	expect (h, STARTED (C1, "000", "7002"), NULL);
}

/* R13: a record=true party before the routing point's trigger. */
static void
r13_owner_record_dn_before_routing_point (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7001", NULL);
	expect (h, STARTED (C1, "000", "7001"), NULL);
}

/* R13, R25: the owner stays when it has left and the leg is dialled again. */
static void
r13_owner_kept_on_redial (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7001", NULL);
	expect (h, STARTED (C1, "000", "7001"), NULL);
	single_step_transfer (h, C1, "7001", "7002", CALLER);
	expect (h, NULL);	/* the routing point's trigger holds (R1) */
	sip_drop (h, "+1555000");
	expect (h, NULL);
	advance (h, 5000);
	/* R28: GSIP_REC_FN on the first leg only; GSIP_RECORD is ON already. */
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	assert_state (h, C1, "recording");
}

/* R3: `disabled` vetoes the destination's own trigger only: the record=true
 * routing point's trigger (R1) still holds. */
static void
r3_disabled_keeps_routing_point (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7001", "disabled");
	expect (h, STARTED (C1, "000", "5000"), NULL);
}

/* R10: a client STOP clears the routing point's trigger too: a transfer
 * afterwards does not restart the session. */
static void
r10_stop_clears_routing_point (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7002", NULL);
	expect (h, STARTED (C1, "000", "5000"), NULL);
	req_private (h, 104, C1, "7002", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("104", "7002", C1), NULL);
	single_step_transfer (h, C1, "7002", "7004", CALLER);
	expect (h, NULL);
	assert_state (h, C1, NULL);
}

/* R9, R10: a client STOP while the hold has paused the leg: STOP, no
 * RESUME first. */
static void
r10_stop_while_paused (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	req_private (h, 105, C1, "7001", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("105", "7001", C1), NULL);
}

/* §7: events that make no sense are counted and ignored, never acted on. */
static void
s7_nonsense_ignored (Harness *h)
{
	RrecEngineCounters before, after;

	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	before = counters (h);
	ev_retrieved (h, C1, "7001");		/* retrieved without hold */
	ev_party_changed (h, C5, "7002", C4, NULL);	/* a call never seen */
	ev_held (h, C5, "7002");
	expect (h, NULL);
	after = counters (h);
	g_assert_cmpuint (after.ignored + after.rejected, >=,
			  before.ignored + before.rejected + 2);
	assert_state (h, C1, "recording");
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	ev_released (h, C1, "7001", 0, NULL);	/* released twice */
	expect (h, NULL);
	ports_in_use (h, 0);
}

/* R1, R11: the record=true DN consulted on Y is not recorded there, but
 * once the transfer moves it to X it is a present party of X: X starts. */
static void
r11_consulted_dn_joins_original (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	consult (h, C1, Y1, "7002", "7001");
	expect (h, NULL);
	complete_transfer (h, C1, Y1, "7002", "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	assert_state (h, Y1, NULL);
}

/* R12: the supervisor's DN is a supervisor on the calls it observes only:
 * on its own call its record=true applies (R1). */
static void
r12_supervisor_dn_own_call (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C2, "7009");
	expect (h, STARTED (C2, "000", "7009"), NULL);
}

static void
add_tests (void)
{
	harness_add ("R1/record-dn-mandatory", r1_record_dn);
	harness_add ("R1/no-trigger-no-session", r1_no_record_dn);
	harness_add ("R1/acd-position", r1_acd_position);
	harness_add ("R1/routing-point-trigger-survives-transfer",
		     r1_routing_point_trigger);
	harness_add ("R2/outbound-direct-dial-not-mandatory",
		     r2_outbound_direct_dial);
	harness_add ("R2/transferred-to-record-dn", r2_transferred_to_record_dn);
	harness_add ("R3/route-destination", r3_route_destination);
	harness_add ("R3/route-source", r3_route_source);
	harness_add ("R3/route-disabled-then-client-start", r3_route_disabled);
	harness_add ("R3/route-disable-destination",
		     r3_route_disable_destination);
	harness_add ("R3/route-disable-source", r3_route_disable_source);
	harness_add ("R3/veto-outside-dn-kept", r3_veto_outside_dn_kept);
	harness_add ("R4/private-record-source", r4_private_source);
	harness_add ("R4/private-record-destination", r4_private_destination);
	harness_add ("R4/private-record-destination-other-dn",
		     r4_private_destination_other_dn);
	harness_add ("R4/scope-outside-dn-kept", r4_scope_outside_dn_kept);
	harness_add ("R5/start-pause-resume-stop", r5_private_msg_ids);
	harness_add ("R5/start-with-record-scope", r5_start_with_scope);
	harness_add ("R6/trigger-waits-for-two-parties",
		     r6_trigger_waits_for_two_parties);
	harness_add ("R6/held-party-counts", r6_held_party_counts);
	harness_add ("R6/supervisor-not-counted", r6_supervisor_not_counted);
	harness_add ("R7/second-start-acked", r7_second_start_acked);
	harness_add ("R7/start-while-starting", r7_start_while_starting);
	harness_add ("R7/start-scope-joins-triggers",
		     r7_start_scope_joins_triggers);
	harness_add ("R8/transfer-to-record-dn-continues",
		     r8_transfer_to_record_dn);
	harness_add ("R8/trigger-holds-until-transfer-done",
		     r8_trigger_holds_until_done);
	harness_add ("R8/completion-events-any-order",
		     r8_completion_any_order);
	harness_add ("R8/conference-party-leaves", r8_conference_party_leaves);
	harness_add ("R9/no-trigger-stops", r9_no_trigger_stops);
	harness_add ("R9/one-party-left-stops", r9_one_party_left_stops);
	harness_add ("R9/dialing-leg-released-without-gsip",
		     r9_dialing_leg_released);
	harness_add_moh ("R9/stop-empties-pause-no-resume", FALSE,
			 r9_stop_empties_pause_no_resume);
	harness_add ("R10/client-stop-clears-triggers",
		     r10_client_stop_clears_triggers);
	harness_add ("R10/new-record-party-restarts",
		     r10_new_record_party_restarts);
	harness_add ("R11/consult-not-recorded", r11_consult_not_recorded);
	harness_add ("R11/consult-start-not-supported",
		     r11_consult_start_not_supported);
	harness_add ("R12/supervisor-record-ignored",
		     r12_supervisor_record_ignored);
	harness_add ("R12/supervisor-start-not-allowed",
		     r12_supervisor_start_not_allowed);
	harness_add ("R12/scope-supervisor-not-allowed",
		     r12_scope_supervisor_not_allowed);
	harness_add ("R12/supervisor-stop-served", r12_supervisor_stop_served);
	harness_add ("R12/barge-in-stays-supervisor",
		     r12_barge_in_stays_supervisor);
	harness_add ("R13/owner-client-before-record-dn",
		     r13_owner_client_first);
	harness_add ("R13/owner-route-before-routing-point",
		     r13_owner_route_before_routing_point);
	harness_add ("R13/owner-record-dn-before-routing-point",
		     r13_owner_record_dn_before_routing_point);
	harness_add ("R13/owner-kept-on-redial", r13_owner_kept_on_redial);
	harness_add ("R3/route-disabled-keeps-routing-point",
		     r3_disabled_keeps_routing_point);
	harness_add ("R10/stop-clears-routing-point-trigger",
		     r10_stop_clears_routing_point);
	harness_add_moh ("R10/stop-while-held-no-resume", FALSE,
			 r10_stop_while_paused);
	harness_add ("S7/nonsense-events-ignored", s7_nonsense_ignored);
	harness_add ("R11/consulted-record-dn-joins-original",
		     r11_consulted_dn_joins_original);
	harness_add ("R12/supervisor-dn-own-call-records",
		     r12_supervisor_dn_own_call);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
