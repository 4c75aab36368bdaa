/*
 * test-reader-fast.c — what makes the log reader fast must not change what
 * it reads (issue #14): the lines read by hand against the Ragel machine,
 * the host's filter (rrec_log_reader_set_filter), and the block memory
 * reused from block to block.
 */
#include <string.h>

#include "rrec/engine.h"
#include "rrec/logreader.h"
#include "rrec-logbody.h"
#include "rrec-logheader.h"
#include "rrec-lognames.h"

/* ---- lines by hand and by the machine -------------------------------------- */

static const char *const lines[] = {
	"AttributeThisDN\t'7001'",
	"AttributeThisDN\t'7001'  \t",
	"AttributeThisDN\t''",
	"AttributeThisDN\t'",
	"AttributeThisDN\t'a'b'",
	"AttributeThisDN\t'a' b",
	"AttributeThisDN\t'a' b '",
	"AttributeThisDN 'it''s'\r\f\v",
	"AttributeThisDN\t7001",
	"AttributeThisDN\t-7001",
	"AttributeThisDN\t-",
	"AttributeThisDN\t--1",
	"AttributeThisDN\t12a",
	"AttributeThisDN\t1 2",
	"AttributeThisDN\tabc'def",
	"AttributeThisDN\tx[",
	"AttributeThisDN\t[",
	"AttributeUserData\t[61] 00 03 00 00..",
	"AttributeUserData\t[61] 00 03 00 00.. x",
	/* list headers by hand */
	"AttributeUserData\t[61]",
	"AttributeUserData\t[61]..",
	"AttributeUserData\t[61] 00 03 00 00.. \t",
	"AttributeUserData\t[61]\t00\t\t03..\r",
	"AttributeUserData\t[61] 0a 0F",
	"AttributeUserData\t[61] 0",
	"AttributeUserData\t[61] 000",
	"AttributeUserData\t[61]00",
	"AttributeUserData\t[61] 00 ..",
	"AttributeUserData\t[61] 00. 00",
	"AttributeUserData\t[] 00",
	"AttributeUserData\t[61 00",
	"AttributeUserData\t[6a] 00",
	"AttributeUserData\t[61] 0g",
	"'key'\t[3] 00 01..",
	"AttributeConnID\t006b02a5c9a1e0f3",
	"AttributeConnID\t006B02A5C9A1E0F3 ",
	"AttributeConnID\t'006b02a5c9a1e0f3'",
	"AttributeConnID\t006b02a5c9a1e0f",
	"AttributeConnID\t1234567890123456",
	"AttributeConnID\t12345678901234567",
	"ConnID\t1",
	"XConnIDs\t1",
	"_\t1",
	"Attribute\t1",
	"Attribute",
	"Attribute\t",
	"AttributeX",
	"AttributeX\t\t",
	"AttributeX:\t1",
	"AttributeX(list)",
	"Attribute\xc3\xa9\t1",
	"AttributeX\t\xc3\xa9",
	"AttributeX\t'\xff\x00'",
	"1Attribute\t1",
	"'key'\t'value'",
	"'key'\t12",
	"'key'\t-12",
	"'key'\tbare",
	"''\t1",
	"'k\tey'\t1",
	"'key'",
	"'key'\t",
	"'key' x y",
	"'key'1",
	"'key'(list)",
	"'key'(list) 'k'\t1",
	"'key'(list)garbage",
	"'key'(lis)",
	"'key'(",
	"'key'\t(list)",
	"'key'\t[3] 00",
	"'key",
	"'",
	"",
	" ",
	"\t1",
	"'key'\t'a'b",
	"'ConnID'\t12",
	/* bare numbers of every length, read a word at a time */
	"AttributeReferenceID\t1",
	"AttributeReferenceID\t-1",
	"AttributeReferenceID\t12345678",
	"AttributeReferenceID\t123456789",
	"AttributeReferenceID\t-123456789012345",
	"AttributeReferenceID\t9999999999999999",
	"AttributeReferenceID\t-9999999999999999",
	"AttributeReferenceID\t99999999999999999",
	"AttributeReferenceID\t999999999999999999",
	"AttributeReferenceID\t9223372036854775807",
	"AttributeReferenceID\t92233720368547758070",
	"AttributeReferenceID\t0000000000000000",
	"AttributeReferenceID\t00000000/0000000",
	"AttributeReferenceID\t0000000:00000000",
	"AttributeReferenceID\t1234 ",
	"AttributeReferenceID\t1234\t",
	"AttributeReferenceID\t12 34",
	"AttributeTimeinSecs\t1715558400",
	"AttributeConnID\t006B02a5c9A1e0f3",
	"AttributeConnID\t006b02a5c9a1e0g3",
	"AttributeConnID\t-006b02a5c9a1e0f",
	"AttributeConnID\t006b02a5c9a1e0f3a",
	"AttributeX\t006b02a5c9a1e0f3",
	"AttributeX\t0123456789012345",
	"A\t12",
	"AB\t1234567890123",
	"'key'\t1234567890123456",
	"'key'\t006b02a5c9a1e0f3",
};

static const char alphabet[] = "'\t \r[]()-0123456789abcdefABCDEF_xX.:/\xc3\xff";

static void
check_line (const uchar *text, gsize len)
{
	/* a copy of its exact size: under ASan, a read outside the line fails */
	g_autofree uchar *line = g_memdup2 (text, MAX (len, 1));
	RrecLogBody hand, machine;
	gboolean hand_ok = rrec_log_body_read (&hand, line, len);
	gboolean machine_ok = rrec_log_body_read_machine (&machine, line, len);

	g_assert_cmpint (hand_ok, ==, machine_ok);
	if (!machine_ok)
		return;
	g_assert_cmpint (hand.is_entry, ==, machine.is_entry);
	g_assert_cmpint (hand.connid_name, ==, machine.connid_name);
	g_assert_cmpint (hand.quoted, ==, machine.quoted);
	g_assert_cmpint (hand.list, ==, machine.list);
	g_assert_cmpint (hand.nested, ==, machine.nested);
	g_assert_cmpint (hand.bare_int, ==, machine.bare_int);
	g_assert_cmpint (hand.bare_hex16, ==, machine.bare_hex16);
	g_assert_true (hand.name_start == machine.name_start);
	g_assert_true (hand.name_end == machine.name_end);
	g_assert_true (hand.val_start == machine.val_start);
	g_assert_true (hand.val_end == machine.val_end);
	g_assert_true (hand.rest == machine.rest);
	if (hand.has_int) {
		/* the number read by hand is the one the text spells */
		g_autofree char *digits = g_strndup ((const char *) hand.val_start,
						     hand.val_end - hand.val_start);
		gint64 n = 0;

		g_assert_true (hand.bare_int && !hand.quoted);
		g_assert_true (g_ascii_string_to_signed (digits, 10, G_MININT64,
							 G_MAXINT64, &n, NULL));
		g_assert_cmpint (hand.int_value, ==, n);
	}
}

