/*
 * test-parse-json.c — `rrec parse` (behaviour.md §6): the JSON of a block,
 * the diagnostics and the exit status.
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cmd-parse.h"
#include "json-check.h"

static const char small_log[] =
	"2026-11-26T10:15:29.000 Std 00000 log opened\n"
	"@10:15:30.1234 received from 65200(SIPServer_SfB)host:5001(fd=6) message EventEstablished\n"
	"\tAttributeUserData\t[561] 00 14 00 00..\n"
	"\t\t'Name'\t'Jürgen \"J\" Müller\\'\n"
	"\t\t'Skills'(list) 'English'\t10\n"
	"\t\t\t'French'\t'5'\n"
	"\t\t'Name'\tdup\n"
	"\tAttributeConnID\t006C029A6685D004\n"
	"\tAttributeCallType\t2\n"
	"\tAttributeThisDN\t'7001'\n"
	"message EventPlop\n"
	"\tAttributeThisDN\t'7001'\n"
	"request from 12(Desktop) message RequestPrivateService\n"
	"\tAttributePrivateMsgID\t3013\n"
	"\tAttributeReferenceID\t-7\n";

static const char small_json[] =
	"{\"line\":2,\"time\":\"10:15:30.123\",\"message\":\"EventEstablished\","
	"\"sender\":\"SIPServer_SfB\",\"attributes\":{"
	"\"AttributeUserData\":[[\"Name\",\"Jürgen \\\"J\\\" Müller\\\\\"],"
	"[\"Skills\",[[\"English\",10],[\"French\",\"5\"]]],[\"Name\",\"dup\"]],"
	"\"AttributeConnID\":\"006c029a6685d004\",\"AttributeCallType\":2,"
	"\"AttributeThisDN\":\"7001\"}}\n"
	"{\"line\":13,\"time\":\"10:15:30.123\",\"message\":\"RequestPrivateService\","
	"\"sender\":\"Desktop\",\"attributes\":{\"AttributePrivateMsgID\":3013,"
	"\"AttributeReferenceID\":-7}}\n";

static void
collect_json (const RrecLogBlock *block, gpointer user_data)
{
	g_autofree char *json = rrec_parse_block_to_json (block);

	g_string_append_printf (user_data, "%s\n", json);
}

static void
test_block_json (void)
{
	GString *out = g_string_new (NULL);
	RrecLogReader *reader = rrec_log_reader_new ("t.log", collect_json,
						     NULL, out);

	rrec_log_reader_feed (reader, small_log, strlen (small_log));
	rrec_log_reader_finish (reader);
	g_assert_cmpuint (rrec_log_reader_get_n_skipped (reader), ==, 1);
	rrec_log_reader_free (reader);
	g_assert_cmpstr (out->str, ==, small_json);
	g_string_free (out, TRUE);
}

/* No time known yet, no sender: both members are absent. */
static void
test_block_json_minimal (void)
{
	const char *log = "message EventACK\n";
	GString *out = g_string_new (NULL);
	RrecLogReader *reader = rrec_log_reader_new (NULL, collect_json,
						     NULL, out);

	rrec_log_reader_feed (reader, log, strlen (log));
	rrec_log_reader_finish (reader);
	rrec_log_reader_free (reader);
	g_assert_cmpstr (out->str, ==,
			 "{\"line\":1,\"message\":\"EventACK\",\"attributes\":{}}\n");
	g_string_free (out, TRUE);
}

/* §7: every control character of a value or key is escaped (json-glib
 * 1.6 wrote U+001F raw), so every line is RFC 8259 JSON. */
