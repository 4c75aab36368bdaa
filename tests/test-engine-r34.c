/*
 * test-engine-r34.c — the recording's identity (behaviour.md R34): the
 * recording id, GSIP_RECORD_START's Extensions, GSIP_REC_ID.
 */
#include "engine-harness.h"

#define FN_ID(c, dn, p, id) \
	"call-userdata call=" c " data={'GSIP_REC_FN':'" c "_" dn "_+1555" p \
	"','GSIP_REC_ID':'" id "'}"

static const HarnessOptions geo = {
	.groups = "[dn:7006]\ntype = extension\nrecord = true\n"
		  "geo-location = eu-west\n",
};

static void
assert_ext (Harness *h, const char *expected)
{
	g_assert_cmpstr (h->start_ext, ==, expected);
}

/* R34: the id is the ConnID (no CallUUID) and the session's number; START
 * carries id, recording-filename and the owner's geo-location; R28 writes
 * GSIP_REC_ID with the file name at the first dial. */
static void
r34_start_ext_with_geo_location (Harness *h)
{
	harness_start (h, &geo);
	inbound (h, C1, "7006");
	expect (h, FN_ID (C1, "7006", "000", C1 "-1"), DIAL (C1, "000", "7006"),
		REC (C1, "start"), MARK (C1, "ON"), NULL);
	assert_ext (h, "{'id':'" C1 "-1','recording-filename':'" C1
		    "_7006_+1555000','geo-location':'eu-west'}");
}

/* R34: without the option, no geo-location key; the CallUUID comes first. */
static void
r34_call_uuid_no_geo_location (Harness *h)
{
	RrecMessage m;

	harness_start (h, NULL);
	m = skype_msg (RREC_MSG_EVENT_RINGING, C1, "7001");
	m.other_dn = CALLER;
	m.call_uuid = "UUID42";
	m.call_type = RREC_CALL_TYPE_INBOUND;
	harness_feed (h, &m);
	ev_established (h, C1, "7001", CALLER);
	expect (h, FN_ID (C1, "7001", "000", "UUID42-1"),
		DIAL (C1, "000", "7001"), REC (C1, "start"), MARK (C1, "ON"),
		NULL);
	assert_ext (h, "{'id':'UUID42-1','recording-filename':'" C1
		    "_7001_+1555000'}");
}

/* R34, R25: a re-dialled leg's START carries the same values. */
static void
r34_redial_same_ext (Harness *h)
{
	harness_start (h, &geo);
	inbound (h, C1, "7006");
	expect (h, STARTED (C1, "000", "7006"), NULL);
	g_clear_pointer (&h->start_ext, g_free);
	sip_drop (h, "+1555000");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7006"), REC (C1, "start"), NULL);
	assert_ext (h, "{'id':'" C1 "-1','recording-filename':'" C1
		    "_7006_+1555000','geo-location':'eu-west'}");
}

/* R34: the next session after a STOP is number 2; a start refused at once
 * (link down, R23) takes no number; a first leg that never came up does. */
static void
r34_session_numbers (Harness *h)
{
	harness_start (h, NULL);
	inbound (h, C1, "7002");
	req_private (h, 341, C1, "7002", START, NULL, NULL);
	expect (h, FN_ID (C1, "7002", "000", C1 "-1"), DIAL (C1, "000", "7002"),
		REC (C1, "start"), MARK (C1, "ON"), ACK ("341", "7002", C1), NULL);
	req_private (h, 342, C1, "7002", STOP, NULL, NULL);
	expect (h, STOPPED (C1, "000"), ACK ("342", "7002", C1), NULL);
	/* refused at once: no session, no number */
	sip_server_disconnected (h);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"), NULL);
	req_private (h, 343, C1, "7002", START, NULL, NULL);
	expect (h, ERR ("343", "7002", C1, "server-unavailable"), NULL);
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"), NULL);
	/* a first leg that never comes up counts */
	h->healthy_sip = FALSE;
	req_private (h, 344, C1, "7002", START, NULL, NULL);
	expect (h, FN_ID (C1, "7002", "001", C1 "-2"), DIAL (C1, "001", "7002"),
		NULL);
	advance (h, 10000);
	expect (h, RELEASE (C1, "001"), ERR ("344", "7002", C1, "setup-failed"),
		NULL);
	h->healthy_sip = TRUE;
	req_private (h, 345, C1, "7002", START, NULL, NULL);
	/* number 3, on the port never used before (R18) */
	expect (h, "call-userdata call=" C1 " data={'GSIP_REC_FN':'" C1
		"_7002_+1555002','GSIP_REC_ID':'" C1 "-3'}",
		DIAL (C1, "002", "7002"), REC (C1, "start"), MARK (C1, "ON"),
		ACK ("345", "7002", C1), NULL);
}

/* R34, R21: GSIP_REC_ID is the engine's own key: never sent to the leg. */
static void
r34_rec_id_not_sent_to_leg (Harness *h)
{
	g_autoptr (RrecKvList) kv = rrec_kv_list_new ();

	harness_start (h, NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	rrec_kv_list_add_string (kv, "GSIP_REC_ID", "x-9");
	rrec_kv_list_add_string (kv, "Order", "7");
	ev_attached_data_changed (h, C1, "7001", kv);
	expect (h, LEGDATA (C1, "'Order':'7'"), NULL);
}

/* R34: a CallUUID first seen after the dial does not change the id the
 * recording was given: a re-dialled leg's START names the ConnID still. */
static void
r34_call_uuid_after_dial_keeps_id (Harness *h)
{
	RrecMessage m;

	harness_start (h, &geo);
	inbound (h, C1, "7006");
	expect (h, STARTED (C1, "000", "7006"), NULL);
	m = skype_msg (RREC_MSG_EVENT_ATTACHED_DATA_CHANGED, C1, "7006");
	m.call_uuid = "UUID77";
	harness_feed (h, &m);
	g_clear_pointer (&h->start_ext, g_free);
	sip_drop (h, "+1555000");
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7006"), REC (C1, "start"), NULL);
	assert_ext (h, "{'id':'" C1 "-1','recording-filename':'" C1
		    "_7006_+1555000','geo-location':'eu-west'}");
}

static void
add_tests (void)
{
	harness_add ("R34/start-ext-with-geo-location",
		     r34_start_ext_with_geo_location);
	harness_add ("R34/call-uuid-no-geo-location",
		     r34_call_uuid_no_geo_location);
	harness_add ("R34/redial-same-ext", r34_redial_same_ext);
	harness_add ("R34/call-uuid-after-dial-keeps-id",
		     r34_call_uuid_after_dial_keeps_id);
	harness_add ("R34/session-numbers", r34_session_numbers);
	harness_add ("R34/rec-id-not-sent-to-leg", r34_rec_id_not_sent_to_leg);
}

int
main (int argc, char **argv)
{
	return harness_run (argc, argv, add_tests);
}
