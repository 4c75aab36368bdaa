/*
 * test-engine-models.c — the call models M1-M9 of behaviour.md §3, each
 * with record-moh = true and false (/engine/Mn/moh-true/…,
 * /engine/Mn/moh-false/…): with false, hold and transfer pause the
 * recording (R14-R16); with true they change nothing.
 */
#include "engine-harness.h"

/* What a hold or a transfer's start does to a recording session. */
#define PAUSING(c) REC (c, "pause"), MARK (c, "PAUSED")
#define RESUMING(c) REC (c, "resume"), MARK (c, "ON")

/* Checks ACTIONS only when record-moh is false, nothing otherwise. */
#define expect_moh_false(h, ...) \
	do { \
		if ((h)->record_moh) \
			expect ((h), NULL); \
		else \
			expect ((h), __VA_ARGS__); \
	} while (0)

/* M1: inbound, answered by a record=true agent, released. */
static void
m1_inbound_direct (Harness *h)
{
	harness_start (h, NULL);
	ev_ringing (h, C1, "7001", CALLER, RREC_CALL_TYPE_INBOUND);
	expect (h, NULL);
	ev_established (h, C1, "7001", CALLER);
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_assert_cmpuint (rrec_engine_active_calls (h->engine), ==, 0);
}

/* M2: internal; when one side hangs up the other is alone: R9 stops before
 * the last release ends the call (R26). */