/* Every line above, and many variations of them, read alike. */
static void
test_hand_equals_machine (void)
{
	GRand *rand = g_rand_new_with_seed (14);
	guint n = 0;

	for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
		check_line ((const uchar *) lines[i], strlen (lines[i]));
	for (guint round = 0; round < 200; round++)
		for (gsize i = 0; i < G_N_ELEMENTS (lines); i++) {
			GString *s = g_string_new (lines[i]);
			guint edits = g_rand_int_range (rand, 1, 4);

			for (guint e = 0; e < edits; e++) {
				gsize at = s->len ? g_rand_int_range (rand, 0, s->len + 1) : 0;
				char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

				if (at < s->len && g_rand_boolean (rand))
					s->str[at] = c;
				else
					g_string_insert_c (s, at, c);
			}
			check_line ((const uchar *) s->str, s->len);
			g_string_free (s, TRUE);
			n++;
		}
	g_assert_cmpuint (n, ==, 200 * G_N_ELEMENTS (lines));
	g_rand_free (rand);
}

/* ---- time stamps by hand and by the machine --------------------------------- */

static const char *const stamps[] = {
	"12:00:00.000 Trc 04541 message EventRinging",
	"@12:00:00.0000 received from 7(SIPServer_SfB) message EventRinging",
	"2024-05-13T12:00:00.000 Trc message EventRinging",
	"2024-05-13 12:00:00,5 x",
	"2024-05-13T12:00:00.000Z x",
	"2024-05-13T12:00:00.000+01:00 x",
	"2024-05-13T12:00:00-0130 x",
	"2024-13-45T25:61:61.1234567 x",
	"12:00:00.000: Sending",
	"12:00:00:\tx",
	"12:00:00::",
	"12:00:00 x",
	"12:00:00. x",
	"12:00:00.x",
	"12:00:001 x",
	"1:02:03.4 x",
	"123:00:00 x",
	"@1:02:03 x",
	"@@12:00:00 x",
	"12:00:00.000",
	"12:00:00",
	"12-00:00:00 x",
	"2024-5-13T12:00:00 x",
	"2024-05-13X12:00:00 x",
	"@2024-05-13T12:00:00 x",
	"99:99:99.999999 x",
	"",
	"x",
};

static const char stamp_alphabet[] = "0123456789:.,@-T Z+\tx";

static void
check_stamp (const uchar *text, gsize len)
{
	g_autofree uchar *line = g_memdup2 (text, MAX (len, 1));
	RrecLogStamp hand, machine;

	rrec_log_read_stamp (&hand, line, len);
	rrec_log_read_stamp_machine (&machine, line, len);
	g_assert_cmpint (hand.found, ==, machine.found);
	if (!machine.found)
		return;
	g_assert_cmpint (hand.has_date, ==, machine.has_date);
	if (machine.has_date) {
		/* (without one, the machine leaves in YEAR the digits it read
		 * while a date was still possible; the reader reads no date) */
		g_assert_cmpint (hand.year, ==, machine.year);
		g_assert_cmpint (hand.month, ==, machine.month);
		g_assert_cmpint (hand.day, ==, machine.day);
	}
	g_assert_cmpint (hand.hour, ==, machine.hour);
	g_assert_cmpint (hand.min, ==, machine.min);
	g_assert_cmpint (hand.sec, ==, machine.sec);
	g_assert_cmpint (hand.ms, ==, machine.ms);
	g_assert_cmpint (hand.frac_digits, ==, machine.frac_digits);
}

/* Every stamp above, and many variations of them, read alike. */
static void
test_stamp_hand_equals_machine (void)
{
	GRand *rand = g_rand_new_with_seed (14);
	guint found = 0;

	for (gsize i = 0; i < G_N_ELEMENTS (stamps); i++)
		check_stamp ((const uchar *) stamps[i], strlen (stamps[i]));
	for (guint round = 0; round < 300; round++)
		for (gsize i = 0; i < G_N_ELEMENTS (stamps); i++) {
			GString *s = g_string_new (stamps[i]);
			guint edits = g_rand_int_range (rand, 1, 3);
			RrecLogStamp st;

			for (guint e = 0; e < edits; e++) {
				gsize at = s->len ? g_rand_int_range (rand, 0, MIN (s->len, 30) + 1) : 0;
				char c = stamp_alphabet[g_rand_int_range (rand, 0, sizeof stamp_alphabet - 1)];

				if (at < s->len && g_rand_boolean (rand))
					s->str[at] = c;
				else
					g_string_insert_c (s, at, c);
			}
			check_stamp ((const uchar *) s->str, s->len);
			rrec_log_read_stamp_machine (&st, (const uchar *) s->str, s->len);
			found += st.found;
			g_string_free (s, TRUE);
		}
	/* the variations reach both outcomes */
	g_assert_cmpuint (found, >, 1000);
	g_assert_cmpuint (found, <, 300 * G_N_ELEMENTS (stamps) - 1000);
	g_rand_free (rand);
}

/* ---- the message name at a header's end ----------------------------------- */

/* rrec_log_read_tail() one byte at a time, as it was before it read
 * sixteen at a time: the name's start, or NULL for no header. */
static const uchar *
tail_bytewise (const uchar *line, gsize len)
{
	gsize end = len, start, at;

	while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
		end--;
	for (start = end; start > 0 && (g_ascii_isalnum (line[start - 1]) ||
					line[start - 1] == '_'); start--)
		;
	if (!((end - start >= 5 && memcmp (line + start, "Event", 5) == 0) ||
	      (end - start >= 7 && memcmp (line + start, "Request", 7) == 0)))
		return NULL;
	at = start;
	if (at == 0 || (line[at - 1] != ' ' && line[at - 1] != '\t'))
		return NULL;
	while (at > 0 && (line[at - 1] == ' ' || line[at - 1] == '\t'))
		at--;
	if (at < 7 || memcmp (line + at - 6, "essage", 6) != 0 ||
	    (line[at - 7] != 'M' && line[at - 7] != 'm'))
		return NULL;
	at -= 7;
	if (at > 0 && line[at - 1] != ' ' && line[at - 1] != '\t' &&
	    line[at - 1] != ':')
		return NULL;
	return line + start;
}

