/*
 * test-engine-r32.c — a call renamed by EventPartyChanged (behaviour.md
 * R32): everything moves to the new ConnID, the leg is kept.
 */
#include "engine-harness.h"

#define RENAMED(to, from) "call-renamed call=" to " from=" from

/* R32: EventPartyChanged(ConnID=C2, PreviousConnID=C1), C1 recorded, C2
 * unknown: the call goes on as C2 with its session, port and leg — no GSIP
 * request; C1 is unknown afterwards; the release of C2 releases the leg. */
static void
r32_rename_keeps_leg (Harness *h)
{
	guint64 ignored;

	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_party_changed (h, C2, "7003", C1, "7001");
	expect (h, RENAMED (C2, C1), NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	assert_state (h, C2, "recording");
	ports_in_use (h, 1);
	/* §7: events for the old ConnID are unknown-call events */
	ignored = counters (h).ignored;
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, NULL);
	g_assert_cmpuint (counters (h).ignored, ==, ignored + 1);
	/* 7001 leaves C2: 7003 (ThisDN of the event: established, record =
	 * true) keeps the session (R8) */
	ev_released (h, C2, "7001", 0, NULL);
	expect (h, NULL);
	assert_state (h, C2, "recording");
	ev_released (h, C2, "7003", 0, NULL);
	expect (h, RELEASE (C2, "000"), NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (counters (h).calls, ==, 1);
}

/* R32, R28: the recording state is written on the new ConnID from then
 * on, and the client's requests name it. */
static void
r32_userdata_on_new_call (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_party_changed (h, C2, "7001", C1, NULL);
	expect (h, RENAMED (C2, C1), NULL);
	req_private (h, 321, C2, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C2, "pause"), MARK (C2, "PAUSED"),
		ACK ("321", "7001", C2), NULL);
	req_private (h, 322, C1, "7001", RESUME, NULL, NULL);
	expect (h, ERR ("322", "7001", C1, "no-such-call"), NULL);
}

/* R32, R27: a client START waiting for two parties moves with the call and
 * is answered on the new ConnID. */
static void
r32_waiting_start_moves (Harness *h)
{
	harness_start (h, NULL);
	ev_ringing (h, C1, "7002", CALLER, RREC_CALL_TYPE_INBOUND);
	req_private (h, 323, C1, "7002", START, NULL, NULL);
	expect (h, NULL);
	ev_party_changed (h, C2, "7004", C1, "7002");
	expect (h, RENAMED (C2, C1), NULL);
	ev_established (h, C2, "7002", "7004");
	expect (h, STARTED (C2, "000", "7002"), ACK ("323", "7002", C2), NULL);
}

/* R32, R25: the timers move: a leg dialled before the rename that never
 * comes up fails the start on the new ConnID. */
static void
r32_timers_move (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	ev_party_changed (h, C2, "7001", C1, NULL);
	expect (h, RENAMED (C2, C1), NULL);
	advance (h, 10000);
	expect (h, RELEASE (C2, "000"), MARK (C2, "OFF"), NULL);
	ports_in_use (h, 0);
}

/* C1 on record = true 7001, its leg up and its START sent, SIP Server's
 * answers left to the test (R19). */
static void
c1_start_unanswered (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	sip_leg_established (h, "0100000000000001", "+1555000");
	expect (h, REC (C1, "start"), NULL);
}

/* R32, R19: SIP Server's answers to requests sent before the rename still
 * reach the session. */
static void
r32_answers_after_rename (Harness *h)
{
	c1_start_unanswered (h);
	ev_party_changed (h, C2, "7001", C1, NULL);
	expect (h, RENAMED (C2, C1), NULL);
	sip_ack (h, h->refid_start);
	expect (h, MARK (C2, "ON"), NULL);
	assert_state (h, C2, "recording");
}

/* R32: the rename moves the call's own requests in flight, read from its
 * session (not from every request in flight); each answer still reaches
 * its session. */
static void
r32_rename_reads_own_requests (Harness *h)
{
	gint64 start1;
	guint64 before;

	c1_start_unanswered (h);
	start1 = h->refid_start;
	inbound (h, C3, "7003");
	expect (h, FN (C3, "7003", "001"), DIAL (C3, "001", "7003"), NULL);
	sip_leg_established (h, "0100000000000002", "+1555001");
	expect (h, REC (C3, "start"), NULL);
	g_assert_cmpuint (requests_in_flight (h), ==, 2);
	before = request_visits (h);
	ev_party_changed (h, C2, "7001", C1, NULL);
	expect (h, RENAMED (C2, C1), NULL);
	g_assert_cmpuint (request_visits (h) - before, ==, 1);
	sip_ack (h, h->refid_start);
	expect (h, MARK (C3, "ON"), NULL);
	sip_ack (h, start1);
	expect (h, MARK (C2, "ON"), NULL);
	assert_state (h, C2, "recording");
	assert_state (h, C3, "recording");
}

/* R32, R11: a renamed consultation call is no consultation any more: a
 * client START is served. */
static void
r32_consult_renamed (Harness *h)
{
	harness_start (h, NULL);
	ev_dialing (h, Y1, "7002", "7004", RREC_CALL_TYPE_CONSULT);
	ev_established (h, Y1, "7004", "7002");
	req_private (h, 324, Y1, "7002", START, NULL, NULL);
	expect (h, ERR ("324", "7002", Y1, "not-supported"), NULL);
	ev_party_changed (h, C2, "7004", Y1, "7002");
	expect (h, RENAMED (C2, Y1), NULL);
	req_private (h, 325, C2, "7002", START, NULL, NULL);
	expect (h, STARTED (C2, "000", "7002"), ACK ("325", "7002", C2), NULL);
}

/* R32: when the new ConnID is a known call too, it is M5's completion, no
 * rename. */
static void
r32_known_new_call_is_m5 (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	inbound (h, C2, "7003");
	expect (h, STARTED (C1, "000", "7001"), STARTED (C2, "001", "7003"),
		NULL);
	/* 7001 moves to C2: C1 keeps no DN of this T-Server and ends (R26),
	 * C2 goes on with its own session */
	ev_party_changed (h, C2, "7001", C1, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	assert_state (h, C2, "recording");
}

static void
add_tests (void)
{
	harness_add ("R32/rename-keeps-leg", r32_rename_keeps_leg);
	harness_add ("R32/userdata-on-new-call", r32_userdata_on_new_call);
	harness_add ("R32/waiting-start-moves", r32_waiting_start_moves);
	harness_add ("R32/timers-move", r32_timers_move);
	harness_add ("R32/answers-after-rename", r32_answers_after_rename);
	harness_add ("R32/rename-reads-own-requests",
		     r32_rename_reads_own_requests);
	harness_add ("R32/consult-renamed", r32_consult_renamed);
	harness_add ("R32/known-new-call-is-m5", r32_known_new_call_is_m5);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
