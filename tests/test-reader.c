/*
 * test-reader.c — the T-Library log reader (behaviour.md §6, §7).
 *
 * Every test feeds log text and compares what the reader delivered: blocks
 * are dumped into a canonical text form (dump_block) so that a whole log
 * can be compared at once, and the split tests can check that cutting the
 * input anywhere changes nothing.
 */
#include <string.h>

#include "rrec/logreader.h"
#include "rrec/message.h"

typedef struct {
	GString *dump;		/* every block and error, in order */
	guint n_blocks;
	guint n_errors;
	gboolean stop_on_error;
	RrecLogReader *reader;
} Collect;

static void
dump_value (GString *out, const RrecLogValue *value, int depth)
{
	switch (value->kind) {
	case RREC_LOG_VALUE_STRING:
		g_string_append_printf (out, "string '%s'\n", value->u.string);
		break;
	case RREC_LOG_VALUE_CONNID:
		g_string_append_printf (out, "connid %s\n", value->u.string);
		break;
	case RREC_LOG_VALUE_INTEGER:
		g_string_append_printf (out, "integer %" G_GINT64_FORMAT "\n",
					value->u.integer);
		break;
	case RREC_LOG_VALUE_LIST:
		g_string_append_printf (out, "list %u\n", value->u.list->len);
		for (guint i = 0; i < value->u.list->len; i++) {
			const RrecLogPair *pair = &g_array_index (value->u.list,
								  RrecLogPair, i);

			for (int d = 0; d <= depth; d++)
				g_string_append (out, "  ");
			g_string_append_printf (out, "'%s' ", pair->key);
			dump_value (out, &pair->value, depth + 1);
		}
		break;
	}
}

static void
dump_block (GString *out, const RrecLogBlock *block)
{
	g_string_append_printf (out, "%s:%" G_GUINT64_FORMAT " %s time=%"
				G_GINT64_FORMAT " date=%s sender=%s%s\n",
				block->file_name, block->line, block->message,
				block->time_ms, block->date,
				block->sender ? block->sender : "-",
				block->is_request ? " request" : "");
	for (guint i = 0; i < block->attributes->len; i++) {
		const RrecLogPair *attr = &g_array_index (block->attributes,
							  RrecLogPair, i);

		g_string_append_printf (out, "  %s ", attr->key);
		dump_value (out, &attr->value, 1);
	}
}

static void
on_block (const RrecLogBlock *block, gpointer user_data)
{
	Collect *c = user_data;

	c->n_blocks++;
	dump_block (c->dump, block);
}

static void
on_error (const char *file_name, guint64 line, const char *message,
	  gpointer user_data)
{
	Collect *c = user_data;

	c->n_errors++;
	g_string_append_printf (c->dump, "%s:%" G_GUINT64_FORMAT ": error: %s\n",
				file_name, line, message);
	if (c->stop_on_error)
		rrec_log_reader_stop (c->reader);
}

/* Feeds TEXT cut into chunks of at most CHUNK bytes (0: all at once) and
 * returns the dump.  The counts are checked against the reader's. */
static char *
read_log_chunked (const char *text, gsize len, gsize chunk, Collect *c)
{
	RrecLogReader *reader;

	memset (c, 0, sizeof *c);
	c->dump = g_string_new (NULL);
	reader = rrec_log_reader_new ("t.log", on_block, on_error, c);
	c->reader = reader;
	if (chunk == 0)
		rrec_log_reader_feed (reader, text, len);
	else
		for (gsize off = 0; off < len; off += chunk)
			rrec_log_reader_feed (reader, text + off,
					      MIN (chunk, len - off));
	rrec_log_reader_finish (reader);
	g_assert_cmpuint (rrec_log_reader_get_n_blocks (reader), ==, c->n_blocks);
	g_assert_cmpuint (rrec_log_reader_get_n_skipped (reader), ==, c->n_errors);
	rrec_log_reader_free (reader);
	return g_string_free (c->dump, FALSE);
}

static char *
read_log (const char *text)
{
	Collect c;

	return read_log_chunked (text, strlen (text), 0, &c);
}

/* Runs TEXT and hands the first block to CHECK (there must be exactly one). */
typedef void (*CheckFunc) (const RrecLogBlock *block);

static void
on_one_block (const RrecLogBlock *block, gpointer user_data)
{
	CheckFunc *check = user_data;

	g_assert_nonnull (*check);
	(*check) (block);
	*check = NULL;	/* a second block would fail the assertion */
}

static void
on_no_error (const char *file_name, guint64 line, const char *message,
	     gpointer user_data)
{
	g_error ("unexpected error at line %" G_GUINT64_FORMAT ": %s", line,
		 message);
}

static void
check_one_block (const char *text, CheckFunc check)
{
	RrecLogReader *reader = rrec_log_reader_new ("t.log", on_one_block,
						     on_no_error, &check);

	rrec_log_reader_feed (reader, text, strlen (text));
	rrec_log_reader_finish (reader);
	g_assert_null (check);	/* the block was seen */
	rrec_log_reader_free (reader);
}

/* ---------------------------------------------------------------------- */

/* A client-side dump as in genesys-facts §3.1 (sample 04/11 shapes):
 * "received from" header, a KV list with a nested (list) whose first pair
 * is on the same line, ConnID, integers and quoted strings. */
static const char sample_attached[] =
	"16:41:55.299 Trc 04541 something else happened\n"
	"received from 65200(SIPTS750)ssydoruk4:7007(fd=) message EventAttachedDataChanged\n"
	"\tAttributeUserData\t[561] 00 14 00 00..\n"
	"\t\t'RTargetRuleSelected'\t''\n"
	"\t\t'RTargetObjectSelected'\t'VQ_Sales'\n"
	"\t\t'RRequestedSkills'(list)\n"
	"\t\t\t'English'\t10\n"
	"\t\t'ORSI:Cluster1:0101'(list) 'Session'\t'QK59HK4FS927D7FUU41G6IE468000004'\n"
	"\t\t\t'Node'\t115\n"
	"\t\t'CustomerSegment'\t'gold'\n"
	"\tAttributeCallID\t16778220\n"
	"\tAttributeCallType\t2\n"
	"\tAttributePropagatedCallType\t2\n"
	"\tAttributeConnID\t006c029a6685d004\n"
	"\tAttributeThisDN\t'9001'\n"
	"\tAttributeUserEvent\tEventDiverted\n";