/* Headers with names of every length and what may stand before them. */
static void
test_tail (void)
{
	static const char word[] = "aZ09_\xc3\xa9 \t:-.";
	GRand *rand = g_rand_new_with_seed (14);
	guint headers = 0;

	for (guint i = 0; i < 20000; i++) {
		GString *s = g_string_new (NULL);
		guint pre = g_rand_int_range (rand, 0, 40);

		for (guint k = 0; k < pre; k++)
			g_string_append_c (s, word[g_rand_int_range (rand, 0, sizeof word - 1)]);
		g_string_append (s, g_rand_boolean (rand) ? " message " : ":Message\t");
		g_string_append (s, g_rand_boolean (rand) ? "Event" : "Request");
		for (guint k = g_rand_int_range (rand, 0, 45); k > 0; k--)
			g_string_append_c (s, word[g_rand_int_range (rand, 0, 5)]);
		if (g_rand_int_range (rand, 0, 4) == 0)
			g_string_insert_c (s, g_rand_int_range (rand, 0, s->len + 1),
					   word[g_rand_int_range (rand, 0, sizeof word - 1)]);
		if (g_rand_boolean (rand))
			g_string_append (s, " \t");

		g_autofree uchar *line = g_memdup2 (s->str, s->len);
		RrecLogTail tail;
		const uchar *want = tail_bytewise (line, s->len);
		gboolean ok = rrec_log_read_tail (&tail, line, s->len);

		g_assert_cmpint (ok, ==, want != NULL);
		if (ok) {
			g_assert_true (tail.name_start == want);
			headers++;
		}
		g_string_free (s, TRUE);
	}
	g_assert_cmpuint (headers, >, 10000);
	g_rand_free (rand);
}

/* ---- the sender a header names ------------------------------------------ */

/* Headers built from the pieces of a sender, read back from each `)` and by
 * the machine forward, name the same sender. */
static void
test_sender (void)
{
	static const char *const piece[] = {
		"received", "request", "from", " ", "\t", "(", ")", "65200",
		"SIPS", "x", "to", "message EventRinging", "fd=3", ":",
		"received from ", "request from 3(", "App)", "(WDE_7001)",
	};
	GRand *rand = g_rand_new_with_seed (14);
	guint named = 0;

	for (guint i = 0; i < 30000; i++) {
		GString *s = g_string_new (NULL);

		for (guint k = g_rand_int_range (rand, 1, 14); k > 0; k--)
			g_string_append (s, piece[g_rand_int_range (rand, 0, G_N_ELEMENTS (piece))]);

		g_autofree uchar *line = g_memdup2 (s->str, MAX (s->len, 1));
		RrecLogSender hand, machine;

		rrec_log_read_sender (&hand, line, s->len);
		rrec_log_read_sender_machine (&machine, line, s->len);
		g_assert_true (hand.app == machine.app);
		g_assert_cmpuint (hand.app_len, ==, machine.app_len);
		named += machine.app != NULL;
		g_string_free (s, TRUE);
	}
	g_assert_cmpuint (named, >, 1000);
	g_rand_free (rand);
}

/* ---- the filter ---------------------------------------------------------- */

typedef struct {
	GString *dump;
	guint asked;
} Seen;

static void
on_block (const RrecLogBlock *b, gpointer user_data)
{
	Seen *seen = user_data;

	g_string_append_printf (seen->dump, "%" G_GUINT64_FORMAT " %s time=%"
				G_GINT64_FORMAT " sender=%s attrs=%u%s\n",
				b->line, b->message, b->time_ms,
				b->sender ? b->sender : "-", b->attributes->len,
				b->attributes_skipped ? " skipped" : "");
}

static void
on_error (const char *file, guint64 line, const char *message,
	  gpointer user_data)
{
	Seen *seen = user_data;

	g_string_append_printf (seen->dump, "%" G_GUINT64_FORMAT ": %s\n", line,
				message);
}

static gboolean
not_held (const char *message, gpointer user_data)
{
	Seen *seen = user_data;

	seen->asked++;
	return strcmp (message, "EventHeld") != 0;
}

static char *
read_filtered (const char *text, RrecLogWantFunc wanted, guint *asked)
{
	Seen seen = { g_string_new (NULL), 0 };
	RrecLogReader *r = rrec_log_reader_new ("t.log", on_block, on_error, &seen);

	if (wanted)
		rrec_log_reader_set_filter (r, wanted, &seen);
	rrec_log_reader_feed (r, text, strlen (text));
	rrec_log_reader_finish (r);
	rrec_log_reader_free (r);
	if (asked)
		*asked = seen.asked;
	return g_string_free (seen.dump, FALSE);
}

/* A block the host does not want keeps its header, loses its attributes
 * (with their errors); the errors of its header and size stay (§7). */
static void
test_filter (void)
{
	GString *log = g_string_new (
		"12:00:00.000 request from 3001(WDE) message EventHeld\n"
		"\tAttributeThisDN\t'7001\n"		/* broken, not read */
		"\tAttributeThisDN\t'7001'\n"		/* twice, not read */
		"12:00:01.000 Trc 04541 message EventRinging\n"
		"\tAttributeThisDN\t'7001'\n"
		"\tAttributeConnID\t006b02a5c9a1e0f3\n"
		"12:00:02.000 Trc 04541 message EventHeld\n"
		"\tAttributeThisDN\t7002\n"
		"25:00:03.000 Trc 04541 message EventHeld\n"	/* its stamp */
		"\tAttributeThisDN\t7002\n"
		"12:00:04.000 Trc 04541 message EventNoSuchThing\n"
		"12:00:05.000 Trc 04541 message EventHeld\n");
	g_autofree char *all = NULL;
	g_autofree char *filtered = NULL;
	guint asked = 0;

	/* the 10,000-line limit still holds in a block not read */
	for (guint i = 0; i < 10001; i++)
		g_string_append (log, "\tAttributeX\t1\n");
	g_string_append (log, "12:00:06.000 Trc 04541 message EventRinging\n"
			 "\tAttributeThisDN\t'7003'\n");

	filtered = read_filtered (log->str, not_held, &asked);
	g_assert_cmpstr (filtered, ==,
		"1 EventHeld time=43200000 sender=WDE attrs=0 skipped\n"
		"4 EventRinging time=43201000 sender=- attrs=2\n"
		"7 EventHeld time=43202000 sender=- attrs=0 skipped\n"
		"9: time stamp 25:00:03 is out of range\n"
		"11: unknown message name EventNoSuchThing\n"
		"12: more than 10000 attribute or key-value lines\n"
		"10014 EventRinging time=43206000 sender=- attrs=1\n");
	/* asked once per message name */
	g_assert_cmpuint (asked, ==, 2);

	all = read_filtered (log->str, NULL, NULL);
	g_assert_true (g_str_has_prefix (all,
		"1: line 2: broken quoted string in AttributeThisDN (no closing "
		"quote, or text after it)\n"
		"4 EventRinging time=43201000 sender=- attrs=2\n"
		"7 EventHeld time=43202000 sender=- attrs=1\n"));
	g_string_free (log, TRUE);
}

