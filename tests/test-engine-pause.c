/*
 * test-engine-pause.c — recording without music on hold: the pause set,
 * hold, transfer and client pauses (behaviour.md R14-R17).
 *
 * Scenarios run with record-moh = false unless their path says moh-true.
 */
#include "engine-harness.h"

static void
reasons (Harness *h, const char *conn, guint bits)
{
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, conn), ==, bits);
}

/* ---- R14 ----------------------------------------------------------------- */

/* R14: the pause set belongs to the call; a session that starts while it is
 * not empty sends PAUSE as soon as its START is acknowledged. */
static void
r14_start_while_paused (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	ev_held (h, C1, "7002");
	expect (h, NULL);
	reasons (h, C1, RREC_PAUSE_HOLD);
	req_private (h, 141, C1, "7002", START, NULL, NULL);
	expect (h, STARTED (C1, "000", "7002"), ACK ("141", "7002", C1),
		REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	assert_state (h, C1, "paused");
	ev_retrieved (h, C1, "7002");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	reasons (h, C1, 0);
}

/* R14: PAUSE when the set becomes non-empty, RESUME when it becomes empty,
 * never twice in a row. */
static void
r14_never_twice (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 142, C1, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("142", "7001", C1), NULL);
	ev_held (h, C1, "7001");
	expect (h, NULL);
	reasons (h, C1, RREC_PAUSE_CLIENT | RREC_PAUSE_HOLD);
	ev_retrieved (h, C1, "7001");
	expect (h, NULL);
	reasons (h, C1, RREC_PAUSE_CLIENT);
	req_private (h, 143, C1, "7001", RESUME, NULL, NULL);
	expect (h, REC (C1, "resume"), MARK (C1, "ON"),
		ACK ("143", "7001", C1), NULL);
	reasons (h, C1, 0);
	assert_state (h, C1, "recording");
}

/* R14: a retrieve while the PAUSE is in flight: its ACK is followed by a
 * RESUME (one request at a time, never two PAUSEs). */
static void
r14_retrieve_while_pausing (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), NULL);
	assert_state (h, C1, "pausing");
	ev_retrieved (h, C1, "7001");
	expect (h, NULL);
	reasons (h, C1, 0);
	sip_ack (h, h->refid_pause);
	expect (h, MARK (C1, "PAUSED"), REC (C1, "resume"), NULL);
	sip_ack (h, h->refid_resume);
	expect (h, MARK (C1, "ON"), NULL);
	assert_state (h, C1, "recording");
}

/* ---- R15 ----------------------------------------------------------------- */

/* R15: the first hold pauses, the first retrieve resumes (M4). */
static void
r15_first_hold_pauses (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	assert_state (h, C1, "paused");
	reasons (h, C1, RREC_PAUSE_HOLD);
	ev_retrieved (h, C1, "7001");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	assert_state (h, C1, "recording");
}

/* R15: several agents on the call (a conference, M5): the first hold
 * pauses, the first retrieve resumes, whoever holds or retrieves. */
static void
r15_several_agents (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7002");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	complete_conference (h, C1, Y1, "7001", "7002");
	/* R16: the retrieve ends the hold (and the M5 transfer) */
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	ev_held (h, C1, "7002");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	ev_held (h, C1, "7001");
	expect (h, NULL);
	ev_retrieved (h, C1, "7001");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	ev_retrieved (h, C1, "7002");
	expect (h, NULL);
	reasons (h, C1, 0);
}

/* R15, R16: with record-moh = true, hold does not pause. */
static void
r15_moh_true_hold_records (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_held (h, C1, "7001");
	expect (h, NULL);
	reasons (h, C1, 0);
	assert_state (h, C1, "recording");
	ev_retrieved (h, C1, "7001");
	expect (h, NULL);
}

/* ---- R16 ----------------------------------------------------------------- */

/* R16: a single-step transfer (M6) pauses at the release with CallState 1
 * and resumes when the new party is established.  The routing point's
 * trigger (R1) keeps the session through it. */
static void
r16_single_step_transfer (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7002", NULL);
	expect (h, STARTED (C1, "000", "5000"), NULL);
	ev_released (h, C1, "7002", RREC_CALL_STATE_TRANSFERRED, "7004");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	reasons (h, C1, RREC_PAUSE_TRANSFER);
	ev_ringing (h, C1, "7004", CALLER, RREC_CALL_TYPE_INBOUND);
	expect (h, NULL);
	ev_established (h, C1, "7004", CALLER);
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	reasons (h, C1, 0);
}

/* R16: a two-step transfer (M5) pauses at the hold and resumes when it
 * completes, removing both `transfer` and `hold`. */
static void
r16_two_step_transfer (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7002", NULL);
	expect (h, STARTED (C1, "000", "5000"), NULL);
	consult (h, C1, Y1, "7002", "7004");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	ev_released (h, Y1, "7002", 0, NULL);
	ev_released (h, C1, "7002", RREC_CALL_STATE_TRANSFERRED, "7004");
	expect (h, NULL);
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, C1) &
			  RREC_PAUSE_HOLD, !=, 0);
	ev_party_changed (h, C1, "7004", Y1, "7002");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	reasons (h, C1, 0);
}