static void
check_sample_attached (const RrecLogBlock *b)
{
	const RrecLogValue *ud, *skills, *orsi;
	gint64 n = 0;

	g_assert_cmpuint (b->line, ==, 2);
	g_assert_cmpstr (b->message, ==, "EventAttachedDataChanged");
	g_assert_cmpstr (b->sender, ==, "SIPTS750");
	g_assert_false (b->is_request);
	g_assert_cmpint (b->time_ms, ==, -1);	/* no time stamp yet */
	g_assert_cmpstr (b->date, ==, "1970-01-01");
	g_assert_cmpuint (b->attributes->len, ==, 7);

	ud = rrec_log_block_get (b, "AttributeUserData");
	g_assert_nonnull (ud);
	g_assert_cmpint (ud->kind, ==, RREC_LOG_VALUE_LIST);
	g_assert_cmpuint (ud->u.list->len, ==, 5);
	g_assert_cmpstr (rrec_log_list_get (ud, "RTargetRuleSelected")->u.string, ==, "");
	g_assert_cmpstr (rrec_log_list_get (ud, "RTargetObjectSelected")->u.string, ==, "VQ_Sales");
	skills = rrec_log_list_get (ud, "RRequestedSkills");
	g_assert_cmpint (skills->kind, ==, RREC_LOG_VALUE_LIST);
	g_assert_cmpint (rrec_log_list_get (skills, "English")->u.integer, ==, 10);
	orsi = rrec_log_list_get (ud, "ORSI:Cluster1:0101");
	g_assert_cmpint (orsi->kind, ==, RREC_LOG_VALUE_LIST);
	g_assert_cmpuint (orsi->u.list->len, ==, 2);
	g_assert_cmpstr (rrec_log_list_get (orsi, "Session")->u.string, ==,
			 "QK59HK4FS927D7FUU41G6IE468000004");
	g_assert_cmpint (rrec_log_list_get (orsi, "Node")->u.integer, ==, 115);
	/* The nested list ended: the next entry is the outer list's. */
	g_assert_cmpstr (rrec_log_list_get (ud, "CustomerSegment")->u.string, ==, "gold");
	g_assert_null (rrec_log_list_get (orsi, "CustomerSegment"));

	g_assert_true (rrec_log_block_get_integer (b, "AttributeCallID", &n));
	g_assert_cmpint (n, ==, 16778220);
	g_assert_true (rrec_log_block_get_integer (b, "AttributePropagatedCallType", &n));
	g_assert_cmpint (n, ==, 2);
	g_assert_cmpint (rrec_log_block_get (b, "AttributeConnID")->kind, ==,
			 RREC_LOG_VALUE_CONNID);
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeConnID"), ==,
			 "006c029a6685d004");
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeThisDN"), ==, "9001");
	g_assert_cmpint (rrec_log_block_get (b, "AttributeUserEvent")->kind, ==,
			 RREC_LOG_VALUE_STRING);
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeUserEvent"), ==,
			 "EventDiverted");
	/* Accessors refuse the wrong kind. */
	g_assert_null (rrec_log_block_get_string (b, "AttributeCallType"));
	g_assert_false (rrec_log_block_get_integer (b, "AttributeThisDN", &n));
	g_assert_null (rrec_log_block_get (b, "AttributeOtherDN"));
}

static void
test_sample_attached (void)
{
	check_one_block (sample_attached, check_sample_attached);
}

static void
check_value_kinds (const RrecLogBlock *b)
{
	gint64 n = 0;

	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeANI"), ==, "+15550001");
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeDNIS"), ==, "");
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeErrorMessage"), ==,
			 "it's 'quoted' inside");
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeThisQueue"), ==, "-");
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeOtherDN"), ==, "12ab");
	g_assert_true (rrec_log_block_get_integer (b, "AttributeXRouteType", &n));
	g_assert_cmpint (n, ==, -1);
	g_assert_true (rrec_log_block_get_integer (b, "AttributeReferenceID", &n));
	g_assert_cmpint (n, ==, G_MAXINT64);
	g_assert_true (rrec_log_block_get_integer (b, "AttributeTimeout", &n));
	g_assert_cmpint (n, ==, G_MININT64);
	/* 16 digits that are not a ConnID's are a number. */
	g_assert_true (rrec_log_block_get_integer (b, "AttributeCallID", &n));
	g_assert_cmpint (n, ==, 1234567890123456);
	/* Any name ending in ConnID: lower-cased, quoted or not. */
	g_assert_cmpint (rrec_log_block_get (b, "AttributePreviousConnID")->kind, ==,
			 RREC_LOG_VALUE_CONNID);
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributePreviousConnID"), ==,
			 "0077028a809f7004");
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeTransferConnID"), ==,
			 "00000000000000ab");
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeConnID"), ==,
			 "0000000000000001");
	g_assert_cmpint (rrec_log_block_get (b, "AttributeExtensions")->kind, ==,
			 RREC_LOG_VALUE_LIST);
	g_assert_cmpuint (rrec_log_block_get (b, "AttributeExtensions")->u.list->len, ==, 0);
}

static void
test_value_kinds (void)
{
	check_one_block ("12:00:00.000 message EventRinging\n"
			 "\tAttributeANI\t'+15550001'\n"
			 "\tAttributeDNIS\t''\n"
			 "\tAttributeErrorMessage\t'it's 'quoted' inside'  \n"
			 "\tAttributeThisQueue\t-\n"
			 "\tAttributeOtherDN\t12ab\n"
			 "\tAttributeXRouteType\t-1\n"
			 "\tAttributeReferenceID\t9223372036854775807\n"
			 "\tAttributeTimeout\t-9223372036854775808\n"
			 "\tAttributeCallID\t1234567890123456\n"
			 "\tAttributePreviousConnID\t0077028A809F7004\n"
			 "\tAttributeTransferConnID\t'00000000000000AB'\n"
			 "\tAttributeConnID\t0000000000000001\n"
			 "\tAttributeExtensions\t[14] 00 00 00 00..\n",
			 check_value_kinds);
}