/* The engine's filter: the messages the classifier takes, and no other. */
static void
test_engine_filter (void)
{
	g_assert_true (rrec_engine_wants_message ("EventRinging", NULL));
	g_assert_true (rrec_engine_wants_message ("RequestPrivateService", NULL));
	g_assert_true (rrec_engine_wants_message ("EventCallDeleted", NULL));
	g_assert_false (rrec_engine_wants_message ("EventAgentReady", NULL));
	g_assert_false (rrec_engine_wants_message ("RequestAgentLogin", NULL));
	g_assert_false (rrec_engine_wants_message ("EventRegistered", NULL));
}

/* Message names are found again by a hash of the names seen: a name one
 * letter longer or shorter than a known one, or its start, seen after it,
 * is still unknown, and the known one still known. */
static void
test_names_seen (void)
{
	static const char *const names[] = {
		"EventHeld", "EventHeldX", "EventHel", "EventACK", "EventACKs",
		"EventAC", "RequestRouteCall", "RequestRouteCal",
		"RequestRouteCallX", "EventReleased", "EventReleasedEventReleased",
		/* the start of the name before it, in the same slot of the
		 * reader's hash: the length is compared too */
		"EventRouteRequest", "EventRoute", "EventMuteOn", "Event",
	};
	GString *log = g_string_new (NULL);
	GString *want = g_string_new (NULL);
	guint line = 0;

	for (guint round = 0; round < 3; round++)
		for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
			g_string_append_printf (log, "Trc 04541 message %s\n", names[i]);
			line++;
			if (rrec_log_message_is_known (names[i]))
				g_string_append_printf (want, "%u %s time=-1 sender=- "
							"attrs=0\n", line, names[i]);
			else
				g_string_append_printf (want, "%u: unknown message "
							"name %s\n", line, names[i]);
		}
	g_autofree char *got = read_filtered (log->str, NULL, NULL);

	g_assert_cmpstr (got, ==, want->str);
	g_string_free (log, TRUE);
	g_string_free (want, TRUE);
}

/* ---- memory reused from block to block -------------------------------------- */

static void
check_store_block (const RrecLogBlock *b, gpointer user_data)
{
	guint *n = user_data;
	guint want = *n % 2 == 0 ? 60 : 2;	/* big and small blocks in turn */

	g_assert_cmpuint (b->attributes->len, ==, want + 1);
	for (guint i = 0; i < want; i++) {
		const RrecLogPair *p = &g_array_index (b->attributes, RrecLogPair, i);
		g_autofree char *key = g_strdup_printf ("Attribute%u_%u", *n, i);

		g_assert_cmpstr (p->key, ==, key);
		g_assert_cmpint (p->value.kind, ==, RREC_LOG_VALUE_STRING);
		g_assert_cmpuint (strlen (p->value.u.string), ==, want == 60 ? 5000 : 3);
		g_assert_cmpint (p->value.u.string[0], ==, 'a' + (*n + i) % 26);
	}
	const RrecLogValue *ud = rrec_log_block_get (b, "AttributeUserData");

	g_assert_nonnull (ud);
	g_assert_cmpint (ud->kind, ==, RREC_LOG_VALUE_LIST);
	g_assert_cmpuint (ud->u.list->len, ==, 2);
	const RrecLogValue *inner = rrec_log_list_get (ud, "in");

	g_assert_nonnull (inner);
	g_assert_cmpuint (inner->u.list->len, ==, 1 + *n % 3);
	g_assert_cmpint (rrec_log_list_get (ud, "n")->u.integer, ==, *n);
	(*n)++;
}

/* Blocks far larger than the store's first chunk, then small ones, with
 * nested lists of changing sizes: every value read is the block's own. */
static void
test_store_reuse (void)
{
	GString *log = g_string_new (NULL);
	guint n = 0;

	for (guint b = 0; b < 8; b++) {
		guint want = b % 2 == 0 ? 60 : 2;

		g_string_append (log, "12:00:00.000 Trc 04541 message EventRinging\n");
		for (guint i = 0; i < want; i++) {
			g_string_append_printf (log, "\tAttribute%u_%u\t'", b, i);
			for (guint k = 0; k < (want == 60 ? 5000u : 3u); k++)
				g_string_append_c (log, 'a' + (b + i) % 26);
			g_string_append (log, "'\n");
		}
		g_string_append (log, "\tAttributeUserData\t[9] 00 02 00 00..\n"
				 "\t\t'in'(list)\n");
		for (guint k = 0; k < 1 + b % 3; k++)
			g_string_append_printf (log, "\t\t\t'k%u'\t%u\n", k, k);
		g_string_append_printf (log, "\t\t'n'\t%u\n", b);
	}
	RrecLogReader *r = rrec_log_reader_new ("t.log", check_store_block, NULL, &n);

	rrec_log_reader_feed (r, log->str, log->len);
	rrec_log_reader_finish (r);
	g_assert_cmpuint (rrec_log_reader_get_n_blocks (r), ==, 8);
	g_assert_cmpuint (rrec_log_reader_get_n_skipped (r), ==, 0);
	rrec_log_reader_free (r);
	g_assert_cmpuint (n, ==, 8);
	g_string_free (log, TRUE);
}

static void
dump_names (const RrecLogBlock *b, gpointer user_data)
{
	GString *out = user_data;

	for (guint i = 0; i < b->attributes->len; i++) {
		const RrecLogPair *p = &g_array_index (b->attributes, RrecLogPair, i);

		g_string_append_printf (out, "%s=%" G_GINT64_FORMAT " ", p->key,
					p->value.u.integer);
	}
	g_string_append_c (out, '\n');
}

static void
dump_name_error (const char *file, guint64 line, const char *message,
		 gpointer user_data)
{
	g_string_append_printf (user_data, "%" G_GUINT64_FORMAT ": %s\n", line,
				message);
}

/* The names a reader keeps (rrec-lognames.h) change nothing, however many
 * and however long the names of a log are: more names than it keeps, names
 * longer than it keeps, names that share a slot, each read back as written
 * and each repeated name a malformed block (§7). */
