/*
 * fuzz-reader.c — the T-Library log reader (src/tlib/logreader.rl) on any bytes.
 *
 * The first two bytes choose where the rest is cut in two chunks.  The
 * reader promises that chunks may end anywhere (logreader.h), so the
 * blocks and errors read from the two chunks must be exactly those read
 * from the whole input at once; and it must never crash, leak or read out
 * of bounds (ASan, UBSan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rrec/logreader.h"
#include "fuzz.h"

static void
dump_value (GString *out, const RrecLogValue *v)
{
	switch (v->kind) {
	case RREC_LOG_VALUE_STRING:
	case RREC_LOG_VALUE_CONNID:
		if (!g_utf8_validate (v->u.string, -1, NULL))
			FUZZ_FAIL ("a string value that is not UTF-8");
		g_string_append_printf (out, "%d'%s'", v->kind, v->u.string);
		break;
	case RREC_LOG_VALUE_INTEGER:
		g_string_append_printf (out, "%" G_GINT64_FORMAT, v->u.integer);
		break;
	case RREC_LOG_VALUE_LIST:
		g_string_append_c (out, '{');
		for (guint i = 0; i < v->u.list->len; i++) {
			const RrecLogPair *p = &g_array_index (v->u.list, RrecLogPair, i);
			g_string_append_printf (out, "%s=", p->key);
			dump_value (out, &p->value);
			g_string_append_c (out, ',');
		}
		g_string_append_c (out, '}');
		break;
	default:
		FUZZ_FAIL ("a value of unknown kind %d", v->kind);
	}
}

static void
on_block (const RrecLogBlock *b, gpointer user_data)
{
	GString *out = user_data;

	g_string_append_printf (out, "B%" G_GUINT64_FORMAT " t=%" G_GINT64_FORMAT
				" d=%s m=%s s=%s r=%d:", b->line, b->time_ms,
				b->date, b->message, b->sender ? b->sender : "-",
				b->is_request);
	for (guint i = 0; i < b->attributes->len; i++) {
		const RrecLogPair *p = &g_array_index (b->attributes, RrecLogPair, i);
		g_string_append_printf (out, " %s=", p->key);
		dump_value (out, &p->value);
	}
	g_string_append_c (out, '\n');
}

static void
on_error (const char *file, guint64 line, const char *message, gpointer user_data)
{
	g_string_append_printf (user_data, "E%" G_GUINT64_FORMAT " %s\n", line,
				message);
}

static char *
read_all (const char *data, size_t size, size_t cut)
{
	GString *out = g_string_new (NULL);
	RrecLogReader *r = rrec_log_reader_new ("fuzz", on_block, on_error, out);

	rrec_log_reader_feed (r, data, cut);
	rrec_log_reader_feed (r, data + cut, size - cut);
	rrec_log_reader_finish (r);
	g_string_append_printf (out, "n=%" G_GUINT64_FORMAT " skipped=%"
				G_GUINT64_FORMAT "\n", rrec_log_reader_get_n_blocks (r),
				rrec_log_reader_get_n_skipped (r));
	rrec_log_reader_free (r);
	return g_string_free (out, FALSE);
}

int
FUZZ_ENTRY (const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t cut = ((size_t) data[0] | (size_t) data[1] << 8) % (size - 1);
	const char *text = (const char *) data + 2;
	size -= 2;

	char *whole = read_all (text, size, size);
	char *split = read_all (text, size, cut);
	if (strcmp (whole, split) != 0)
		FUZZ_FAIL ("cut at %zu reads differently:\n--- whole\n%s--- split\n%s",
			   cut, whole, split);
	g_free (whole);
	g_free (split);
	return 0;
}