static void
test_nested_lists (void)
{
	g_autofree char *dump = read_log (
		"message EventRouteRequest\n"
		"\tAttributeExtensions\t[194] 00 07 00 00..\n"
		"\t\t'a'\t1\n"
		"\t\t'a'\t'dup'\n"	/* duplicates are kept, in order */
		"\t\t'l1'(list)\n"
		"\t\t\t'x'\tword\n"
		"\t\t\t'l2'(list)\n"
		"\t\t\t\t'deep'\t'3'\n"
		"\t\t\t'y'\t2\n"
		"\t\t'empty'(list)\n"
		"\t\t'z'\t'last'\n"
		"\tAttributeReason\t[14] 00 01 01 00..\n"
		"\t\t'k'\t'v'\n"
		"\tAttributeThisDN\t'7001'\n");

	g_assert_cmpstr (dump, ==,
		"t.log:1 EventRouteRequest time=-1 date=1970-01-01 sender=-\n"
		"  AttributeExtensions list 5\n"
		"    'a' integer 1\n"
		"    'a' string 'dup'\n"
		"    'l1' list 3\n"
		"      'x' string 'word'\n"
		"      'l2' list 1\n"
		"        'deep' string '3'\n"
		"      'y' integer 2\n"
		"    'empty' list 0\n"
		"    'z' string 'last'\n"
		"  AttributeReason list 1\n"
		"    'k' string 'v'\n"
		"  AttributeThisDN string '7001'\n");
}

/* Leading spaces instead of TABs, blanks between name and value, a list
 * header without `..` or without the hex bytes, a line of blanks. */
static void
test_liberal_layout (void)
{
	g_autofree char *dump = read_log (
		"message EventEstablished\n"
		"  AttributeUserData    [34] 00 01\n"
		"      'GSIP_RECORD'   'ON'\n"
		"\t \n"
		"  AttributeExtensions [0]\n"
		"  AttributeThisDN     '7001'   \n");

	g_assert_cmpstr (dump, ==,
		"t.log:1 EventEstablished time=-1 date=1970-01-01 sender=-\n"
		"  AttributeUserData list 1\n"
		"    'GSIP_RECORD' string 'ON'\n"
		"  AttributeExtensions list 0\n"
		"  AttributeThisDN string '7001'\n");
}

static void
test_header_forms (void)
{
	g_autofree char *dump = read_log (
		"@10:15:30.1234 [0] 8.1.103.95 distribute_event: message EventRinging\n"
		"09:05:01.5 Trc 04541 message EventDialing\n"
		"2026-11-26T10:15:30.123 Trc 04541 message EventEstablished\n"
		"2026-11-27 23:59:59.999999Z: message EventHeld\n"
		"2026-11-28T00:00:00+01:00 message EventRetrieved\n"
		"2026-11-29T01:02:03,04-0500 message EventReleased\n"
		"free text without a time stamp message EventAbandoned\n"
		"12:00:00.000 message EventPartyChanged \t\n");

	g_assert_cmpstr (dump, ==,
		"t.log:1 EventRinging time=36930123 date=1970-01-01 sender=-\n"
		"t.log:2 EventDialing time=32701500 date=1970-01-01 sender=-\n"
		"t.log:3 EventEstablished time=36930123 date=2026-11-26 sender=-\n"
		"t.log:4 EventHeld time=86399999 date=2026-11-27 sender=-\n"
		"t.log:5 EventRetrieved time=0 date=2026-11-28 sender=-\n"
		"t.log:6 EventReleased time=3723040 date=2026-11-29 sender=-\n"
		/* No time stamp: the previous block's time, and the date of
		 * the last ISO stamp, stay. */
		"t.log:7 EventAbandoned time=3723040 date=2026-11-29 sender=-\n"
		"t.log:8 EventPartyChanged time=43200000 date=2026-11-29 sender=-\n");
}

static void
test_previous_time (void)
{
	g_autofree char *dump = read_log (
		"message EventRinging\n"
		"10:00:00.250 message EventEstablished\n"
		"other record at 11:00:00.000 without a message\n"
		/* Other records' time stamps do not move the block clock;
		 * an ISO one gives the date ($DATE$ of R29). */
		"2026-01-02T11:00:00.000 Trc 04541 other record\n"
		"message EventHeld\n"
		"received from 1(SIP) message EventRetrieved\n");

	g_assert_cmpstr (dump, ==,
		"t.log:1 EventRinging time=-1 date=1970-01-01 sender=-\n"
		"t.log:2 EventEstablished time=36000250 date=1970-01-01 sender=-\n"
		"t.log:5 EventHeld time=36000250 date=2026-01-02 sender=-\n"
		"t.log:6 EventRetrieved time=36000250 date=2026-01-02 sender=SIP\n");
}

static void
test_senders (void)
{
	g_autofree char *dump = read_log (
		"received from 65200(SIPS)fliptop76.suzano.com.br:5001(fd=648) message EventAttachedDataChanged\n"
		"12:00:00.000 request from 3512(Agent Desktop) message RequestPrivateService\n"
		"request to 65200(TServer) message RequestUpdateUserData\n"
		"received from 65200 message EventRinging\n"
		"@12:00:01.0000 received from 7(SIPServer_SfB)host:1(fd=3) message EventServerDisconnected\n");

	g_assert_cmpstr (dump, ==,
		"t.log:1 EventAttachedDataChanged time=-1 date=1970-01-01 sender=SIPS\n"
		"t.log:2 RequestPrivateService time=43200000 date=1970-01-01 sender=Agent Desktop request\n"
		/* `request to` names the receiver, not the sender. */
		"t.log:3 RequestUpdateUserData time=43200000 date=1970-01-01 sender=- request\n"
		"t.log:4 EventRinging time=43200000 date=1970-01-01 sender=-\n"
		"t.log:5 EventServerDisconnected time=43201000 date=1970-01-01 sender=SIPServer_SfB\n");
}

static void
on_block_type (const RrecLogBlock *block, gpointer user_data)
{
	GString *out = user_data;

	g_string_append_printf (out, "%s %d%s\n", block->message,
				block->message_type,
				block->is_request ? " request" : "");
}

/* A block carries the engine's type of its message, the one
 * rrec_message_type_from_name() gives its name, and -1 for a message the
 * engine does not follow, whatever the header's form. */
