/*
 * test-engine-r36.c — consultation calls recorded (behaviour.md R36, with
 * R11 and R27 when the option is off): record-consult-calls = true makes
 * M5's call Y a call like any other, its START names the main call's
 * recording (parent-id), and the merge ends its session.
 */
#include "engine-harness.h"


static const HarnessOptions consult_on = {
	.remote_recording = "record-consult-calls = true\n",
};

#define PAUSING(c) REC (c, "pause"), MARK (c, "PAUSED")
#define RESUMING(c) REC (c, "resume"), MARK (c, "ON")

/* ACTIONS only when record-moh is false, nothing otherwise. */
#define expect_moh_false(h, ...) \
	do { \
		if ((h)->record_moh) \
			expect ((h), NULL); \
		else \
			expect ((h), __VA_ARGS__); \
	} while (0)

#define MERGED_STOP(c, p) \
	REC (c, "stop"), "release-leg call=" c " port=+1555" p \
	" reason=consult-merged", MARK (c, "OFF")

static void
assert_parent (Harness *h, const char *parent)
{
	g_autofree char *want = g_strdup_printf ("'parent-id':'%s'", parent);

	g_assert_nonnull (h->start_ext);
	g_assert_nonnull (strstr (h->start_ext, want));
}

/* R36, M5 transfer to a record = true DN: two sessions on two ports, the
 * consultation's START names the main call's recording, the merge stops
 * it (consult-merged), the main call records on throughout. */