/* R16: an abandoned consultation: the retrieve resumes. */
static void
r16_abandoned_consultation (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7002", NULL);
	expect (h, STARTED (C1, "000", "5000"), NULL);
	consult (h, C1, Y1, "7002", "7004");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	ev_released (h, Y1, "7004", 0, NULL);
	ev_released (h, Y1, "7002", 0, NULL);
	expect (h, NULL);
	ev_retrieved (h, C1, "7002");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	reasons (h, C1, 0);
}

/* R16: with record-moh = true a transfer does not pause. */
static void
r16_moh_true_transfer_records (Harness *h)
{
	harness_start (h, NULL);
	routed (h, C1, "5000", "7002", NULL);
	expect (h, STARTED (C1, "000", "5000"), NULL);
	ev_released (h, C1, "7002", RREC_CALL_STATE_TRANSFERRED, "7004");
	expect (h, NULL);
	reasons (h, C1, 0);
	ev_ringing (h, C1, "7004", CALLER, RREC_CALL_TYPE_INBOUND);
	ev_established (h, C1, "7004", CALLER);
	expect (h, NULL);
	assert_state (h, C1, "recording");
}

/* ---- R17 ----------------------------------------------------------------- */

/* R17: a client RESUME during hold removes only `client`: it is answered at
 * once (no request to SIP Server, R27) and the leg stays paused until the
 * retrieve. */
static void
r17_resume_during_hold (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 171, C1, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("171", "7001", C1), NULL);
	ev_held (h, C1, "7001");
	expect (h, NULL);
	req_private (h, 172, C1, "7001", RESUME, NULL, NULL);
	expect (h, ACK ("172", "7001", C1), NULL);
	reasons (h, C1, RREC_PAUSE_HOLD);
	assert_state (h, C1, "paused");
	ev_retrieved (h, C1, "7001");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
}

/* R17, R27: repeating the state the call is in is acknowledged at once
 * (record-moh = true: client pauses do not depend on it). */
static void
r17_repeated_requests_acked (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 173, C1, "7001", RESUME, NULL, NULL);
	expect (h, ACK ("173", "7001", C1), NULL);
	req_private (h, 174, C1, "7001", PAUSE, NULL, NULL);
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"),
		ACK ("174", "7001", C1), NULL);
	req_private (h, 175, C1, "7001", PAUSE, NULL, NULL);
	expect (h, ACK ("175", "7001", C1), NULL);
	req_private (h, 176, C1, "7001", RESUME, NULL, NULL);
	expect (h, REC (C1, "resume"), MARK (C1, "ON"),
		ACK ("176", "7001", C1), NULL);
	reasons (h, C1, 0);
}

/* R17, R27: a client PAUSE while the hold has paused already needs no
 * request: answered at once; the RESUME after the retrieve is sent. */
static void
r17_pause_during_hold (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	req_private (h, 177, C1, "7001", PAUSE, NULL, NULL);
	expect (h, ACK ("177", "7001", C1), NULL);
	ev_retrieved (h, C1, "7001");
	expect (h, NULL);
	reasons (h, C1, RREC_PAUSE_CLIENT);
	req_private (h, 178, C1, "7001", RESUME, NULL, NULL);
	expect (h, REC (C1, "resume"), MARK (C1, "ON"),
		ACK ("178", "7001", C1), NULL);
}

static void
add_tests (void)
{
	harness_add_moh ("R14/start-while-paused", FALSE,
			 r14_start_while_paused);
	harness_add_moh ("R14/never-twice", FALSE, r14_never_twice);
	harness_add_moh ("R14/retrieve-while-pausing", FALSE,
			 r14_retrieve_while_pausing);
	harness_add_moh ("R15/first-hold-pauses", FALSE,
			 r15_first_hold_pauses);
	harness_add_moh ("R15/several-agents-first-retrieve-resumes", FALSE,
			 r15_several_agents);
	harness_add_moh ("R15/moh-true/hold-does-not-pause", TRUE,
			 r15_moh_true_hold_records);
	harness_add_moh ("R16/single-step-transfer", FALSE,
			 r16_single_step_transfer);
	harness_add_moh ("R16/two-step-transfer", FALSE,
			 r16_two_step_transfer);
	harness_add_moh ("R16/abandoned-consultation", FALSE,
			 r16_abandoned_consultation);
	harness_add_moh ("R16/moh-true/transfer-does-not-pause", TRUE,
			 r16_moh_true_transfer_records);
	harness_add_moh ("R17/resume-during-hold-stays-paused", FALSE,
			 r17_resume_during_hold);
	harness_add_moh ("R17/moh-true/repeated-requests-acked", TRUE,
			 r17_repeated_requests_acked);
	harness_add_moh ("R17/pause-during-hold", FALSE,
			 r17_pause_during_hold);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