static void
test_message_type (void)
{
	static const char *const others[] = {
		"EventAgentReady", "RequestAgentLogin", "EventACK",
		"RequestUpdateUserData", "EventReserved_7",
	};
	g_autoptr (GString) log = g_string_new (NULL);
	g_autoptr (GString) want = g_string_new (NULL);
	g_autoptr (GString) got = g_string_new (NULL);
	g_autoptr (RrecLogReader) r = rrec_log_reader_new ("t.log", on_block_type,
							   NULL, got);
	guint n = 0;

	for (int type = 0; type < 1000; type++) {
		const char *name = rrec_message_type_name (type);

		if (name == NULL)
			continue;
		/* the header forms, in turn; each name twice (seen before) */
		for (int twice = 0; twice < 2; twice++) {
			g_string_append_printf (log, "%smessage %s\n\tAttributeThisDN\t'7001'\n",
						n % 3 == 0 ? "@12:00:00.0000 Trc 04541 " :
						n % 3 == 1 ? "request from 3(WDE) " : "", name);
			g_string_append_printf (want, "%s %d%s\n", name, type,
						g_str_has_prefix (name, "Request") ? " request" : "");
			n++;
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS (others); i++) {
		int type = rrec_message_type_from_name (others[i]);

		g_string_append_printf (log, "message %s\n", others[i]);
		g_string_append_printf (want, "%s %d%s\n", others[i], type,
					others[i][0] == 'R' ? " request" : "");
	}
	rrec_log_reader_feed (r, log->str, log->len);
	rrec_log_reader_finish (r);
	g_assert_cmpuint (n, ==, 42);
	g_assert_cmpstr (got->str, ==, want->str);
	g_assert_cmpint (rrec_message_type_from_name ("EventAgentReady"), ==, -1);
	g_assert_cmpint (rrec_message_type_from_name ("EventACK"), ==, RREC_MSG_EVENT_ACK);
}

/* Lines between blocks are other log records, whatever they look like. */
static void
test_skip_between (void)
{
	g_autofree char *dump = read_log (
		"16:39:27.319 Trc 04541 Message EventRegistered received from 'SIPTS750@7593'\n"
		"\tAttributeThisDN\t'ignored'\n"
		"16:41:55.299 Int 04543 Interaction message \"EventRouteRequest\" received from 65200 (\"SIPTS750@3020\")\n"
		"message Foo\n"
		"\n"
		"message EventRinging\n"
		"\tAttributeThisDN\t'7001'\n"
		"16:41:55.300: Sending  [61,TCP] 2032 bytes to 172.18.57.89:5070 >>>>>\n"
		"INVITE sip:7001@host SIP/2.0\n"
		"\tAttributeThisDN\t'not-an-attribute'\n"
		"\n"
		"message EventDialing\n"
		"\n"
		"\tAttributeThisDN\t'after-a-blank-line'\n");

	g_assert_cmpstr (dump, ==,
		"t.log:6 EventRinging time=-1 date=1970-01-01 sender=-\n"
		"  AttributeThisDN string '7001'\n"
		"t.log:12 EventDialing time=-1 date=1970-01-01 sender=-\n");
}

static void
test_crlf (void)
{
	g_autofree char *dump = read_log (
		"10:00:00.000 message EventRinging\r\n"
		"\tAttributeThisDN\t'7001'\r\n"
		"\tAttributeUserData\t[34] 00 01 00 00..\r\n"
		"\t\t'k'\t5\r\n"
		"\tAttributeConnID\t006c029a6685d004\r\n"
		"\tAttributeANI\tbare\r\n");

	g_assert_cmpstr (dump, ==,
		"t.log:1 EventRinging time=36000000 date=1970-01-01 sender=-\n"
		"  AttributeThisDN string '7001'\n"
		"  AttributeUserData list 1\n"
		"    'k' integer 5\n"
		"  AttributeConnID connid 006c029a6685d004\n"
		"  AttributeANI string 'bare'\n");
}

static void
test_utf8 (void)
{
	g_autofree char *dump = read_log (
		"message EventEstablished\n"
		"\tAttributeUserData\t[34] 00 01 00 00..\n"
		"\t\t'Kundenname'\t'Jürgen Müller — 東京 🎧'\n"
		"\t\t'Stadt_ß'\tKöln\n"
		/* Not UTF-8 (Latin-1 "é"): replaced, the block is kept. */
		"\tAttributeANI\t'Ren\xe9'\n");

	g_assert_cmpstr (dump, ==,
		"t.log:1 EventEstablished time=-1 date=1970-01-01 sender=-\n"
		"  AttributeUserData list 2\n"
		"    'Kundenname' string 'Jürgen Müller — 東京 🎧'\n"
		"    'Stadt_ß' string 'Köln'\n"
		"  AttributeANI string 'Ren\xef\xbf\xbd'\n");
}

/* The longest value a line of 1 MiB holds: TAB, the name, TAB, quotes. */
#define LONG_VALUE (1024 * 1024 - 25)

static void
check_long_value (const RrecLogBlock *b)
{
	const char *v = rrec_log_block_get_string (b, "AttributeErrorMessage");

	g_assert_nonnull (v);
	g_assert_cmpuint (strlen (v), ==, LONG_VALUE);
	g_assert_cmpint (v[0], ==, 'x');
	g_assert_cmpint (v[LONG_VALUE - 1], ==, 'x');
	g_assert_cmpstr (rrec_log_block_get_string (b, "AttributeThisDN"), ==, "7001");
}

static void
test_long_line (void)
{
	GString *log = g_string_new ("message EventError\n\tAttributeErrorMessage\t'");
	RrecLogReader *reader;
	CheckFunc check = check_long_value;
	gsize off;

	for (int i = 0; i < LONG_VALUE; i++)
		g_string_append_c (log, 'x');
	g_string_append (log, "'\n\tAttributeThisDN\t'7001'\n");

	/* In one piece, and in read-buffer sized chunks (the line then
	 * crosses many of them). */
	check_one_block (log->str, check_long_value);
	reader = rrec_log_reader_new ("t.log", on_one_block, on_no_error, &check);
	for (off = 0; off < log->len; off += 4096)
		rrec_log_reader_feed (reader, log->str + off,
				      MIN (4096, log->len - off));
	rrec_log_reader_finish (reader);
	g_assert_null (check);
	rrec_log_reader_free (reader);
	g_string_free (log, TRUE);
}

/* §7: a line longer than 1 MiB is not read and not kept.  In a block it
 * makes the block malformed (reported at the header); at the margin — a
 * crashed log's tail of 100 MB of NUL bytes — it ends the block before it
 * and is reported at its own line, and the log goes on after it. */
static void
test_line_limit (void)
{
	static char chunk[64 * 1024];
	GString *log = g_string_new ("message EventError\n\tAttributeErrorMessage\t'");
	g_autofree char *dump = NULL;
	Collect c;

	for (int i = 0; i < LONG_VALUE + 1; i++)
		g_string_append_c (log, 'x');
	g_string_append (log, "'\n\tAttributeThisDN\t'7001'\nmessage EventACK\n");
	for (gsize chunk_size = 0; chunk_size <= 4096; chunk_size += 4096) {
		g_free (dump);
		dump = read_log_chunked (log->str, log->len, chunk_size, &c);
		g_assert_cmpstr (dump, ==,
			"t.log:1: error: line 2 is longer than 1048576 bytes\n"
			"t.log:4 EventACK time=-1 date=1970-01-01 sender=-\n");
	}

	memset (&c, 0, sizeof c);
	c.dump = g_string_new (NULL);
	RrecLogReader *r = rrec_log_reader_new ("t.log", on_block, on_error, &c);
	const char *head = "10:00:00.000 message EventACK\n";
	rrec_log_reader_feed (r, head, strlen (head));
	for (int i = 0; i < 1600; i++)		/* 100 MiB of NUL bytes */
		rrec_log_reader_feed (r, chunk, sizeof chunk);
	const char *tail = "\n10:00:01.000 message EventACK\n";
	rrec_log_reader_feed (r, tail, strlen (tail));
	rrec_log_reader_finish (r);
	rrec_log_reader_free (r);
	g_assert_cmpstr (c.dump->str, ==,
		"t.log:1 EventACK time=36000000 date=1970-01-01 sender=-\n"
		"t.log:2: error: a line longer than 1048576 bytes, not read\n"
		"t.log:3 EventACK time=36001000 date=1970-01-01 sender=-\n");
	g_string_free (c.dump, TRUE);
	g_string_free (log, TRUE);
}

/* A log with every kind of line, for the split tests. */
static const char split_log[] =
	"2026-11-26T10:15:30.123 Trc 04541 startup\r\n"
	"@10:15:30.1234 received from 65200(SIPServer_SfB)h:5001(fd=6) message EventEstablished\r\n"
	"\tAttributeUserData\t[561] 00 14 00 00..\n"
	"\t\t'Name'\t'Jürgen 東京'\n"
	"\t\t'ORSI:C1:1'(list) 'Session'\t'QK59'\n"
	"\t\t\t'n'\t-5\n"
	"\tAttributeConnID\t006C029A6685D004\n"
	"\tAttributeThisDN\t'7001'\n"
	"other record\n"
	"message EventBogus\n"
	"\tAttributeThisDN\t'7002'\n"
	"10:15:31.000 request from 12(Desktop) message RequestPrivateService\n"
	"\tAttributePrivateMsgID\t3013\n"
	"\tAttributeExtensions\t[30] 00 01 00 00..\n"
	"\t\t'record'\t'source'\n"
	"message EventReleased\n"
	"\tAttributeConnID\t'006c029a6685d004'";	/* no line end at the end */

static void
test_split_everywhere (void)
{
	gsize len = strlen (split_log);
	g_autofree char *whole = NULL;
	g_autofree char *bytes = NULL;
	Collect c;

	whole = read_log_chunked (split_log, len, 0, &c);
	/* The reference itself is right: three blocks, one skipped. */
	g_assert_cmpuint (c.n_blocks, ==, 3);
	g_assert_cmpuint (c.n_errors, ==, 1);
	g_assert_nonnull (strstr (whole, "t.log:10: error: unknown message name EventBogus\n"));
	g_assert_nonnull (strstr (whole, "'Name' string 'Jürgen 東京'\n"));
	g_assert_nonnull (strstr (whole, "t.log:16 EventReleased time=36931000 "
				  "date=2026-11-26 sender=-\n"
				  "  AttributeConnID connid 006c029a6685d004\n"));

	bytes = read_log_chunked (split_log, len, 1, &c);
	g_assert_cmpstr (bytes, ==, whole);

	for (gsize cut = 0; cut <= len; cut++) {
		RrecLogReader *reader;
		g_autofree char *two = NULL;

		memset (&c, 0, sizeof c);
		c.dump = g_string_new (NULL);
		reader = rrec_log_reader_new ("t.log", on_block, on_error, &c);
		rrec_log_reader_feed (reader, split_log, cut);
		rrec_log_reader_feed (reader, split_log + cut, len - cut);
		rrec_log_reader_finish (reader);
		rrec_log_reader_free (reader);
		two = g_string_free (c.dump, FALSE);
		if (g_strcmp0 (two, whole) != 0)
			g_error ("split at byte %" G_GSIZE_FORMAT " differs:\n%s",
				 cut, two);
	}
}

/* ---------------------------------------------------------------------- */
/* §7: each malformed block is reported at its header's line and skipped;
 * the block after it is read. */

typedef struct {
	const char *name;
	const char *block;	/* header and attribute lines */
	const char *error;	/* expected message, after "t.log:2: error: " */
} Malformed;

static const Malformed malformed[] = {
	{ "broken-quote",
	  "message EventRinging\n\tAttributeThisDN\t'7001\n",
	  "line 3: broken quoted string in AttributeThisDN (no closing quote, or text after it)" },
	{ "text-after-quote",
	  "message EventRinging\n\tAttributeThisDN\t'7001' x\n",
	  "line 3: broken quoted string in AttributeThisDN (no closing quote, or text after it)" },
	{ "lone-quote",
	  "message EventRinging\n\tAttributeThisDN\t'\n",
	  "line 3: broken quoted string in AttributeThisDN (no closing quote, or text after it)" },
	{ "broken-quote-in-list",
	  "message EventRinging\n\tAttributeUserData\t[9] 00 01..\n\t\t'k'\t'v\n",
	  "line 4: broken quoted string in k (no closing quote, or text after it)" },
	{ "non-hex-connid",
	  "message EventRinging\n\tAttributeConnID\t006c029a6685d00x\n",
	  "AttributeConnID on line 3 is not a ConnID of 16 hex digits: 006c029a6685d00x" },
	{ "short-connid",
	  "message EventRinging\n\tAttributePreviousConnID\t'006c'\n",
	  "AttributePreviousConnID on line 3 is not a ConnID of 16 hex digits: 006c" },
	{ "list-connid",
	  "message EventRinging\n\tAttributeConnID\t[9] 00 01..\n",
	  "AttributeConnID on line 3 is a list, not a ConnID" },
	{ "unknown-message",
	  "message EventRecordingStarted\n\tAttributeThisDN\t'7001'\n",
	  "unknown message name EventRecordingStarted" },
	{ "bare-event",
	  "message Event\n",
	  "unknown message name Event" },
	{ "no-value",
	  "message EventRinging\n\tAttributeThisDN\n",
	  "AttributeThisDN on line 3 has no value" },
	{ "no-value-blank",
	  "message EventRinging\n\tAttributeThisDN\t \n",
	  "AttributeThisDN on line 3 has no value" },
	{ "entry-without-key",
	  "message EventRinging\n\tAttributeUserData\t[9] 00 01..\n\t\tk\t'v'\n",
	  "line 4: list entry without a quoted key" },
	{ "entry-without-value",
	  "message EventRinging\n\tAttributeUserData\t[9] 00 01..\n\t\t'k'\n",
	  "list entry 'k' on line 4 has no value" },
	{ "entry-key-unclosed",
	  "message EventRinging\n\tAttributeUserData\t[9] 00 01..\n\t\t'k\n",
	  "line 4: list key without its closing quote" },
	{ "entry-outside-list",
	  "message EventRinging\n\tAttributeThisDN\t'7001'\n\t'k'\t'v'\n",
	  "line 4: list entry outside a key-value list" },
	{ "indented-under-scalar",
	  "message EventRinging\n\tAttributeThisDN\t'7001'\n\t\t'k'\t'v'\n",
	  "line 4 is indented below an attribute that is not a key-value list" },
	{ "entry-indent",
	  "message EventRinging\n\tAttributeUserData\t[9] 00 01..\n\t\t\t'a'\t1\n\t\t'b'\t2\n",
	  "line 5: list entry indented unlike the one before it" },
	{ "not-an-attribute",
	  "message EventRinging\n\t42\t'x'\n",
	  "line 3 is not an attribute line (TAB AttributeName TAB value)" },
	{ "no-blank-after-name",
	  "message EventRinging\n\tAttributeThisDN'7001'\n",
	  "line 3: expected a blank and a value after AttributeThisDN" },
	{ "text-after-value",
	  "message EventRinging\n\tAttributeCallType\t2 3\n",
	  "line 3: unexpected text after the value of AttributeCallType" },
	{ "bad-list-header",
	  "message EventRinging\n\tAttributeUserData\t[9] zz\n",
	  "line 3: malformed key-value list header in AttributeUserData" },
	{ "number-range",
	  "message EventRinging\n\tAttributeCallID\t9223372036854775808\n",
	  "AttributeCallID on line 3 is a number out of range: 9223372036854775808" },
	{ "duplicate",
	  "message EventRinging\n\tAttributeThisDN\t'7001'\n\tAttributeThisDN\t'7002'\n",
	  "AttributeThisDN appears twice (line 4)" },
	{ "time-range",
	  "25:00:00.000 message EventRinging\n",
	  "time stamp 25:00:00 is out of range" },
	{ "date-range",
	  "2026-02-30T10:00:00.000 message EventRinging\n",
	  "date 2026-02-30 is out of range" },
};

static void
test_malformed (gconstpointer data)
{
	const Malformed *m = data;
	g_autofree char *log = g_strconcat ("10:00:00.000 other record\n",
					    m->block,
					    "message EventEstablished\n"
					    "\tAttributeThisDN\t'next'\n", NULL);
	g_autofree char *expected = NULL;
	g_autofree char *dump = NULL;
	guint next_line = 2;
	Collect c;

	for (const char *s = m->block; *s != '\0'; s++)
		next_line += *s == '\n';
	expected = g_strdup_printf (
		"t.log:2: error: %s\n"
		"t.log:%u EventEstablished time=-1 date=1970-01-01 sender=-\n"
		"  AttributeThisDN string 'next'\n",
		m->error, next_line);
	dump = read_log_chunked (log, strlen (log), 0, &c);
	g_assert_cmpstr (dump, ==, expected);
	g_assert_cmpuint (c.n_errors, ==, 1);
	g_assert_cmpuint (c.n_blocks, ==, 1);
}

/* A malformed block still moves the clock when its time stamp is fine. */
static void
test_malformed_keeps_time (void)
{
	g_autofree char *dump = read_log (
		"10:00:00.000 message EventFoo\n"
		"message EventRinging\n");

	g_assert_cmpstr (dump, ==,
		"t.log:1: error: unknown message name EventFoo\n"
		"t.log:2 EventRinging time=36000000 date=1970-01-01 sender=-\n");
}

static void
test_nesting_limit (void)
{
	GString *log = g_string_new ("message EventRinging\n\tAttributeUserData\t[9] 00 01..\n");
	g_autofree char *dump = NULL;

	for (int depth = 2; depth < 2 + 40; depth++) {
		for (int i = 0; i < depth; i++)
			g_string_append_c (log, '\t');
		g_string_append (log, "'l'(list)\n");
	}
	dump = read_log (log->str);
	g_assert_cmpstr (dump, ==,
		"t.log:1: error: line 34: key-value lists nested deeper than 32\n");
	g_string_free (log, TRUE);
}

static void
test_stop (void)
{
	const char *log =
		"message EventRinging\n"
		"message EventNope\n"
		"message EventDialing\n";
	Collect c;
	RrecLogReader *reader;

	memset (&c, 0, sizeof c);
	c.dump = g_string_new (NULL);
	c.stop_on_error = TRUE;
	reader = rrec_log_reader_new (NULL, on_block, on_error, &c);
	c.reader = reader;
	rrec_log_reader_feed (reader, log, strlen (log));
	rrec_log_reader_feed (reader, log, strlen (log));
	rrec_log_reader_finish (reader);
	rrec_log_reader_free (reader);
	g_assert_cmpuint (c.n_blocks, ==, 1);
	g_assert_cmpuint (c.n_errors, ==, 1);
	g_string_free (c.dump, TRUE);
}

static void
test_helpers (void)
{
	g_autofree char *t0 = rrec_log_time_to_string (0);
	g_autofree char *t1 = rrec_log_time_to_string (86399999);

	g_assert_cmpstr (t0, ==, "00:00:00.000");
	g_assert_cmpstr (t1, ==, "23:59:59.999");
	g_assert_true (rrec_log_message_is_known ("EventACK"));
	g_assert_true (rrec_log_message_is_known ("RequestRegisterClient"));
	g_assert_true (rrec_log_message_is_known ("EventNetworkPrivateInfo"));
	g_assert_true (rrec_log_message_is_known ("RequestPrivateService"));
	g_assert_false (rrec_log_message_is_known ("EventAck"));
	g_assert_false (rrec_log_message_is_known ("Event"));
	g_assert_false (rrec_log_message_is_known (""));
	g_assert_cmpstr (rrec_log_value_kind_to_string (RREC_LOG_VALUE_CONNID), ==, "connid");
	g_assert_null (rrec_log_list_get (NULL, "k"));
}

/* §7: a block of more than 10,000 attribute or key-value lines is
 * malformed, found in linear time: 200,000 attributes (51 s with a
 * duplicate check by scanning) are refused at once, the block after them
 * read; 10,000 lines pass, 10,001 do not; a duplicate past the 16 names
 * that are scanned is found by the hash set. */
static void
test_block_limits (void)
{
	GString *log = g_string_new ("message EventRinging\n");
	g_autofree char *dump = NULL;
	g_autofree char *want = NULL;
	Collect c;

	for (int i = 0; i < 200000; i++)
		g_string_append_printf (log, "\tAttributeX%d\t%d\n", i, i);
	g_string_append (log, "message EventRinging\n\tAttributeThisDN\t'7001'\n");
	dump = read_log (log->str);
	want = g_strdup_printf ("t.log:1: error: more than 10000 attribute or "
				"key-value lines\n"
				"t.log:%d EventRinging time=-1 date=1970-01-01 sender=-\n"
				"  AttributeThisDN string '7001'\n", 200002);
	g_assert_cmpstr (dump, ==, want);

	for (int extra = 0; extra <= 1; extra++) {
		g_string_assign (log, "message EventRinging\n\tAttributeThisDN\t'7001'\n"
				 "\tAttributeUserData\t[1] 00\n");
		for (int i = 0; i < 9998 + extra; i++)
			g_string_append_printf (log, "\t\t'k'\t%d\n", i);
		g_free (read_log_chunked (log->str, log->len, 0, &c));
		g_assert_cmpuint (c.n_blocks, ==, 1 - extra);
		g_assert_cmpuint (c.n_errors, ==, extra);
	}

	g_string_assign (log, "message EventRinging\n");
	for (int i = 0; i < 20; i++)
		g_string_append_printf (log, "\tAttributeX%d\t%d\n", i == 19 ? 2 : i, i);
	g_free (dump);
	dump = read_log (log->str);
	g_assert_cmpstr (dump, ==, "t.log:1: error: AttributeX2 appears twice (line 21)\n");
	g_string_free (log, TRUE);
}

/* §7: a damaged header (a NUL byte, a message name cut short) makes its
 * attribute lines an orphan run, reported once at the header's line; the
 * attribute lines of other records stay unreported (test_skip_between). */
static void
test_damaged_header (void)
{
	static const char log[] =
		"10:00:00.000 distribute_event: message Event\0Held\n"
		"\tAttributeThisDN\t'7001'\n"
		"\tAttributeUserData\t[1] 00\n"
		"\t\t'k'\t'v'\n"
		"\tAttributeConnID\t006e02b5b2a9d001\n"
		"10:00:01.000 distribute_event: message Eve\n"
		"\tAttributeThisDN\t'7001'\n"
		"10:00:02.000 Trc 04541 Message EventRegistered received\n"
		"\tAttributeThisDN\t'7001'\n"
		"10:00:03.000 message EventHeld\n"
		"\tAttributeThisDN\t'7001'\n";
	Collect c;
	g_autofree char *dump = read_log_chunked (log, sizeof log - 1, 0, &c);

	g_assert_cmpstr (dump, ==,
		"t.log:1: error: a damaged header (not `... message <Name>`): "
		"4 attribute lines from line 2 belong to no block\n"
		"t.log:6: error: a damaged header (not `... message <Name>`): "
		"1 attribute line from line 7 belongs to no block\n"
		"t.log:10 EventHeld time=36003000 date=1970-01-01 sender=-\n"
		"  AttributeThisDN string '7001'\n");
}

/* §7: a file with no block at all is reported: a log whose lines end in
 * CR alone (read as one line), an empty one, one of other records. */
static void
test_no_block (void)
{
	static const struct { const char *log, *want; } cases[] = {
		{ "10:00:00.000 message EventHeld\r\tAttributeThisDN\t'7001'\r",
		  "t.log:1: error: no message block in the file (1 line; its "
		  "lines seem to end in CR alone)\n" },
		{ "", "t.log:1: error: no message block in the file (0 lines)\n" },
		{ "10:00:00.000 Std 1 started\n10:00:01.000 Std 2 stopped\n",
		  "t.log:2: error: no message block in the file (2 lines)\n" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *dump = read_log (cases[i].log);

		g_assert_cmpstr (dump, ==, cases[i].want);
	}

	/* file by file: the second file of a log has none */
	Collect c = { .dump = g_string_new (NULL) };
	RrecLogReader *r = rrec_log_reader_new ("a.log", on_block, on_error, &c);
	rrec_log_reader_feed (r, "message EventHeld\n", 18);
	rrec_log_reader_next_file (r, "b.log");
	rrec_log_reader_feed (r, "other\n", 6);
	rrec_log_reader_finish (r);
	rrec_log_reader_free (r);
	g_assert_cmpstr (c.dump->str, ==,
		"a.log:1 EventHeld time=-1 date=1970-01-01 sender=-\n"
		"b.log:1: error: no message block in the file (1 line)\n");
	g_string_free (c.dump, TRUE);
}

static void
on_clock (const RrecLogBlock *block, gpointer user_data)
{
	g_string_append_printf (user_data, "%s:%" G_GUINT64_FORMAT " %s %"
				G_GINT64_FORMAT "\n", block->file_name, block->line,
				block->date, block->clock_ms);
}

#define H (3600 * (gint64) 1000)
#define DAY (24 * H)

/* §6: the log clock crosses midnight (a time of day more than 12 hours
 * before the previous stamp's is the next day, and the date moves on), an
 * ISO stamp on any line names the date and moves the day with it, a time
 * going back by less stays on its day, and the clock goes on from one file
 * of a log to the next. */
static void
test_clock (void)
{
	static const char log[] =
		"message EventRinging\n"			/* 1: no time yet */
		"23:59:00.000 message EventRinging\n"		/* 2 */
		"00:00:10.000 message EventRinging\n"		/* 3: next day */
		"2026-11-27T00:00:20.000 Std 1 a record names the date\n"
		"00:00:30.000 message EventRinging\n"		/* 5: the same day */
		"message EventRinging\n"			/* 6: previous time */
		"23:00:00.000 message EventRinging\n"		/* 7 */
		"@10:00:00.0000 message EventRinging\n"		/* 8: next day */
		"09:00:00.000 message EventRinging\n"		/* 9: back 1 h */
		"2026-11-30T08:00:00.000 message EventRinging\n"	/* 10: two days on */
		"23:59:59.999 message EventRinging\n";		/* 11 */
	g_autoptr (GString) got = g_string_new (NULL);
	RrecLogReader *r = rrec_log_reader_new ("a.log", on_clock, NULL, got);

	rrec_log_reader_feed (r, log, strlen (log));
	rrec_log_reader_next_file (r, "b.log");
	rrec_log_reader_feed (r, "00:00:00.001 message EventRinging", 33);
	rrec_log_reader_finish (r);
	rrec_log_reader_free (r);

	g_autofree char *want = g_strdup_printf (
		"a.log:1 1970-01-01 -1\n"
		"a.log:2 1970-01-01 %" G_GINT64_FORMAT "\n"
		"a.log:3 1970-01-02 %" G_GINT64_FORMAT "\n"
		"a.log:5 2026-11-27 %" G_GINT64_FORMAT "\n"
		"a.log:6 2026-11-27 %" G_GINT64_FORMAT "\n"
		"a.log:7 2026-11-27 %" G_GINT64_FORMAT "\n"
		"a.log:8 2026-11-28 %" G_GINT64_FORMAT "\n"
		"a.log:9 2026-11-28 %" G_GINT64_FORMAT "\n"
		"a.log:10 2026-11-30 %" G_GINT64_FORMAT "\n"
		"a.log:11 2026-11-30 %" G_GINT64_FORMAT "\n"
		"b.log:1 2026-12-01 %" G_GINT64_FORMAT "\n",
		23 * H + 59 * 60000, DAY + 10000, DAY + 30000, DAY + 30000,
		DAY + 23 * H, 2 * DAY + 10 * H, 2 * DAY + 9 * H, 4 * DAY + 8 * H,
		5 * DAY - 1, 5 * DAY + 1);
	g_assert_cmpstr (got->str, ==, want);
}

/* Every message type the engine knows is found by its exact name, and only
 * by it: a prefix, a longer name, another case or an empty name is none. */
static void
test_message_names (void)
{
	static const char *const wrong[] = {
		"", "Event", "EventHel", "EventHeldX", "eventheld", "EventHELD",
		"EventAgentReady", "RequestRouteCal", "EventRelease", "EventAck",
		"EventServerConnectedX", "RequestPrivateServic",
	};
	guint known = 0;

	for (int type = 0; type < 1000; type++) {
		const char *name = rrec_message_type_name (type);
		char *copy;

		if (name == NULL)
			continue;
		known++;
		/* a copy: the look-up must not rely on the table's pointer */
		copy = g_strdup (name);
		g_assert_cmpint (rrec_message_type_from_name (copy), ==, type);
		g_free (copy);
	}
	g_assert_cmpuint (known, ==, 21);
	for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
		g_assert_cmpint (rrec_message_type_from_name (wrong[i]), ==, -1);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/reader/sample/attached-data", test_sample_attached);
	g_test_add_func ("/reader/values/kinds", test_value_kinds);
	g_test_add_func ("/reader/values/nested-lists", test_nested_lists);
	g_test_add_func ("/reader/values/utf8", test_utf8);
	g_test_add_func ("/reader/layout/liberal", test_liberal_layout);
	g_test_add_func ("/reader/layout/crlf", test_crlf);
	g_test_add_func ("/reader/layout/skip-between-blocks", test_skip_between);
	g_test_add_func ("/reader/layout/long-line", test_long_line);
	g_test_add_func ("/reader/malformed/line-limit", test_line_limit);
	g_test_add_func ("/reader/header/forms", test_header_forms);
	g_test_add_func ("/reader/header/previous-time", test_previous_time);
	g_test_add_func ("/reader/header/clock", test_clock);
	g_test_add_func ("/reader/header/senders", test_senders);
	g_test_add_func ("/reader/header/message-type", test_message_type);
	g_test_add_func ("/reader/stream/split-everywhere", test_split_everywhere);
	g_test_add_func ("/reader/stream/stop", test_stop);
	for (guint i = 0; i < G_N_ELEMENTS (malformed); i++) {
		g_autofree char *path = g_strdup_printf ("/reader/malformed/%s",
							 malformed[i].name);

		g_test_add_data_func (path, &malformed[i], test_malformed);
	}
	g_test_add_func ("/reader/malformed/keeps-time", test_malformed_keeps_time);
	g_test_add_func ("/reader/malformed/nesting-limit", test_nesting_limit);
	g_test_add_func ("/reader/malformed/block-limits", test_block_limits);
	g_test_add_func ("/reader/malformed/damaged-header", test_damaged_header);
	g_test_add_func ("/reader/malformed/no-block", test_no_block);
	g_test_add_func ("/reader/helpers", test_helpers);
	g_test_add_func ("/reader/message-names", test_message_names);

	return g_test_run ();
}
