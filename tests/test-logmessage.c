/*
 * test-logmessage.c — log blocks into engine messages (rrec-logmessage.h):
 * every attribute the engine reads lands in its own field, names that
 * only resemble them are ignored, and one converted message serves block
 * after block (rrec_log_message_reset) without keeping an earlier block's
 * lists.
 */
#include <string.h>

#include "rrec-logmessage.h"

#define MAX_SEEN 8

typedef struct {
	RrecLogMessage conv;	/* kept across blocks, as rrec replay does */
	guint n;
	gboolean ok[MAX_SEEN];
	char *error[MAX_SEEN];
	char *user_data[MAX_SEEN];	/* rrec_kv_list_to_string, or NULL */
	char *extensions[MAX_SEEN];
	RrecMessage msg[MAX_SEEN];	/* strings copied into @strings */
	GStringChunk *strings;
} Seen;

static const char *
keep (Seen *s, const char *text)
{
	return text ? g_string_chunk_insert (s->strings, text) : NULL;
}

static void
on_block (const RrecLogBlock *b, gpointer user_data)
{
	Seen *s = user_data;
	RrecLogMessage *c = &s->conv;
	guint i = s->n++;
	RrecMessage *m;

	g_assert_cmpuint (i, <, MAX_SEEN);
	g_assert_cmpint (b->message_type, >=, 0);
	rrec_log_message_reset (c);
	s->ok[i] = rrec_log_message_convert (c, b, RREC_SIDE_SKYPE,
					     b->message_type);
	s->error[i] = g_strdup (c->error);
	s->user_data[i] = c->msg.user_data ?
		rrec_kv_list_to_string (c->msg.user_data) : NULL;
	s->extensions[i] = c->msg.extensions ?
		rrec_kv_list_to_string (c->msg.extensions) : NULL;
	m = &s->msg[i];
	*m = c->msg;
	m->conn_id = keep (s, m->conn_id);
	m->previous_conn_id = keep (s, m->previous_conn_id);
	m->transfer_conn_id = keep (s, m->transfer_conn_id);
	m->this_dn = keep (s, m->this_dn);
	m->other_dn = keep (s, m->other_dn);
	m->third_party_dn = keep (s, m->third_party_dn);
	m->dnis = keep (s, m->dnis);
	m->ani = keep (s, m->ani);
	m->call_uuid = keep (s, m->call_uuid);
	m->error_message = keep (s, m->error_message);
	m->user_data = m->extensions = NULL;
}

static void
on_error (const char *file_name, guint64 line, const char *message,
	  gpointer user_data)
{
	g_error ("t.log:%" G_GUINT64_FORMAT ": %s", line, message);
}

static void
read_text (Seen *s, const char *text)
{
	RrecLogReader *reader = rrec_log_reader_new ("t.log", on_block,
						     on_error, s);

	memset (s, 0, sizeof *s);
	s->strings = g_string_chunk_new (256);
	rrec_log_reader_feed (reader, text, strlen (text));
	rrec_log_reader_finish (reader);
	rrec_log_reader_free (reader);
}

static void
seen_clear (Seen *s)
{
	for (guint i = 0; i < s->n; i++) {
		g_free (s->error[i]);
		g_free (s->user_data[i]);
		g_free (s->extensions[i]);
	}
	rrec_log_message_clear (&s->conv);
	g_string_chunk_free (s->strings);
}

/* Each of the twenty attributes the engine reads, with a value of its
 * own, among names that share their length and first and last letters
 * with them (the converter finds a name by those) but are not theirs. */