static void
test_names_kept (void)
{
	GRand *rand = g_rand_new_with_seed (14);
	g_autoptr (GString) log = g_string_new (NULL);
	g_autoptr (GString) want = g_string_new (NULL);
	g_autoptr (GString) got = g_string_new (NULL);
	guint64 line = 0;

	for (guint blk = 0; blk < 300; blk++) {
		guint n = g_rand_int_range (rand, 1, 12);
		guint twice = blk % 7 == 0 ? g_rand_int_range (rand, 1, n + 1) : 0;
		g_autoptr (GString) names = g_string_new (NULL);
		g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
		gboolean bad = FALSE;
		guint64 header = ++line;

		g_string_append (log, "message EventRinging\n");
		for (guint i = 0; i < n + (twice > 0); i++) {
			/* 400 names, some long; a repeat of the TWICE-th */
			guint id = i == n ? G_MAXUINT : (guint) g_rand_int_range (rand, 0, 400);
			char *name = i == n ? g_strdup (g_ptr_array_index (seen, twice - 1)) :
				     g_strdup_printf ("Attribute%s%u%s",
						      id % 5 ? "" : "Long_Name_Of_A_Custom_Field_",
						      id, id % 3 ? "" : "DN");
			gboolean dup = FALSE;

			for (guint k = 0; k < seen->len; k++)
				dup |= strcmp (g_ptr_array_index (seen, k), name) == 0;
			line++;
			g_string_append_printf (log, "\t%s\t%u\n", name, i);
			if (dup && !bad) {
				g_string_append_printf (want, "%" G_GUINT64_FORMAT
							": %s appears twice (line %"
							G_GUINT64_FORMAT ")\n",
							header, name, line);
				bad = TRUE;
			}
			g_string_append_printf (names, "%s=%u ", name, i);
			g_ptr_array_add (seen, name);
		}
		if (!bad)
			g_string_append_printf (want, "%s\n", names->str);
	}
	RrecLogReader *r = rrec_log_reader_new ("t.log", dump_names,
						dump_name_error, got);

	rrec_log_reader_feed (r, log->str, log->len);
	rrec_log_reader_finish (r);
	rrec_log_reader_free (r);
	g_assert_cmpstr (got->str, ==, want->str);
	g_rand_free (rand);
}

/* Two names whose signatures meet in a slot are both kept (the second in
 * the next slot), a third is not; each is found as itself. */
static void
test_names_share_slot (void)
{
	static const char *const names[] = {
		"AttributeUserData", "AttributeCallType", "AttributeThird"
	};
	RrecLogNames t = { 0 };
	guint32 sig[3] = { 7, 0, 0 };
	const RrecLogName *kept[3];
	guint n = 1;

	/* signatures that share sig[0]'s slot */
	for (guint32 s = 8; n < 3; s++)
		if (rrec_log_name_slot (s) == rrec_log_name_slot (sig[0]))
			sig[n++] = s;
	for (guint i = 0; i < 3; i++)
		kept[i] = rrec_log_names_find (&t, (const uchar *) names[i],
					       strlen (names[i]), sig[i]);
	g_assert_nonnull (kept[0]);
	g_assert_nonnull (kept[1]);
	g_assert_null (kept[2]);
	g_assert_true (kept[0] != kept[1]);
	for (guint i = 0; i < 2; i++) {
		g_assert_cmpstr (kept[i]->name, ==, names[i]);
		g_assert_true (rrec_log_names_lookup (&t, (const uchar *) names[i],
						      strlen (names[i]),
						      sig[i]) == kept[i]);
		/* the same name under the other's signature is not it */
		g_assert_null (rrec_log_names_lookup (&t, (const uchar *) names[i],
						      strlen (names[i]),
						      sig[1 - i]));
	}
	g_assert_null (rrec_log_names_lookup (&t, (const uchar *) names[2],
					      strlen (names[2]), sig[2]));
	g_assert_cmpuint (t.n, ==, 2);
	rrec_log_names_clear (&t);
}

/* A text copied into the store is the text made valid UTF-8, whatever its
 * length (the short ones are checked a word at a time) and wherever a byte
 * that is no plain ASCII sits. */
static void
test_store_text (void)
{
	static const char *const odd[] = { "\x80", "\xff", "\xc3\xa9", "\x00" };
	RrecLogStore store;
	guint n = 0;

	rrec_log_store_init (&store);
	for (gsize len = 0; len <= 40; len++)
		for (gsize at = 0; at <= len; at++)
			for (gsize k = 0; k < G_N_ELEMENTS (odd); k++) {
				GString *text = g_string_new (NULL);

				for (gsize i = 0; i < len; i++)
					g_string_append_c (text, 'a' + i % 26);
				/* at == len: plain text */
				if (at < len)
					g_string_overwrite_len (text, at, odd[k],
								MAX (strlen (odd[k]), 1));
				gsize size = MIN (text->len, len);
				g_autofree uchar *exact = g_memdup2 (text->str, MAX (size, 1));
				g_autofree char *want = g_utf8_make_valid (text->str, size);
				const char *got = rrec_log_store_text (&store, exact, size);

				g_assert_cmpstr (got, ==, want);
				g_string_free (text, TRUE);
				n++;
			}
	rrec_log_store_clear (&store);
	g_assert_cmpuint (n, ==, 4 * (41 * 42 / 2));
}

/* ---- common attribute lines, read whole in the feed's loop --------------- */

/* The names the variations below use, kept by the reader from a first
 * block: the reader reads a line whose name it keeps by the blank after
 * it, the others as before. */
static const char *const kept_names[] = {
	"AttributeThisDN", "AttributeConnID", "AttributeReferenceID",
	"AttributeTimeinSecs", "AttributeUserData", "AttributeX", "A", "AB",
	"ConnID", "XConnIDs", "_", "Attribute", "AttributeEventSequenceNumber",
	"AttributeAVeryLongAttributeNameOfThirtySixX",
};

static const char *const common_lines[] = {
	"AttributeThisDN\t'7001'",
	"AttributeThisDN\t'7001'\r",
	"AttributeThisDN\t'7001' ",
	"AttributeThisDN \t '7001'",
	"AttributeThisDN\t''",
	"AttributeThisDN\t'",
	"AttributeThisDN\t'a'b'",
	"AttributeThisDN\t'it''s a long text of forty bytes or more, yes'",
	"AttributeThisDN\t'exactly thirty-two bytes long...'",
	"AttributeThisDN\t'thirty-one bytes long..........'",
	"AttributeThisDN\t'thirty-three bytes long..........'",
	"AttributeThisDN\t'\xc3\xa9t\xc3\xa9'",
	"AttributeThisDN\t'\xff'",
	"AttributeThisDN\t7001",
	"AttributeThisDN\t-7001",
	"AttributeThisDN\t-",
	"AttributeThisDN\t12a",
	"AttributeThisDN\tx",
	"AttributeThisDN\t[",
	"AttributeThisDN\t\r",
	"AttributeThisDN\t",
	"AttributeThisDN",
	"AttributeThisDN\f1",
	"AttributeThisDNX\t1",
	"AttributeThisD\t1",
	"AttributeUserData\t[61] 00 03 00 00..",
	"AttributeUserData\t[61] 00 03 00 00.. \r",
	"AttributeUserData\t[61]",
	"AttributeUserData\t[61] 00 0",
	"AttributeUserData\t[61] 00 03 00 00..x",
	"AttributeUserData\t[] 00 03..",
	"AttributeUserData\t[61 00 03..",
	"AttributeConnID\t[3] 00 01..",
	"AttributeConnID\t006b02a5c9a1e0f3",
	"AttributeConnID\t006B02A5C9A1E0F3",
	"AttributeConnID\t006B02A5C9A1E0F3\r",
	"AttributeConnID\t'006b02a5c9a1e0f3'",
	"AttributeConnID\t006b02a5c9a1e0f",
	"AttributeConnID\t1234567890123456",
	"AttributeConnID\t-234567890123456",
	"AttributeConnID\t12",
	"ConnID\t1",
	"ConnID\t0123456789abcdef",
	"XConnIDs\t1",
	"_\t1",
	"A\t12",
	"A\t1",
	"AB\t'x'",
	"Attribute\t1",
	"AttributeX\t006b02a5c9a1e0f3",
	"AttributeX\t0123456789012345",
	"AttributeX\t01234567890123456",
	"AttributeReferenceID\t9999999999999999",
	"AttributeReferenceID\t-9999999999999999",
	"AttributeReferenceID\t12345678",
	"AttributeReferenceID\t123456789",
	"AttributeTimeinSecs\t1715558400",
	"AttributeEventSequenceNumber\t1000001",
	"AttributeEventSequenceNumber\t'1000001'",
	"AttributeAVeryLongAttributeNameOfThirtySixX\t1",
	"AttributeAVeryLongAttributeNameOfThirtySixX\t'x'",
	"'AttributeThisDN'\t'7001'",
	"AttributeThisDN\t'7001'\t'7002'",
};

