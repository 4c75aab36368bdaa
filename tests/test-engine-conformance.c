/*
 * test-engine-conformance.c — the rules behaviour.md made precise after
 * independent checks of the engine (issue #11): R4, R14, R16, R20, R27,
 * R30.  Each scenario fails without the fix it names.
 */
#include "engine-harness.h"

static void
reasons (Harness *h, const char *conn, guint expected)
{
	g_assert_cmpuint (rrec_engine_pause_reasons (h->engine, conn), ==,
			  expected);
}

/* ---- R20 ----------------------------------------------------------------- */

/* R20: a leg that only rings is released at its EventRinging, the first
 * SIP-side event, and counted as an orphan. */
static void
r20_ringing_orphan (Harness *h)
{
	harness_start (h, NULL);
	sip_leg_ringing (h, "0100000000000099", "+1555099");
	expect (h, ORPHAN ("+1555099"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 1);
	ports_in_use (h, 0);
}

/* R20: the leg a dialling session waits for may ring: not an orphan. */
static void
r20_ringing_dialled_leg (Harness *h)
{
	harness_start (h, NULL);
	h->healthy_sip = FALSE;
	inbound (h, C1, "7001");
	expect (h, FN (C1, "7001", "000"), DIAL (C1, "000", "7001"), NULL);
	sip_leg_ringing (h, "0100000000000001", "+1555000");
	expect (h, NULL);
	sip_leg_established (h, "0100000000000001", "+1555000");
	expect (h, REC (C1, "start"), NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 0);
}

/* R20: an orphan released at its EventRinging is not released (or counted)
 * again when its EventEstablished crosses the release. */
static void
r20_ringing_then_established_once (Harness *h)
{
	harness_start (h, NULL);
	sip_leg_ringing (h, "0100000000000099", "+1555099");
	expect (h, ORPHAN ("+1555099"), NULL);
	sip_leg_established (h, "0100000000000099", "+1555099");
	expect (h, NULL);
	g_assert_cmpuint (counters (h).orphans, ==, 1);
}

/* ---- R16 ----------------------------------------------------------------- */

/* R16, R15: with record-moh = false a transfer's completion lifts `hold`
 * as well as `transfer`, even while another party is still held.  7001
 * and 7003 have record = true. */
static void
r16_completion_lifts_hold (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	ev_established (h, C1, "7003", CALLER);
	expect (h, NULL);
	ev_held (h, C1, "7003");
	expect (h, REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	reasons (h, C1, RREC_PAUSE_HOLD);
	/* the transfer completes at once: 7003 (record = true) is
	 * established already (R8) */
	ev_released (h, C1, "7001", RREC_CALL_STATE_TRANSFERRED, "7004");
	expect (h, REC (C1, "resume"), MARK (C1, "ON"), NULL);
	reasons (h, C1, 0);
}

static void
add_tests (void)
{
	harness_add ("R20/ringing-orphan", r20_ringing_orphan);
	harness_add ("R20/ringing-dialled-leg", r20_ringing_dialled_leg);
	/* the orphan is remembered by this process only (README) */
	harness_add_once ("R20/ringing-then-established-once", TRUE,
			  r20_ringing_then_established_once);
	harness_add_moh ("R16/completion-lifts-hold", FALSE,
			 r16_completion_lifts_hold);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