static void
r36_transfer (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	if (h->record_moh)
		expect (h, STARTED (Y1, "001", "7003"), NULL);
	else
		expect (h, PAUSING (C1), STARTED (Y1, "001", "7003"), NULL);
	assert_parent (h, C1 "-1");
	ports_in_use (h, 2);
	/* R9 does not end the consultation's session */
	ev_released (h, Y1, "7001", 0, NULL);
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7003");
	expect (h, NULL);
	assert_state (h, Y1, "recording");
	ev_party_changed (h, C1, "7003", Y1, "7001");
	if (h->record_moh)
		expect (h, MERGED_STOP (Y1, "001"), NULL);
	else
		expect (h, MERGED_STOP (Y1, "001"), RESUMING (C1), NULL);
	assert_state (h, C1, "recording");
	g_assert_false (rrec_engine_has_call (h->engine, Y1));
	ev_released (h, C1, "7003", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (counters (h).sessions, ==, 2);
}

/* R11: the option off, the same story records the main call only. */
static void
r36_transfer_off (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	expect_moh_false (h, PAUSING (C1), NULL);
	assert_state (h, Y1, NULL);
	complete_transfer (h, C1, Y1, "7001", "7003");
	expect_moh_false (h, RESUMING (C1), NULL);
	ev_released (h, C1, "7003", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 1);
}

/* R36, M5 conference: the merge stops the consultation's session; the
 * main call goes on with three parties. */
static void
r36_conference (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	if (h->record_moh)
		expect (h, STARTED (Y1, "001", "7003"), NULL);
	else
		expect (h, PAUSING (C1), STARTED (Y1, "001", "7003"), NULL);
	ev_released (h, Y1, "7001", 0, NULL);
	expect (h, NULL);
	ev_retrieved (h, C1, "7001");
	expect_moh_false (h, RESUMING (C1), NULL);
	ev_party_added (h, C1, "7001", "7003", RREC_ABSENT);
	ev_party_changed (h, C1, "7003", Y1, NULL);
	expect (h, MERGED_STOP (Y1, "001"), NULL);
	assert_state (h, C1, "recording");
	ports_in_use (h, 1);
	ev_released (h, C1, "7003", 0, NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
}

/* R11: the option off, a conference records the main call only. */
static void
r36_conference_off (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	expect_moh_false (h, PAUSING (C1), NULL);
	complete_conference (h, C1, Y1, "7001", "7003");
	expect_moh_false (h, RESUMING (C1), NULL);
	assert_state (h, Y1, NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 1);
}

/* R36, R26: an abandoned consultation ends its session as any call's end:
 * the leg released, no STOP, the port free. */
static void
r36_abandoned (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	expect (h, STARTED (Y1, "001", "7003"), NULL);
	abandon_consult (h, C1, Y1, "7001", "7003");
	expect (h, RELEASE (Y1, "001"), NULL);
	g_assert_false (rrec_engine_has_call (h->engine, Y1));
	ports_in_use (h, 1);
	assert_state (h, C1, "recording");
}

/* R36, R5, R27: a client START on a consultation to a record = false DN
 * starts its session (with the option off: not-supported, R11). */
static void
r36_client_start (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7004");
	/* 7001 is record = true and on Y1 too: its trigger holds there */
	expect (h, STARTED (Y1, "001", "7001"), NULL);
	req_private (h, 361, Y1, "7004", START, NULL, NULL);
	expect (h, ACK ("361", "7004", Y1), NULL);
	g_assert_cmpuint (counters (h).sessions, ==, 2);
}

static void
r36_client_start_off (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	expect (h, NULL);
	consult (h, C1, Y1, "7002", "7004");
	req_private (h, 362, Y1, "7004", START, NULL, NULL);
	expect (h, ERR ("362", "7004", Y1, "not-supported"), NULL);
}

/* R36, R8: a client's scope on the consultation (record = false DNs only)
 * holds on the main call once the transfer merges it there, and starts
 * the main call's session (R6); the consultation's START had no parent-id
 * (the main call had no session). */
static void
r36_scope_moves_to_main (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7002");
	expect (h, NULL);
	consult (h, C1, Y1, "7002", "7004");
	expect (h, NULL);
	req_private (h, 363, Y1, "7004", START, NULL, NULL);
	expect (h, STARTED (Y1, "000", "7004"), ACK ("363", "7004", Y1), NULL);
	g_assert_null (strstr (h->start_ext, "parent-id"));
	complete_transfer (h, C1, Y1, "7002", "7004");
	/* R16: the completion lifts the hold before the session starts */
	expect (h, MERGED_STOP (Y1, "000"), STARTED (C1, "001", "7004"), NULL);
	ev_released (h, C1, "7004", 0, NULL);
	expect (h, RELEASE (C1, "001"), NULL);
	ports_in_use (h, 0);
}

/* R36: a consultation that merged records no more, even with two parties
 * and a record = true DN left on it (completion events in any order, §3);
 * a client START on it is not-supported, a STOP not-recording. */
static void
r36_no_session_after_merge (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	expect (h, STARTED (Y1, "001", "7003"), NULL);
	/* an external party on the consultation too */
	ev_established (h, Y1, "7001", CALLER);
	ev_party_added (h, C1, "7001", "7003", RREC_ABSENT);
	ev_party_changed (h, C1, "7003", Y1, NULL);
	expect (h, MERGED_STOP (Y1, "001"), NULL);
	assert_state (h, Y1, NULL);
	ports_in_use (h, 1);
	req_private (h, 364, Y1, "7001", START, NULL, NULL);
	expect (h, ERR ("364", "7001", Y1, "not-supported"), NULL);
	req_private (h, 365, Y1, "7001", STOP, NULL, NULL);
	expect (h, ERR ("365", "7001", Y1, "not-recording"), NULL);
	ev_released (h, Y1, "7001", 0, NULL);
	expect (h, NULL);
	g_assert_false (rrec_engine_has_call (h->engine, Y1));
	g_assert_cmpuint (counters (h).sessions, ==, 2);
}

/* R36, R8, R10: the main call's triggers were cleared by a client STOP;
 * its transfer completes with the merge.  7001 left the main call by the
 * transfer: its trigger does not come over, the merge stops the
 * consultation's session and starts none on the main call (not even for a
 * moment while the transfer's end is being noticed). */
static void
r36_merge_starts_nothing (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	req_private (h, 367, C1, "7001", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("367", "7001", C1), NULL);
	consult (h, C1, Y1, "7001", "7004");
	expect (h, STARTED (Y1, "001", "7001"), NULL);
	complete_transfer (h, C1, Y1, "7001", "7004");
	expect (h, MERGED_STOP (Y1, "001"), NULL);
	assert_state (h, C1, NULL);
	ports_in_use (h, 0);
	g_assert_cmpuint (counters (h).orphans, ==, 0);
}

/* R36, R9: the consultation's session still dialling at the merge: the
 * leg is released with no GSIP request. */
static void
r36_merge_while_dialling (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	consult (h, C1, Y1, "7001", "7003");
	expect (h, FN (Y1, "7003", "001"), DIAL (Y1, "001", "7003"), NULL);
	assert_state (h, Y1, "dialing");
	complete_transfer (h, C1, Y1, "7001", "7003");
	expect (h, "release-leg call=" Y1 " port=+1555001 reason=consult-merged",
		MARK (Y1, "OFF"), NULL);
	ports_in_use (h, 1);
}

/* R36, R25: the consultation's session re-establishing at the merge: no
 * leg to release, the session ends, the port is free. */
static void
r36_merge_while_reestablishing (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	expect (h, STARTED (Y1, "001", "7003"), NULL);
	sip_drop (h, "+1555001");
	assert_state (h, Y1, "reestablishing");
	complete_transfer (h, C1, Y1, "7001", "7003");
	expect (h, MARK (Y1, "OFF"), NULL);
	ports_in_use (h, 1);
	advance (h, 10000);
	expect (h, NULL);
}

/* R36, R34: two consultations in a row from one main call: each its own
 * session, both naming the main call's recording. */
static void
r36_two_consultations (Harness *h)
{
	harness_start (h, &consult_on);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	consult (h, C1, Y1, "7001", "7003");
	expect (h, STARTED (Y1, "001", "7003"), NULL);
	assert_parent (h, C1 "-1");
	abandon_consult (h, C1, Y1, "7001", "7003");
	expect (h, RELEASE (Y1, "001"), NULL);
	g_clear_pointer (&h->start_ext, g_free);
	consult (h, C1, Y2, "7001", "7005");
	expect (h, STARTED (Y2, "002", "7005"), NULL);
	assert_parent (h, C1 "-1");
	ports_in_use (h, 2);
	g_assert_cmpuint (counters (h).sessions, ==, 3);
}

static void
add_tests (void)
{
	for (int moh = 0; moh < 2; moh++) {
		const char *m = moh ? "moh-true" : "moh-false";
		g_autofree char *t = g_strdup_printf ("R36/%s/transfer", m);
		g_autofree char *toff = g_strdup_printf ("R36/%s/transfer-off", m);
		g_autofree char *c = g_strdup_printf ("R36/%s/conference", m);
		g_autofree char *coff = g_strdup_printf ("R36/%s/conference-off", m);

		harness_add_moh (t, moh, r36_transfer);
		harness_add_moh (toff, moh, r36_transfer_off);
		harness_add_moh (c, moh, r36_conference);
		harness_add_moh (coff, moh, r36_conference_off);
	}
	harness_add ("R36/abandoned", r36_abandoned);
	harness_add ("R36/client-start", r36_client_start);
	harness_add ("R36/client-start-off", r36_client_start_off);
	harness_add ("R36/merge-while-dialling", r36_merge_while_dialling);
	harness_add ("R36/merge-while-reestablishing",
		     r36_merge_while_reestablishing);
	harness_add ("R36/two-consultations", r36_two_consultations);
	harness_add ("R36/no-session-after-merge", r36_no_session_after_merge);
	harness_add ("R36/merge-starts-nothing", r36_merge_starts_nothing);
	harness_add_moh ("R36/moh-false/scope-moves-to-main", FALSE,
			 r36_scope_moves_to_main);
	harness_add_moh ("R36/moh-true/scope-moves-to-main", TRUE,
			 r36_scope_moves_to_main);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