static const char common_alphabet[] = "'\t \r\f[-0123456789abcdefABCDEF_xX\xc3\xff";

/* TEXT's *LEN bytes without a final CR, NUL-terminated (the machine's
 * line, as the reader hands it); *LEN becomes their count. */
static uchar *
line_copy (const char *text, gsize *len)
{
	gsize n = *len;
	uchar *line;

	if (n > 0 && text[n - 1] == '\r')
		n--;
	line = g_malloc0 (n + 1);
	memcpy (line, text, n);
	*len = n;
	return line;
}

typedef enum {
	MACHINE_ERROR,
	MACHINE_VALUE,
	MACHINE_NESTED,		/* a nested list's entry: not modelled here */
} MachineRead;

/* LINE read by the machine as an attribute (@entry FALSE) or as a list
 * entry, its value made as at block line @line_no: on MACHINE_VALUE,
 * *@name is its name or key (to be freed) and @value is in @store (to be
 * cleared). */
static MachineRead
machine_value (const char *text, gsize len, gboolean entry, guint64 line_no,
	       char **name, RrecLogValue *value, RrecLogStore *store)
{
	RrecLogBody b;
	g_autofree uchar *line = line_copy (text, &len);

	if ((len > 0 && line[0] == '\'') != entry)
		return MACHINE_ERROR;
	if (!rrec_log_body_read_machine (&b, line, len) || !b.is_entry != !entry)
		return MACHINE_ERROR;
	if (entry && b.nested)
		return MACHINE_NESTED;
	*name = g_strndup ((const char *) b.name_start, b.name_end - b.name_start);
	rrec_log_store_init (store);

	g_autofree char *why = rrec_log_body_value (&b, *name, line_no, value, store);

	if (why != NULL) {
		rrec_log_store_clear (store);
		g_clear_pointer (name, g_free);
		return MACHINE_ERROR;
	}
	return MACHINE_VALUE;
}

/* What a block of the header and LINE (one TAB before it) must read as,
 * by the machine: "key=kind:value" or "error". */
static char *
expect_attribute (const char *text, gsize len)
{
	RrecLogStore store;
	RrecLogValue value;
	g_autofree char *name = NULL;
	char *out;

	if (machine_value (text, len, FALSE, 2, &name, &value, &store) !=
	    MACHINE_VALUE)
		return g_strdup ("error");
	if (value.kind == RREC_LOG_VALUE_INTEGER)
		out = g_strdup_printf ("%s=%d:%" G_GINT64_FORMAT, name, value.kind,
				       value.u.integer);
	else if (value.kind == RREC_LOG_VALUE_LIST)
		out = g_strdup_printf ("%s=%d:%u", name, value.kind,
				       value.u.list->len);
	else
		out = g_strdup_printf ("%s=%d:%s", name, value.kind, value.u.string);
	rrec_log_store_clear (&store);
	return out;
}

typedef struct {
	GString *out;
	guint64 first_line;	/* blocks before it are not shown */
} Shown;

/* A list's entries as expect_entry() writes them, a nested list's in
 * braces after it. */
static void
show_entries (GString *out, const GArray *list)
{
	for (guint i = 0; i < list->len; i++) {
		const RrecLogPair *p = &g_array_index (list, RrecLogPair, i);

		if (p->value.kind == RREC_LOG_VALUE_INTEGER)
			g_string_append_printf (out, "[%s=%d:%" G_GINT64_FORMAT "]",
						p->key, p->value.kind,
						p->value.u.integer);
		else if (p->value.kind == RREC_LOG_VALUE_LIST) {
			g_string_append_printf (out, "[%s=list]", p->key);
			if (p->value.u.list->len > 0) {
				/* a nested list's entries */
				g_string_append_c (out, '{');
				show_entries (out, p->value.u.list);
				g_string_append_c (out, '}');
			}
		} else
			g_string_append_printf (out, "[%s=%d:%s]", p->key,
						p->value.kind, p->value.u.string);
	}
}

static void
show_block (const RrecLogBlock *blk, gpointer user_data)
{
	Shown *seen = user_data;

	if (blk->line < seen->first_line)
		return;
	for (guint i = 0; i < blk->attributes->len; i++) {
		const RrecLogPair *p = &g_array_index (blk->attributes, RrecLogPair, i);

		if (strcmp (p->key, "AttributeCallType") == 0)
			continue;	/* the line before it */
		if (p->value.kind == RREC_LOG_VALUE_INTEGER)
			g_string_append_printf (seen->out, "%s=%d:%" G_GINT64_FORMAT,
						p->key, p->value.kind,
						p->value.u.integer);
		else if (p->value.kind == RREC_LOG_VALUE_LIST) {
			g_string_append_printf (seen->out, "%s=%d:%u", p->key,
						p->value.kind,
						p->value.u.list->len);
			show_entries (seen->out, p->value.u.list);
		}
		else
			g_string_append_printf (seen->out, "%s=%d:%s", p->key,
						p->value.kind, p->value.u.string);
	}
	g_string_append_c (seen->out, '\n');
}

static void
show_error (const char *file, guint64 line, const char *message,
	    gpointer user_data)
{
	Shown *seen = user_data;

	if (line >= seen->first_line)
		g_string_append (seen->out, "error\n");
}

/* Reads LOG fed in pieces of STEP bytes (0: whole), the blocks from line
 * FIRST on shown. */
