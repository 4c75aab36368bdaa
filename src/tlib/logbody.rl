/*
 * logbody.rl — a line inside a log block, without its indentation, read by
 * a Ragel machine (the grammar), and the value it holds: split from the
 * reader (logreader.rl), which keeps the block's structure.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rrec-logblock.h"
#include "rrec-logbody.h"
#include "rrec-logbody-hand.h"

%%{
	machine rrec_log_body;
	alphtype unsigned char;

	action name_start { b->stage = BODY_NAME; b->name_start = p; }
	action name_end { b->name_end = p; }
	action connid_name { b->connid_name = TRUE; }
	action key_open {
		b->stage = BODY_KEY;
		b->is_entry = TRUE;
		b->name_start = p + 1;
	}
	action key_close { b->stage = BODY_AFTER_KEY; b->name_end = p; }
	action sep { b->stage = BODY_VALUE; }
	action q_open { b->stage = BODY_QUOTED; b->quoted = TRUE; b->val_start = p + 1; }
	# Fires at every later quote: the value runs to the last one.
	action q_close { b->val_end = p; }
	action list_open { b->stage = BODY_LIST; b->list = TRUE; }
	action bare_start { b->stage = BODY_BARE; b->val_start = p; }
	action bare_end { b->stage = BODY_TRAIL; b->val_end = p; }
	action bare_int { b->bare_int = TRUE; }
	action bare_hex16 { b->bare_hex16 = TRUE; }
	action nested { b->nested = TRUE; b->rest = p + 1; }

	ws = [ \t\r\f\v];
	ident = [A-Za-z_] [A-Za-z0-9_]*;
	name = ( ident | ( ident & ( any* 'ConnID' ) ) %connid_name )
		>name_start %name_end;

	# A quoted value is everything between the first and the last quote of
	# the line: T-Library writes quotes inside strings as they are.
	quoted = "'" @q_open ( any* "'" @q_close );
	list_header = ( '[' digit+ ']' ( ws+ xdigit{2} )* '.'* ) >list_open;
	bare = ( [^ \t\r\f\v'\[] [^ \t\r\f\v]*
		| ( '-'? digit+ ) %bare_int
		| xdigit{16} %bare_hex16 ) >bare_start %bare_end;
	value = ( ws+ @sep ) ( quoted | list_header | bare ) ws*;

	key = "'" @key_open [^']* "'" @key_close;
	attribute = name value;
	entry = key ( value | '(list)' @nested any* );

	main := attribute | entry;
}%%

%% write data noerror noentry;

gboolean
rrec_log_body_read_machine (RrecLogBody *b, const uchar *line, gsize len)
{
	const uchar *p = line;
	const uchar *pe = line + len;
	const uchar *eof = pe;
	int cs;

	memset (b, 0, sizeof *b);
	%% write init;
	%% write exec;
	(void) rrec_log_body_start;

	b->end = pe;
	if (p < pe)
		b->stop = p;
	return p == pe && cs >= rrec_log_body_first_final;
}

static gboolean
is_hex16 (const uchar *text, gsize len)
{
	if (len != 16)
		return FALSE;
	for (gsize i = 0; i < 16; i++)
		if (!g_ascii_isxdigit (text[i]))
			return FALSE;
	return TRUE;
}

gboolean
rrec_log_body_read (RrecLogBody *b, const uchar *line, gsize len)
{
	return rrec_log_body_read_inline (b, line, len);
}

/* At most a few dozen characters of TEXT, valid UTF-8, for a message. */
char *
rrec_log_text_snippet (const uchar *text, gsize len)
{
	g_autofree char *valid = g_utf8_make_valid ((const char *) text,
						    (gssize) MIN (len, 64));
	const char *end = valid;

	for (int n = 0; *end != '\0' && n < 40; n++)
		end = g_utf8_next_char (end);
	if (*end == '\0' && len <= 64)
		return g_steal_pointer (&valid);
	return g_strdup_printf ("%.*s…", (int) (end - valid), valid);
}

/* A bare number of at most 18 digits cannot overflow. */
static gboolean
small_integer (const uchar *text, gsize len, gint64 *n)
{
	gboolean negative = len > 0 && text[0] == '-';
	gint64 v = 0;

	if (len - negative > 18)
		return FALSE;
	for (gsize i = negative; i < len; i++)
		v = v * 10 + (text[i] - '0');
	*n = negative ? -v : v;
	return TRUE;
}