static void
m2_internal (Harness *h)
{
	harness_start (h, NULL);
	ev_dialing (h, C1, "7001", "7002", RREC_CALL_TYPE_INTERNAL);
	ev_ringing (h, C1, "7002", "7001", RREC_CALL_TYPE_INTERNAL);
	expect (h, NULL);
	ev_established (h, C1, "7002", "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_established (h, C1, "7001", "7002");
	expect (h, NULL);
	ev_released (h, C1, "7002", 0, NULL);
	expect (h, STOPPED (C1, "000"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
}

/* M3: routed through a record=true routing point. */
static void
m3_routed (Harness *h)
{
	harness_start (h, NULL);
	ev_route_request (h, C1, "5000", CALLER);
	req_route_call (h, 31, C1, "5000", "7002", NULL);
	ev_route_used (h, C1, "5000", "7002");
	expect (h, NULL);
	{
		RrecMessage m = skype_msg (RREC_MSG_EVENT_RINGING, C1, "7002");

		m.other_dn = CALLER;
		m.third_party_dn = "5000";
		m.call_type = RREC_CALL_TYPE_INBOUND;
		harness_feed (h, &m);
	}
	expect (h, NULL);
	ev_established (h, C1, "7002", CALLER);
	expect (h, STARTED (C1, "000", "5000"), NULL);
	ev_released (h, C1, "7002", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* M4: hold and retrieve, twice. */
static void
m4_hold (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	for (int i = 0; i < 2; i++) {
		ev_held (h, C1, "7001");
		expect_moh_false (h, PAUSING (C1), NULL);
		assert_state (h, C1, h->record_moh ? "recording" : "paused");
		ev_retrieved (h, C1, "7001");
		expect_moh_false (h, RESUMING (C1), NULL);
		assert_state (h, C1, "recording");
	}
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* M5: two-step transfer to another record=true agent: the session goes on
 * (R8), paused from the hold to the completion with record-moh = false. */
static void
m5_two_step_transfer (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	expect_moh_false (h, PAUSING (C1), NULL);
	assert_state (h, Y1, NULL);	/* R11 */
	ev_released (h, Y1, "7001", 0, NULL);
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7003");
	expect (h, NULL);
	ev_party_changed (h, C1, "7003", Y1, "7001");
	expect_moh_false (h, RESUMING (C1), NULL);
	assert_state (h, C1, "recording");
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, C1), ==, 0);
	ev_released (h, C1, "7003", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 1);
}

/* M5: two-step conference: the retrieve ends the pause; the added party
 * leaving changes nothing (R8). */
static void
m5_conference (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7004");
	expect_moh_false (h, PAUSING (C1), NULL);
	ev_released (h, Y1, "7001", 0, NULL);
	expect (h, NULL);
	ev_retrieved (h, C1, "7001");
	expect_moh_false (h, RESUMING (C1), NULL);
	ev_party_added (h, C1, "7001", "7004", RREC_ABSENT);
	ev_party_changed (h, C1, "7004", Y1, NULL);
	expect (h, NULL);
	ev_released (h, C1, "7004", 0, NULL);
	expect (h, NULL);
	assert_state (h, C1, "recording");
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* M5: abandoned consultation: the retrieve ends the pause. */
static void
m5_abandoned (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7004");
	expect_moh_false (h, PAUSING (C1), NULL);
	abandon_consult (h, C1, Y1, "7001", "7004");
	expect_moh_false (h, RESUMING (C1), NULL);
	assert_state (h, C1, "recording");
	g_assert_false (rrec_engine_has_call (h->engine, Y1));
}

/* M6: single-step transfer to another record=true agent. */
static void
m6_single_step_transfer (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7003");
	expect_moh_false (h, PAUSING (C1), NULL);
	g_assert_true (rrec_engine_has_call (h->engine, C1));	/* R26 */
	ev_ringing (h, C1, "7003", CALLER, RREC_CALL_TYPE_INBOUND);
	expect (h, NULL);
	ev_established (h, C1, "7003", CALLER);
	expect_moh_false (h, RESUMING (C1), NULL);
	assert_state (h, C1, "recording");
	ev_released (h, C1, "7003", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* M7: a supervisor joins and leaves: nothing changes (R8, R12). */
static void
m7_supervision (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	supervisor_joins (h, C1, "7001");
	expect (h, NULL);
	ev_released (h, C1, "7009", 0, NULL);
	expect (h, NULL);
	assert_state (h, C1, "recording");
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* M8: outbound direct dial: recorded only on request (R2). */
static void
m8_outbound_direct (Harness *h)
{
	harness_start (h, NULL);
	ev_dialing (h, C1, "7001", OUTSIDE, RREC_CALL_TYPE_OUTBOUND);
	ev_established (h, C1, "7001", OUTSIDE);
	expect (h, NULL);
	req_private (h, 81, C1, "7001", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7001"), ACK ("81", "7001", C1), NULL);
	ev_held (h, C1, "7001");
	expect_moh_false (h, PAUSING (C1), NULL);
	ev_retrieved (h, C1, "7001");
	expect_moh_false (h, RESUMING (C1), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* M9: the leg rings, comes up, is dropped (named by DNIS only) and is
 * dialled again (R19, R25). */
static void
m9_recording_leg (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	sip_leg_ringing (h, "0100000000000001", "+1555000");
	expect (h, NULL);
	sip_leg_established (h, "0100000000000001", "+1555000");
	expect (h, REC (C1, "start"), NULL);
	sip_ack (h, h->refid_start);
	expect (h, MARK (C1, "ON"), NULL);
	sip_leg_released (h, NULL, "+1555000");
	expect (h, NULL);
	assert_state (h, C1, "reestablishing");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), NULL);
	sip_leg_established (h, "0100000000000002", "+1555000");
	expect (h, REC (C1, "start"), NULL);
	sip_ack (h, h->refid_start);
	expect (h, NULL);
	assert_state (h, C1, "recording");
}

static void
add_tests (void)
{
	harness_add_model ("M1", "inbound-direct", m1_inbound_direct);
	harness_add_model ("M2", "internal", m2_internal);
	harness_add_model ("M3", "routed", m3_routed);
	harness_add_model ("M4", "hold", m4_hold);
	harness_add_model ("M5", "two-step-transfer", m5_two_step_transfer);
	harness_add_model ("M5", "conference", m5_conference);
	harness_add_model ("M5", "abandoned-consultation", m5_abandoned);
	harness_add_model ("M6", "single-step-transfer",
			   m6_single_step_transfer);
	harness_add_model ("M7", "supervision", m7_supervision);
	harness_add_model ("M8", "outbound-direct", m8_outbound_direct);
	harness_add_model ("M9", "recording-leg", m9_recording_leg);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