static char *
read_common (const GString *log, gsize step, guint64 first)
{
	Shown seen = { g_string_new (NULL), first };
	RrecLogReader *r = rrec_log_reader_new ("t.log", show_block, show_error,
						&seen);

	for (gsize off = 0; off < log->len; off += step ? step : log->len) {
		gsize n = step ? MIN (step, log->len - off) : log->len;
		/* a copy of each piece's exact size: under ASan, a read
		 * past the piece fails */
		g_autofree char *piece = g_memdup2 (log->str + off, n);

		rrec_log_reader_feed (r, piece, n);
	}
	rrec_log_reader_finish (r);
	rrec_log_reader_free (r);
	return g_string_free (seen.out, FALSE);
}

/* The blocks of LOG from line FIRST on, read fed whole, in pieces, a
 * line a piece: each as WANT says (show_block()'s lines).  WHAT and TEXT
 * name the line tried when they do not. */
static void
check_pieces (const GString *log, const char *want, guint64 first,
	      const char *what, const char *text)
{
	gsize steps[] = { 0, 1, 7, 31, 64 };

	for (gsize i = 0; i < G_N_ELEMENTS (steps); i++) {
		g_autofree char *got = read_common (log, steps[i], first);

		if (g_strcmp0 (got, want) != 0) {
			g_autofree char *shown = g_strescape (text, NULL);

			g_printerr ("%s \"%s\", pieces of %" G_GSIZE_FORMAT "\n",
				    what, shown, steps[i]);
		}
		g_assert_cmpstr (got, ==, want);
	}
	/* each line a piece of its own: no byte past its end to read */
	Shown seen = { g_string_new (NULL), first };
	RrecLogReader *r = rrec_log_reader_new ("t.log", show_block, show_error,
						&seen);
	const char *at = log->str;

	while (at < log->str + log->len) {
		const char *nl = memchr (at, '\n', log->str + log->len - at);
		gsize n = nl ? (gsize) (nl - at) + 1 : (gsize) (log->str + log->len - at);
		g_autofree char *piece = g_memdup2 (at, n);

		rrec_log_reader_feed (r, piece, n);
		at += n;
	}
	rrec_log_reader_finish (r);
	rrec_log_reader_free (r);
	g_assert_cmpstr (seen.out->str, ==, want);
	g_string_free (seen.out, TRUE);
}

/* An attribute line as the block's first, after another, twice, at the
 * end of a piece or across pieces: read as the machine reads it. */
static void
check_common (const char *text, gsize len)
{
	static const char header[] = "12:00:00.000 Trc 04541 message EventRinging\n";
	g_autoptr (GString) log = g_string_new (header);
	g_autoptr (GString) want = g_string_new (NULL);
	g_autofree char *one = expect_attribute (text, len);
	guint64 first;

	if (len == 0 || text[0] == ' ' || text[0] == '\t' ||
	    memchr (text, '\n', len) != NULL)
		return;	/* not an attribute line of one TAB */
	for (gsize i = 0; i < G_N_ELEMENTS (kept_names); i++)
		g_string_append_printf (log, "\t%s\t%" G_GSIZE_FORMAT "\n",
					kept_names[i], i);
	first = G_N_ELEMENTS (kept_names) + 2;
	/* first in its block */
	g_string_append (log, header);
	g_string_append_c (log, '\t');
	g_string_append_len (log, text, len);
	g_string_append_c (log, '\n');
	g_string_append_printf (want, "%s\n", one);
	/* after another */
	g_string_append (log, header);
	g_string_append (log, "\tAttributeCallType\t2\n\t");
	g_string_append_len (log, text, len);
	g_string_append_c (log, '\n');
	g_string_append_printf (want, "%s\n", one);
	/* twice: a malformed block whatever the line */
	g_string_append (log, header);
	for (int k = 0; k < 2; k++) {
		g_string_append_c (log, '\t');
		g_string_append_len (log, text, len);
		g_string_append_c (log, '\n');
	}
	g_string_append (want, "error\n");
	/* the last line of the log, without a line end */
	g_string_append (log, header);
	g_string_append_c (log, '\t');
	g_string_append_len (log, text, len);
	g_string_append_printf (want, "%s\n", one);

	check_pieces (log, want->str, first, "line", text);
}

/* What a list entry LINE must read as, by the machine: its pair as
 * show_entries() writes it, "error", or NULL for a nested list (not
 * modelled here). */
static char *
expect_pair (const char *text, gsize len)
{
	RrecLogStore store;
	RrecLogValue value;
	g_autofree char *key = NULL;
	char *out;

	switch (machine_value (text, len, TRUE, 3, &key, &value, &store)) {
	case MACHINE_ERROR:
		return g_strdup ("error");
	case MACHINE_NESTED:
		return NULL;
	case MACHINE_VALUE:
		break;
	}

	g_autofree char *valid = g_utf8_make_valid (key, -1);

	if (value.kind == RREC_LOG_VALUE_INTEGER)
		out = g_strdup_printf ("[%s=%d:%" G_GINT64_FORMAT "]", valid,
				       value.kind, value.u.integer);
	else if (value.kind == RREC_LOG_VALUE_LIST)
		out = g_strdup_printf ("[%s=list]", valid);
	else
		out = g_strdup_printf ("[%s=%d:%s]", valid, value.kind,
				       value.u.string);
	rrec_log_store_clear (&store);
	return out;
}

/* What a list entry LINE (two TABs before it, under a list header) must
 * read as, by the machine: its list's entries as show_entries() writes
 * them, "error", or NULL for a nested list (not modelled here). */
static char *
expect_entry (const char *text, gsize len)
{
	g_autofree char *pair = expect_pair (text, len);

	if (pair == NULL || strcmp (pair, "error") == 0)
		return g_steal_pointer (&pair);
	return g_strdup_printf ("AttributeUserData=3:1%s", pair);
}

/* A list entry line under a list header, fed whole, in pieces, a line a
 * piece: read as the machine reads it. */
static void
check_entry (const char *text, gsize len)
{
	static const char header[] = "12:00:00.000 Trc 04541 message EventRinging\n"
				     "\tAttributeUserData\t[9] 00 01 00 00..\n";
	g_autoptr (GString) log = g_string_new (NULL);
	g_autoptr (GString) want = g_string_new (NULL);
	g_autofree char *one = expect_entry (text, len);

	if (one == NULL || len == 0 || text[0] == ' ' || text[0] == '\t' ||
	    memchr (text, '\n', len) != NULL)
		return;
	for (int k = 0; k < 3; k++) {
		g_string_append (log, header);
		g_string_append (log, "\t\t");
		g_string_append_len (log, text, len);
		if (k < 2)
			g_string_append_c (log, '\n');
		g_string_append_printf (want, "%s\n", one);
	}
	check_pieces (log, want->str, 1, "entry", text);
}

/* The same line as a nested list's entry, three TABs before it, after a
 * `'Skills'(list)` line, and after an entry of that list (an entry
 * indented unlike it, another TAB, is malformed, §7). */