static void
test_block_json_controls (void)
{
	GString *log = g_string_new ("10:00:00.000 message EventRinging\n"
				     "\tAttributeUserData\t[1] 00\n");
	GString *out = g_string_new (NULL);
	RrecLogReader *reader = rrec_log_reader_new ("t.log", collect_json,
						     NULL, out);

	for (int c = 1; c < 0x20; c++)
		if (c != '\n' && c != '\r')
			g_string_append_printf (log, "\t\t'k%c'\t'v%c'\n", c, c);
	g_string_append (log, "\t\t'cr'\t'a\rb'\n\tAttributeThisDN\t'7\x1f'\n");
	rrec_log_reader_feed (reader, log->str, log->len);
	rrec_log_reader_finish (reader);
	g_assert_cmpuint (rrec_log_reader_get_n_blocks (reader), ==, 1);
	rrec_log_reader_free (reader);
	g_assert_true (g_str_has_suffix (out->str, "\n"));
	g_string_truncate (out, out->len - 1);
	g_autoptr (JsonParser) p = json_check_line ("parse", 1, out->str);
	g_assert_nonnull (strstr (out->str, "[\"k\\u001f\",\"v\\u001f\"]"));
	g_assert_nonnull (strstr (out->str, "\"AttributeThisDN\":\"7\\u001f\""));
	g_string_free (out, TRUE);
	g_string_free (log, TRUE);
}

/* The log is written by the test and read by its subprocess, which finds
 * it through the environment. */
static char *
write_log (const char *text)
{
	GError *error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp ("rrec-parse-XXXXXX.log", &path, &error);

	g_assert_no_error (error);
	close (fd);
	g_file_set_contents (path, text, -1, &error);
	g_assert_no_error (error);
	g_setenv ("RREC_TEST_LOG", path, TRUE);
	return path;
}

static void
test_command_skipped (void)
{
	g_autofree char *path = NULL;

	if (g_test_subprocess ()) {
		char *argv[] = { "parse", (char *) g_getenv ("RREC_TEST_LOG"), NULL };

		exit (rrec_cmd_parse (2, argv));
	}
	path = write_log (small_log);
	g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_failed ();	/* exit 1: a block was skipped */
	g_test_trap_assert_stdout (small_json);
	{
		g_autofree char *err = g_strdup_printf (
			"%s:11: unknown message name EventPlop\n", path);

		/* A glob pattern; the temporary path holds no * or ?. */
		g_test_trap_assert_stderr (err);
	}
	g_unlink (path);
}

static void
test_command_clean (void)
{
	g_autofree char *path = NULL;

	if (g_test_subprocess ()) {
		char *argv[] = { "parse", (char *) g_getenv ("RREC_TEST_LOG"), NULL };
		int status = rrec_cmd_parse (2, argv);

		exit (status == 0 ? 0 : 3);
	}
	path = write_log ("message EventACK\n\tAttributeReferenceID\t3\n");
	g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed ();
	g_test_trap_assert_stdout ("{\"line\":1,\"message\":\"EventACK\","
				   "\"attributes\":{\"AttributeReferenceID\":3}}\n");
	g_test_trap_assert_stderr_unmatched ("?*");
	g_unlink (path);
}

static void
test_command_usage (void)
{
	if (g_test_subprocess ()) {
		char *argv[] = { "parse", "--no-such-option", NULL };
		char *argv2[] = { "parse", "/nonexistent/rrec.log", NULL };
		int a = rrec_cmd_parse (2, argv);
		int b = rrec_cmd_parse (2, argv2);

		exit (a == 2 && b == 2 ? 0 : 3);
	}
	g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed ();
	g_test_trap_assert_stderr ("*Unknown option --no-such-option*");
	g_test_trap_assert_stderr ("*/nonexistent/rrec.log*");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/parse/json/block", test_block_json);
	g_test_add_func ("/parse/json/minimal", test_block_json_minimal);
	g_test_add_func ("/parse/json/control-characters", test_block_json_controls);
	g_test_add_func ("/parse/command/skipped-block", test_command_skipped);
	g_test_add_func ("/parse/command/clean", test_command_clean);
	g_test_add_func ("/parse/command/usage", test_command_usage);

	return g_test_run ();
}