char *
rrec_log_body_value (const RrecLogBody *b, const char *name, guint64 line_no,
		     RrecLogValue *value, RrecLogStore *store)
{
	gsize len = b->val_end - b->val_start;

	if (b->connid_name) {
		/* A ConnID keys the call: a wrong one must not be guessed. */
		if (!b->list && (b->quoted ? is_hex16 (b->val_start, len) :
				 b->bare_hex16)) {
			value->kind = RREC_LOG_VALUE_CONNID;
			value->u.string = rrec_log_store_lower (store, b->val_start,
								len);
			return NULL;
		}
		if (b->list)
			return g_strdup_printf ("%s on line %" G_GUINT64_FORMAT
						" is a list, not a ConnID",
						name, line_no);
		g_autofree char *text = rrec_log_text_snippet (b->val_start, len);

		return g_strdup_printf ("%s on line %" G_GUINT64_FORMAT
					" is not a ConnID of 16 hex digits: %s",
					name, line_no, text);
	}
	if (b->list) {
		value->kind = RREC_LOG_VALUE_LIST;
		value->u.list = rrec_log_store_list (store);
		return NULL;
	}
	if (!b->quoted && b->bare_int) {
		char digits[32];
		gint64 n;

		if (b->has_int) {
			value->kind = RREC_LOG_VALUE_INTEGER;
			value->u.integer = b->int_value;
			return NULL;
		}
		if (small_integer (b->val_start, len, &n)) {
			value->kind = RREC_LOG_VALUE_INTEGER;
			value->u.integer = n;
			return NULL;
		}

		/* more than 20 digits cannot fit 64 bits anyway (and no
		 * strlcpy: it would measure the whole rest of the chunk) */
		memcpy (digits, b->val_start, MIN (len, sizeof digits - 1));
		digits[MIN (len, sizeof digits - 1)] = '\0';
		if (len >= sizeof digits ||
		    !g_ascii_string_to_signed (digits, 10, G_MININT64,
					       G_MAXINT64, &n, NULL)) {
			return g_strdup_printf ("%s on line %" G_GUINT64_FORMAT
						" is a number out of range: %s",
						name, line_no, digits);
		}
		value->kind = RREC_LOG_VALUE_INTEGER;
		value->u.integer = n;
		return NULL;
	}
	value->kind = RREC_LOG_VALUE_STRING;
	value->u.string = rrec_log_store_text (store, b->val_start, len);
	return NULL;
}

char *
rrec_log_body_error (const RrecLogBody *b, guint64 line_no, const char *what)
{
	/* Leaving actions do not run at the end of a line that the machine
	 * refuses: a name cut by the end of the line ends there. */
	const uchar *name_end = b->name_end != NULL ? b->name_end :
				b->stop != NULL ? b->stop : b->end;
	g_autofree char *name = NULL;

	if (b->name_start != NULL && name_end != NULL && name_end >= b->name_start)
		name = g_utf8_make_valid ((const char *) b->name_start,
					  name_end - b->name_start);
	else
		name = g_strdup ("?");

	switch (b->stage) {
	case BODY_START:
		return g_strdup_printf ("line %" G_GUINT64_FORMAT " is not %s",
			   line_no, what);
	case BODY_NAME:
	case BODY_AFTER_KEY:
		if (b->stop == NULL)
			return g_strdup_printf ("%s%s%s on line %" G_GUINT64_FORMAT
				   " has no value",
				   b->is_entry ? "list entry '" : "",
				   name, b->is_entry ? "'" : "", line_no);
		else
			return g_strdup_printf ("line %" G_GUINT64_FORMAT
				   ": expected a blank and a value after %s%s%s",
				   line_no, b->is_entry ? "'" : "", name,
				   b->is_entry ? "'" : "");
	case BODY_KEY:
		return g_strdup_printf ("line %" G_GUINT64_FORMAT
			   ": list key without its closing quote", line_no);
	case BODY_VALUE:
		if (b->stop == NULL)
			return g_strdup_printf ("%s%s%s on line %" G_GUINT64_FORMAT
				   " has no value",
				   b->is_entry ? "list entry '" : "",
				   name, b->is_entry ? "'" : "", line_no);
		else
			return g_strdup_printf ("line %" G_GUINT64_FORMAT
				   ": malformed value of %s", line_no, name);
	case BODY_QUOTED:
		return g_strdup_printf ("line %" G_GUINT64_FORMAT
			   ": broken quoted string in %s (no closing quote, "
			   "or text after it)", line_no, name);
	case BODY_LIST:
		return g_strdup_printf ("line %" G_GUINT64_FORMAT
			   ": malformed key-value list header in %s",
			   line_no, name);
	case BODY_BARE:
	case BODY_TRAIL:
		return g_strdup_printf ("line %" G_GUINT64_FORMAT
			   ": unexpected text after the value of %s",
			   line_no, name);
	}
	return g_strdup ("?");	/* no stage left out above */
}
