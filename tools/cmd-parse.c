/*
 * cmd-parse.c — `rrec parse`: print each block the log reader reads.
 *
 * A tool to see a log the way the engine will see it, and to check a log
 * before a replay.  JSON is written by json-glib, never by hand, so that
 * any UTF-8 in a value comes out correctly escaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cmd-parse.h"
#include "json-line.h"

static void add_value (JsonBuilder *builder, const RrecLogValue *value);

/* A list is an array of [key, value] pairs, not an object: keys repeat and
 * their order matters. */
static void
add_list (JsonBuilder *builder, GArray *list)
{
	json_builder_begin_array (builder);
	for (guint i = 0; i < list->len; i++) {
		const RrecLogPair *pair = &g_array_index (list, RrecLogPair, i);

		json_builder_begin_array (builder);
		json_builder_add_string_value (builder, pair->key);
		add_value (builder, &pair->value);
		json_builder_end_array (builder);
	}
	json_builder_end_array (builder);
}

static void
add_value (JsonBuilder *builder, const RrecLogValue *value)
{
	switch (value->kind) {
	case RREC_LOG_VALUE_STRING:
	case RREC_LOG_VALUE_CONNID:
		json_builder_add_string_value (builder, value->u.string);
		break;
	case RREC_LOG_VALUE_INTEGER:
		json_builder_add_int_value (builder, value->u.integer);
		break;
	case RREC_LOG_VALUE_LIST:
		add_list (builder, value->u.list);
		break;
	}
}

char *
rrec_parse_block_to_json (const RrecLogBlock *block)
{
	g_autoptr (JsonBuilder) builder = json_builder_new ();
	g_autoptr (JsonNode) root = NULL;

	g_return_val_if_fail (block != NULL, NULL);

	json_builder_begin_object (builder);
	json_builder_set_member_name (builder, "line");
	json_builder_add_int_value (builder, (gint64) block->line);
	if (block->time_ms >= 0) {
		g_autofree char *time = rrec_log_time_to_string (block->time_ms);

		json_builder_set_member_name (builder, "time");
		json_builder_add_string_value (builder, time);
	}
	json_builder_set_member_name (builder, "message");
	json_builder_add_string_value (builder, block->message);
	if (block->sender != NULL) {
		json_builder_set_member_name (builder, "sender");
		json_builder_add_string_value (builder, block->sender);
	}
	json_builder_set_member_name (builder, "attributes");
	json_builder_begin_object (builder);
	for (guint i = 0; i < block->attributes->len; i++) {
		const RrecLogPair *attr = &g_array_index (block->attributes,
							  RrecLogPair, i);

		json_builder_set_member_name (builder, attr->key);
		add_value (builder, &attr->value);
	}
	json_builder_end_object (builder);
	json_builder_end_object (builder);

	root = json_builder_get_root (builder);
	return rrec_json_line (root);
}

static void
print_block (const RrecLogBlock *block, gpointer user_data)
{
	g_autofree char *json = rrec_parse_block_to_json (block);

	fputs (json, stdout);
	fputc ('\n', stdout);
}

static void
print_error (const char *file_name, guint64 line, const char *message,
	     gpointer user_data)
{
	fflush (stdout);
	fprintf (stderr, "%s:%" G_GUINT64_FORMAT ": %s\n", file_name, line,
		 message);
}

/* Reads one log through a fresh reader: line numbers and the clock start
 * again with each file.  Returns FALSE if it could not be read. */
static gboolean
parse_file (const char *path, guint64 *n_skipped)
{
	g_autoptr (RrecLogReader) reader = NULL;
	gboolean is_stdin = path == NULL || strcmp (path, "-") == 0;
	const char *shown = is_stdin ? "<stdin>" : path;
	char buffer[64 * 1024];
	int fd = is_stdin ? STDIN_FILENO : g_open (path, O_RDONLY, 0);
	gboolean ok = TRUE;

	if (fd < 0) {
		int saved = errno;

		fprintf (stderr, "rrec parse: %s: %s\n", shown,
			 g_strerror (saved));
		return FALSE;
	}

	reader = rrec_log_reader_new (shown, print_block, print_error, NULL);
	for (;;) {
		gssize n = read (fd, buffer, sizeof buffer);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			fprintf (stderr, "rrec parse: %s: %s\n", shown,
				 g_strerror (saved));
			ok = FALSE;
			break;
		}
		if (n == 0)
			break;
		rrec_log_reader_feed (reader, buffer, n);
	}
	rrec_log_reader_finish (reader);
	*n_skipped += rrec_log_reader_get_n_skipped (reader);
	if (!is_stdin)
		close (fd);
	return ok;
}

int
rrec_cmd_parse (int argc, char **argv)
{
	g_autoptr (GOptionContext) context = NULL;
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) logs = NULL;
	GOptionEntry entries[] = {
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &logs,
		  NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	guint64 n_skipped = 0;
	gboolean unreadable = FALSE;

	context = g_option_context_new ("[LOG...]");
	g_option_context_set_summary (context,
		"Reads T-Library log dumps (standard input when no LOG is given,\n"
		"or LOG is -) and prints one JSON object per message block:\n"
		"line, time, message, sender, attributes.  Malformed blocks are\n"
		"reported on standard error as FILE:LINE: what is wrong.");
	g_option_context_set_description (context,
		"Exit status: 0 when every block was read, 1 when a block was\n"
		"skipped, 2 for a usage error or a log that cannot be read.");
	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error)) {
		fprintf (stderr, "rrec parse: %s\n", error->message);
		return 2;
	}

	if (logs == NULL || logs[0] == NULL)
		unreadable |= !parse_file (NULL, &n_skipped);
	else
		for (guint i = 0; logs[i] != NULL; i++)
			unreadable |= !parse_file (logs[i], &n_skipped);
	fflush (stdout);

	if (unreadable)
		return 2;
	return n_skipped > 0 ? 1 : 0;
}