static void
check_nested_entry (const char *text, gsize len)
{
	static const char header[] = "12:00:00.000 Trc 04541 message EventRinging\n"
				     "\tAttributeUserData\t[9] 00 01 00 00..\n"
				     "\t\t'Skills'(list)\n";
	g_autoptr (GString) log = g_string_new (NULL);
	g_autoptr (GString) want = g_string_new (NULL);
	g_autofree char *one = expect_pair (text, len);
	gboolean bad;

	if (one == NULL || len == 0 || text[0] == ' ' || text[0] == '\t' ||
	    memchr (text, '\n', len) != NULL)
		return;
	bad = strcmp (one, "error") == 0;
	/* three times alone in the list, then after an entry of it */
	for (int k = 0; k < 4; k++) {
		const char *before = k < 3 ? "" : "[Sales=2:8]";

		g_string_append (log, header);
		g_string_append (log, k < 3 ? "\t\t\t" : "\t\t\t'Sales'\t8\n\t\t\t");
		g_string_append_len (log, text, len);
		g_string_append_c (log, '\n');
		if (bad)
			g_string_append (want, "error\n");
		else
			g_string_append_printf (want, "AttributeUserData=3:1"
						"[Skills=list]{%s%s}\n", before, one);
	}
	/* one TAB more than the entry before it */
	g_string_append (log, header);
	g_string_append (log, "\t\t\t'Sales'\t8\n\t\t\t\t");
	g_string_append_len (log, text, len);
	g_string_append (log, "\n\t\t'Next'\t1");
	g_string_append (want, "error\n");
	check_pieces (log, want->str, 1, "entry", text);
}

static const char *const common_entries[] = {
	"'CustomerID'\t'C4272343'",
	"'CustomerID'\t'C4272343'\r",
	"'CustomerID'\t'C4272343' ",
	"'CustomerID' \t'C4272343'",
	"'CustomerID'\t''",
	"'CustomerID'\t'",
	"'CustomerID'\t'a'b'",
	"'Priority'\t9",
	"'Priority'\t-9",
	"'Priority'\t12345678901234567",
	"'Priority'\t1234567890123456",
	"'Priority'\t006b02a5c9a1e0f3",
	"'Priority'\t9x",
	"'P'\t9",
	"'P'\t12345678",
	"'P'\t123456789",
	"'P'\t-1234567890",
	"'P'\t1234567890123456",
	"'P'\t99999999999999999",
	"'P'\t1a",
	"'P'\t-",
	"'P'\t0",
	"''\t9",
	"'ConnID'\t006b02a5c9a1e0f3",
	"'ConnID'\t'006b02a5c9a1e0f3'",
	"'Skills'(list)",
	"'Skills'(list) 'Sales'\t8",
	"'Skills'\t[3] 00 01..",
	"'Skills'\t",
	"'Skills'",
	"'Sk'ills'\t1",
	"'IW_CaseUid'\t'784iqy4lkfavr18j786jn6bl'",
	"'IW_CaseUid'\t'a text of more than thirty-two bytes, here'",
	"'\xc3\xa9'\t'\xff'",
	"Priority\t9",
};

static void
test_common_attribute (void)
{
	GRand *rand = g_rand_new_with_seed (14);

	for (gsize i = 0; i < G_N_ELEMENTS (common_lines); i++)
		check_common (common_lines[i], strlen (common_lines[i]));
	/* the NUL inside a quoted value */
	check_common ("AttributeThisDN\t'a\0b'", 21);
	check_entry ("'k'\t'a\0b'", 9);
	{
		/* an entry indented unlike the one before it: malformed (§7) */
		g_autoptr (GString) log = g_string_new (
			"12:00:00.000 Trc 04541 message EventRinging\n"
			"\tAttributeUserData\t[9] 00 01 00 00..\n"
			"\t\t\t'a'\t1\n"
			"\t\t'b'\t'2'\n"
			"12:00:00.000 Trc 04541 message EventRinging\n"
			"\tAttributeUserData\t[9] 00 01 00 00..\n"
			"\t\t'a'\t1\n"
			"\t\t'b'\t'2'\n");

		for (gsize step = 0; step < 3; step++) {
			g_autofree char *got = read_common (log, step * 5, 1);

			g_assert_cmpstr (got, ==, "error\n"
					 "AttributeUserData=3:2[a=2:1][b=0:2]\n");
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS (common_entries); i++) {
		check_entry (common_entries[i], strlen (common_entries[i]));
		check_nested_entry (common_entries[i], strlen (common_entries[i]));
	}
	for (guint round = 0; round < 100; round++)
		for (gsize i = 0; i < G_N_ELEMENTS (common_entries); i++) {
			GString *s = g_string_new (common_entries[i]);
			gsize at = g_rand_int_range (rand, 0, s->len + 1);
			char c = common_alphabet[g_rand_int_range (
				rand, 0, sizeof common_alphabet - 1)];

			if (at < s->len && g_rand_boolean (rand))
				s->str[at] = c;
			else
				g_string_insert_c (s, at, c);
			check_entry (s->str, s->len);
			check_nested_entry (s->str, s->len);
			g_string_free (s, TRUE);
		}
	for (guint round = 0; round < 40; round++)
		for (gsize i = 0; i < G_N_ELEMENTS (common_lines); i++) {
			GString *s = g_string_new (common_lines[i]);
			guint edits = g_rand_int_range (rand, 1, 3);

			for (guint e = 0; e < edits; e++) {
				gsize at = g_rand_int_range (rand, 0, s->len + 1);
				char c = common_alphabet[g_rand_int_range (
					rand, 0, sizeof common_alphabet - 1)];

				if (at < s->len && g_rand_boolean (rand))
					s->str[at] = c;
				else
					g_string_insert_c (s, at, c);
			}
			check_common (s->str, s->len);
			g_string_free (s, TRUE);
		}
	g_rand_free (rand);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/reader-fast/body/hand-equals-machine",
			 test_hand_equals_machine);
	g_test_add_func ("/reader-fast/header/stamp-hand-equals-machine",
			 test_stamp_hand_equals_machine);
	g_test_add_func ("/reader-fast/header/tail", test_tail);
	g_test_add_func ("/reader-fast/header/sender", test_sender);
	g_test_add_func ("/reader-fast/filter/skips-attributes", test_filter);
	g_test_add_func ("/reader-fast/filter/engine", test_engine_filter);
	g_test_add_func ("/reader-fast/header/names-seen", test_names_seen);
	g_test_add_func ("/reader-fast/store/reuse", test_store_reuse);
	g_test_add_func ("/reader-fast/store/text", test_store_text);
	g_test_add_func ("/reader-fast/names/kept", test_names_kept);
	g_test_add_func ("/reader-fast/names/share-slot", test_names_share_slot);
	g_test_add_func ("/reader-fast/body/common-attribute-entry",
			 test_common_attribute);
	return g_test_run ();
}