static void
test_every_field (void)
{
	Seen s;

	read_text (&s,
		   "10:00:00.000 distribute_event: message EventRinging\n"
		   "\tAttributeConnID\t00000000000000a1\n"
		   "\tAttributePreviousConnID\t00000000000000a2\n"
		   "\tAttributeTransferConnID\t00000000000000a3\n"
		   "\tAttributeThisDN\t'7001'\n"
		   "\tAttributeOtherDN\t'7002'\n"
		   "\tAttributeThirdPartyDN\t'7003'\n"
		   "\tAttributeThisDNRole\t1\n"
		   "\tAttributeOtherDNRole\t2\n"
		   "\tAttributeThirdPartyDNRole\t3\n"
		   "\tAttributeCallType\t4\n"
		   "\tAttributeCallState\t5\n"
		   "\tAttributeDNIS\t'5000'\n"
		   "\tAttributeANI\t'+14155550100'\n"
		   "\tAttributeCallUUID\t'UUID1'\n"
		   "\tAttributeReferenceID\t6\n"
		   "\tAttributePrivateMsgID\t3013\n"
		   "\tAttributeErrorCode\t7\n"
		   "\tAttributeErrorMessage\t'no'\n"
		   "\tAttributeUserData\t[12] 00 01 00 00..\n"
		   "\t\t'k'\t'v'\n"
		   "\tAttributeExtensions\t[12] 00 01 00 00..\n"
		   "\t\t'record'\t'source'\n"
		   /* look-alikes: same length, tenth and last letters */
		   "\tAttributeThisDx\t'x1'\n"
		   "\tAttributeTxxxDN\t'x2'\n"
		   "\tAttributeCallTxpe\t99\n"
		   "\tAttributeUxxrData\t'x3'\n"
		   "\tAttributeANx\t'x4'\n"
		   "\tAttribute\t'x5'\n"
		   "\tAttr\t'x6'\n");
	g_assert_cmpuint (s.n, ==, 1);
	g_assert_true (s.ok[0]);
	g_assert_null (s.error[0]);
	RrecMessage *m = &s.msg[0];
	g_assert_cmpint (m->type, ==, RREC_MSG_EVENT_RINGING);
	g_assert_cmpstr (m->conn_id, ==, "00000000000000a1");
	g_assert_cmpstr (m->previous_conn_id, ==, "00000000000000a2");
	g_assert_cmpstr (m->transfer_conn_id, ==, "00000000000000a3");
	g_assert_cmpstr (m->this_dn, ==, "7001");
	g_assert_cmpstr (m->other_dn, ==, "7002");
	g_assert_cmpstr (m->third_party_dn, ==, "7003");
	g_assert_cmpint (m->this_dn_role, ==, 1);
	g_assert_cmpint (m->other_dn_role, ==, 2);
	g_assert_cmpint (m->third_party_dn_role, ==, 3);
	g_assert_cmpint (m->call_type, ==, 4);
	g_assert_cmpint (m->call_state, ==, 5);
	g_assert_cmpstr (m->dnis, ==, "5000");
	g_assert_cmpstr (m->ani, ==, "+14155550100");
	g_assert_cmpstr (m->call_uuid, ==, "UUID1");
	g_assert_cmpint (m->reference_id, ==, 6);
	g_assert_cmpint (m->private_msg_id, ==, 3013);
	g_assert_cmpint (m->error_code, ==, 7);
	g_assert_cmpstr (m->error_message, ==, "no");
	g_assert_cmpstr (s.user_data[0], ==, "{'k':'v'}");
	g_assert_cmpstr (s.extensions[0], ==, "{'record':'source'}");
	seen_clear (&s);
}

/* One kept message, three blocks: the second has no lists and must not
 * show the first's; the third's lists hold only its own pairs.  A bare
 * number where a DN is expected is still a DN; a word where a number is
 * expected is an error naming the attribute. */
static void
test_reset_between_blocks (void)
{
	Seen s;

	read_text (&s,
		   "10:00:00.000 distribute_event: message EventRinging\n"
		   "\tAttributeUserData\t[12] 00 01 00 00..\n"
		   "\t\t'a'\t'1'\n"
		   "\t\t'n'\t5\n"
		   "\tAttributeThisDN\t7001\n"
		   "\tAttributeConnID\t00000000000000a1\n"
		   "10:00:00.100 distribute_event: message EventEstablished\n"
		   "\tAttributeThisDN\t'7001'\n"
		   "\tAttributeConnID\t00000000000000a1\n"
		   "10:00:00.200 distribute_event: message EventAttachedDataChanged\n"
		   "\tAttributeUserData\t[12] 00 01 00 00..\n"
		   "\t\t'b'\t'2'\n"
		   "\t\t'l'(list) 'x'\t'y'\n"
		   "\tAttributeConnID\t00000000000000a1\n"
		   "10:00:00.300 distribute_event: message EventReleased\n"
		   "\tAttributeCallType\t'inbound'\n"
		   "\tAttributeConnID\t00000000000000a1\n");
	g_assert_cmpuint (s.n, ==, 4);
	g_assert_true (s.ok[0]);
	g_assert_cmpstr (s.user_data[0], ==, "{'a':'1','n':5}");
	g_assert_cmpstr (s.msg[0].this_dn, ==, "7001");
	g_assert_true (s.ok[1]);
	g_assert_null (s.user_data[1]);
	g_assert_null (s.extensions[1]);
	g_assert_true (s.ok[2]);
	g_assert_cmpstr (s.user_data[2], ==, "{'b':'2','l':{'x':'y'}}");
	g_assert_null (s.msg[2].this_dn);
	g_assert_false (s.ok[3]);
	g_assert_cmpstr (s.error[3], ==, "AttributeCallType: 'inbound' is not a number");
	seen_clear (&s);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/logmessage/every-field", test_every_field);
	g_test_add_func ("/logmessage/reset-between-blocks", test_reset_between_blocks);
	return g_test_run ();
}
