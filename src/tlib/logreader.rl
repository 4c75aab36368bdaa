/*
 * logreader.rl — the streaming T-Library log reader.
 *
 * The bytes are cut into lines here: a line split across feed() calls waits
 * in a small buffer, a whole line inside a chunk is read in place.  Every
 * complete line is then read by one of the Ragel machines below, which do
 * all the grammar work; the C around them only keeps the structure of the
 * block (which list an entry belongs to, by its indentation).  Reading whole
 * lines makes the chunk boundaries invisible to the machines, so a block
 * split anywhere — even inside a UTF-8 sequence — reads the same.
 *
 * Memory: the line buffer (as long as the longest line, shrunk again after
 * a long one) and the block being read, freed after its callback.
 */
#include <string.h>

#include "rrec-logblock.h"

typedef unsigned char uchar;

/* Deeper nesting than this is no log a T-Server writes; refusing it keeps
 * a hostile input from driving the recursion in the value destructors. */
#define MAX_LIST_DEPTH 32

/* A line buffer that grew beyond this for one long line is given back. */
#define LINE_BUFFER_KEEP (64 * 1024)

/* ------------------------------------------------------------------------
 * The time stamp at the start of a header line.
 */

typedef struct {
	gboolean found;		/* a time stamp followed by a blank */
	gboolean has_date;	/* it was an ISO date-time */
	int year, month, day;
	int hour, min, sec, ms;
	int frac_digits;
} Stamp;

%%{
	machine rrec_log_stamp;
	alphtype unsigned char;

	action clock { s->hour = s->min = s->sec = s->ms = s->frac_digits = 0; }
	action hour { s->hour = s->hour * 10 + (fc - '0'); }
	action min { s->min = s->min * 10 + (fc - '0'); }
	action sec { s->sec = s->sec * 10 + (fc - '0'); }
	# Digits beyond milliseconds are counted but cut off.
	action frac {
		if (s->frac_digits++ < 3)
			s->ms = s->ms * 10 + (fc - '0');
	}
	action date { s->year = s->month = s->day = 0; }
	action year { s->year = s->year * 10 + (fc - '0'); }
	action month { s->month = s->month * 10 + (fc - '0'); }
	action day { s->day = s->day * 10 + (fc - '0'); }
	action iso { s->has_date = TRUE; }
	action done { s->found = TRUE; fbreak; }

	hms = ( digit{1,2} $hour ':' digit{2} $min ':' digit{2} $sec
		( [.,] digit+ $frac )? ) >clock;
	ymd = ( digit{4} $year '-' digit{2} $month '-' digit{2} $day ) >date;
	zone = 'Z' | [+\-] digit{2} ( ':'? digit{2} )?;

	# @hh:mm:ss.ffff (SIP Server), hh:mm:ss.mmm, or an ISO date-time with
	# a T or a blank, maybe a zone.  The stamp ends at a blank (an optional
	# colon before it, as in "hh:mm:ss.mmm: Sending").
	stamp = '@' hms | hms | ymd [T ] @iso hms zone?;
	main := stamp ':'? [ \t] @done;
}%%

%% write data noerror nofinal noentry;

static void
read_stamp (Stamp *s, const uchar *line, gsize len)
{
	const uchar *p = line;
	const uchar *pe = line + len;
	int cs;

	memset (s, 0, sizeof *s);
	%% write init;
	%% write exec;
	(void) rrec_log_stamp_start;

	if (!s->found)
		s->has_date = FALSE;
	for (; s->frac_digits < 3; s->frac_digits++)
		s->ms *= 10;
}

/* ------------------------------------------------------------------------
 * The end of a header line: `message <Name>`.
 */

typedef struct {
	const uchar *name_start;
	const uchar *name_end;
} Tail;

%%{
	machine rrec_log_tail;
	alphtype unsigned char;

	action name_start { t->name_start = p; }
	action name_char { t->name_end = p + 1; }

	# Every candidate restarts name_start; only the last one can reach the
	# end of the line, so what is left at the end is the name.
	name = ( ( 'Event' | 'Request' ) [A-Za-z0-9_]* ) >name_start $name_char;
	main := ( any* [ \t:] )? [Mm] 'essage' [ \t]+ name [ \t]*;
}%%

%% write data noerror noentry;

static gboolean
read_tail (Tail *t, const uchar *line, gsize len)
{
	const uchar *p = line;
	const uchar *pe = line + len;
	int cs;

	memset (t, 0, sizeof *t);
	%% write init;
	%% write exec;
	(void) rrec_log_tail_start;

	return cs >= rrec_log_tail_first_final && t->name_start != NULL;
}

/* ------------------------------------------------------------------------
 * The sender named by a header: `received from N(AppName)` or
 * `request from N(AppName)`; `request to …` names the receiver instead.
 */

typedef struct {
	const uchar *app_start;
	const uchar *app;
	gsize app_len;
} Sender;

%%{
	machine rrec_log_sender;
	alphtype unsigned char;

	action app_start { s->app_start = p; }
	action app_end {
		if (s->app == NULL) {
			s->app = s->app_start;
			s->app_len = p - s->app_start;
		}
	}

	# any* stays alive after a match, so the machine never fails; the
	# first complete match names the sender.
	main := any* ( 'received' | 'request' ) [ \t]+ 'from' [ \t]+
		[^ \t()]+ '(' ( [^()]+ >app_start ) ')' @app_end;
}%%

%% write data noerror nofinal noentry;

static void
read_sender (Sender *s, const uchar *line, gsize len)
{
	const uchar *p = line;
	const uchar *pe = line + len;
	int cs;

	memset (s, 0, sizeof *s);
	%% write init;
	%% write exec;
	(void) rrec_log_sender_start;
	(void) cs;
}

/* ------------------------------------------------------------------------
 * A line inside a block, without its indentation: an attribute
 * `Name TAB value` or a list entry `'key' TAB value` / `'key'(list) …`.
 */

/* How far the machine got: says what is wrong when it fails. */
typedef enum {
	BODY_START = 0,
	BODY_NAME,	/* in the attribute name */
	BODY_KEY,	/* inside the quoted key */
	BODY_AFTER_KEY,	/* after the key's closing quote */
	BODY_VALUE,	/* in the blank before the value */
	BODY_QUOTED,	/* in a quoted value */
	BODY_LIST,	/* in a list header `[n] 00 01..` */
	BODY_BARE,	/* in a bare value */
	BODY_TRAIL,	/* after a bare value */
} BodyStage;

typedef struct {
	BodyStage stage;
	gboolean is_entry;
	gboolean connid_name;	/* the attribute name ends in ConnID */
	gboolean quoted;
	gboolean list;		/* a list header: entries follow */
	gboolean nested;	/* 'key'(list) */
	gboolean bare_int;	/* -?[0-9]+ */
	gboolean bare_hex16;	/* 16 hex digits */
	const uchar *name_start, *name_end;	/* name or key */
	const uchar *val_start, *val_end;
	const uchar *rest;	/* after `(list)` */
	const uchar *stop;	/* where the machine failed, NULL at the end */
	const uchar *end;	/* the end of the line */
} Body;

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

static gboolean
read_body (Body *b, const uchar *line, gsize len)
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

/* ------------------------------------------------------------------------
 * A ConnID: exactly 16 hex digits.
 */

%%{
	machine rrec_log_hex16;
	alphtype unsigned char;

	main := xdigit{16};
}%%

%% write data noerror noentry;

static gboolean
is_hex16 (const uchar *text, gsize len)
{
	const uchar *p = text;
	const uchar *pe = text + len;
	int cs;

	%% write init;
	%% write exec;
	(void) rrec_log_hex16_start;

	return p == pe && cs >= rrec_log_hex16_first_final;
}

/* ------------------------------------------------------------------------
 * The reader.
 */

/* A key-value list still open for entries. */
typedef struct {
	GArray *pairs;
	int opener_col;	/* indentation of the line that opened it */
	int entry_col;	/* indentation of its entries, -1 until one is seen */
} OpenList;

struct _RrecLogReader {
	char *file_name;
	RrecLogBlockFunc on_block;
	RrecLogErrorFunc on_error;
	gpointer user_data;

	GString *pending;	/* the start of a line split across chunks */
	guint64 line_no;	/* lines read so far */
	gboolean stopped;
	gboolean finished;

	gint64 last_time_ms;
	char last_date[11];

	/* The block being read. */
	gboolean in_block;
	RrecLogBlock block;
	char *message;
	char *sender;
	char *error;		/* the first thing wrong with it */
	int attr_col;		/* indentation of its attributes, -1 before one */
	GArray *open_lists;	/* OpenList, innermost last */
	GArray *attributes;	/* the block's attributes, kept from block to
				 * block so that reading allocates less */

	guint64 n_blocks;
	guint64 n_skipped;
};

RrecLogReader *
rrec_log_reader_new (const char *file_name, RrecLogBlockFunc on_block,
		     RrecLogErrorFunc on_error, gpointer user_data)
{
	RrecLogReader *r = g_new0 (RrecLogReader, 1);

	r->file_name = g_strdup (file_name);
	r->on_block = on_block;
	r->on_error = on_error;
	r->user_data = user_data;
	r->pending = g_string_new (NULL);
	r->last_time_ms = -1;
	g_strlcpy (r->last_date, "1970-01-01", sizeof r->last_date);
	r->open_lists = g_array_new (FALSE, FALSE, sizeof (OpenList));
	r->attributes = rrec_log_list_new ();
	return r;
}

/* A copy of LEN bytes as valid UTF-8: most values are plain ASCII, which
 * needs no validation. */
static char *
dup_text (const uchar *text, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if (text[i] >= 0x80 || text[i] == 0)
			return g_utf8_make_valid ((const char *) text, (gssize) len);
	return g_strndup ((const char *) text, len);
}

/* At most a few dozen characters of TEXT, valid UTF-8, for a message. */
static char *
snippet (const uchar *text, gsize len)
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

static void
set_error (RrecLogReader *r, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
set_error (RrecLogReader *r, const char *format, ...)
{
	va_list args;

	/* The first problem is the one worth reporting: later ones are often
	 * its consequences. */
	if (r->error != NULL)
		return;
	va_start (args, format);
	r->error = g_strdup_vprintf (format, args);
	va_end (args);
}

static void
clear_block (RrecLogReader *r)
{
	g_array_set_size (r->open_lists, 0);
	g_array_set_size (r->attributes, 0);
	g_clear_pointer (&r->message, g_free);
	g_clear_pointer (&r->sender, g_free);
	g_clear_pointer (&r->error, g_free);
	memset (&r->block, 0, sizeof r->block);
	r->in_block = FALSE;
}

static void
end_block (RrecLogReader *r)
{
	if (!r->in_block)
		return;
	if (r->stopped) {
		/* stop() from a callback: nothing more is delivered. */
	} else if (r->error != NULL) {
		r->n_skipped++;
		if (r->on_error != NULL)
			r->on_error (r->file_name, r->block.line, r->error,
				     r->user_data);
	} else {
		r->n_blocks++;
		if (r->on_block != NULL)
			r->on_block (&r->block, r->user_data);
	}
	clear_block (r);
}

static gboolean
stamp_is_valid (const Stamp *stamp)
{
	return stamp->hour <= 23 && stamp->min <= 59 && stamp->sec <= 59 &&
	       (!stamp->has_date ||
		g_date_valid_dmy (stamp->day, stamp->month, stamp->year));
}

static void
take_date (RrecLogReader *r, const Stamp *stamp)
{
	g_snprintf (r->last_date, sizeof r->last_date, "%04d-%02d-%02d",
		    stamp->year, stamp->month, stamp->day);
}

/* Returns FALSE if LINE is no header (another log record). */
static gboolean
read_header (RrecLogReader *r, const uchar *line, gsize len,
	     const Stamp *stamp)
{
	Tail tail;
	Sender sender;

	if (!read_tail (&tail, line, len))
		return FALSE;

	r->in_block = TRUE;
	r->attr_col = -1;
	r->message = g_strndup ((const char *) tail.name_start,
				tail.name_end - tail.name_start);
	r->block.file_name = r->file_name;
	r->block.line = r->line_no;
	r->block.message = r->message;
	r->block.is_request = g_str_has_prefix (r->message, "Request");
	r->block.attributes = r->attributes;

	if (stamp->found) {
		if (stamp->hour > 23 || stamp->min > 59 || stamp->sec > 59)
			set_error (r, "time stamp %02d:%02d:%02d is out of range",
				   stamp->hour, stamp->min, stamp->sec);
		else if (!stamp_is_valid (stamp))
			set_error (r, "date %04d-%02d-%02d is out of range",
				   stamp->year, stamp->month, stamp->day);
		else {
			/* Even a block skipped later moves the clock: its
			 * time stamp was read correctly. */
			r->last_time_ms = ((stamp->hour * 60 + stamp->min) * 60 +
					   stamp->sec) * (gint64) 1000 + stamp->ms;
			if (stamp->has_date)
				take_date (r, stamp);
		}
	}
	r->block.time_ms = r->last_time_ms;
	memcpy (r->block.date, r->last_date, sizeof r->block.date);

	if (!rrec_log_message_is_known (r->message))
		set_error (r, "unknown message name %s", r->message);

	read_sender (&sender, line, len);
	if (sender.app != NULL) {
		r->sender = g_utf8_make_valid ((const char *) sender.app,
					       sender.app_len);
		r->block.sender = r->sender;
	}
	return TRUE;
}

/* Fills VALUE from what the body machine found, or sets the block's error.
 * NAME is the attribute name or list key, for messages. */
static gboolean
make_value (RrecLogReader *r, const Body *b, const char *name,
	    RrecLogValue *value)
{
	gsize len = b->val_end - b->val_start;

	if (b->connid_name) {
		/* A ConnID keys the call: a wrong one must not be guessed. */
		if (!b->list && is_hex16 (b->val_start, len)) {
			value->kind = RREC_LOG_VALUE_CONNID;
			value->u.string = g_ascii_strdown ((const char *) b->val_start,
							   len);
			return TRUE;
		}
		if (b->list)
			set_error (r, "%s on line %" G_GUINT64_FORMAT
				   " is a list, not a ConnID",
				   name, r->line_no);
		else {
			g_autofree char *text = snippet (b->val_start, len);

			set_error (r, "%s on line %" G_GUINT64_FORMAT
				   " is not a ConnID of 16 hex digits: %s",
				   name, r->line_no, text);
		}
		return FALSE;
	}
	if (b->list) {
		value->kind = RREC_LOG_VALUE_LIST;
		value->u.list = rrec_log_list_new ();
		return TRUE;
	}
	if (!b->quoted && b->bare_int) {
		char digits[32];
		gint64 n;

		/* more than 20 digits cannot fit 64 bits anyway (and no
		 * strlcpy: it would measure the whole rest of the chunk) */
		memcpy (digits, b->val_start, MIN (len, sizeof digits - 1));
		digits[MIN (len, sizeof digits - 1)] = '\0';
		if (len >= sizeof digits ||
		    !g_ascii_string_to_signed (digits, 10, G_MININT64,
					       G_MAXINT64, &n, NULL)) {
			set_error (r, "%s on line %" G_GUINT64_FORMAT
				   " is a number out of range: %s",
				   name, r->line_no, digits);
			return FALSE;
		}
		value->kind = RREC_LOG_VALUE_INTEGER;
		value->u.integer = n;
		return TRUE;
	}
	value->kind = RREC_LOG_VALUE_STRING;
	value->u.string = dup_text (b->val_start, len);
	return TRUE;
}

/* Says what is wrong with a line the body machine refused. */
static void
body_error (RrecLogReader *r, const Body *b, const char *what)
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
		set_error (r, "line %" G_GUINT64_FORMAT " is not %s",
			   r->line_no, what);
		break;
	case BODY_NAME:
	case BODY_AFTER_KEY:
		if (b->stop == NULL)
			set_error (r, "%s%s%s on line %" G_GUINT64_FORMAT
				   " has no value",
				   b->is_entry ? "list entry '" : "",
				   name, b->is_entry ? "'" : "", r->line_no);
		else
			set_error (r, "line %" G_GUINT64_FORMAT
				   ": expected a blank and a value after %s%s%s",
				   r->line_no, b->is_entry ? "'" : "", name,
				   b->is_entry ? "'" : "");
		break;
	case BODY_KEY:
		set_error (r, "line %" G_GUINT64_FORMAT
			   ": list key without its closing quote", r->line_no);
		break;
	case BODY_VALUE:
		if (b->stop == NULL)
			set_error (r, "%s%s%s on line %" G_GUINT64_FORMAT
				   " has no value",
				   b->is_entry ? "list entry '" : "",
				   name, b->is_entry ? "'" : "", r->line_no);
		else
			set_error (r, "line %" G_GUINT64_FORMAT
				   ": malformed value of %s", r->line_no, name);
		break;
	case BODY_QUOTED:
		set_error (r, "line %" G_GUINT64_FORMAT
			   ": broken quoted string in %s (no closing quote, "
			   "or text after it)", r->line_no, name);
		break;
	case BODY_LIST:
		set_error (r, "line %" G_GUINT64_FORMAT
			   ": malformed key-value list header in %s",
			   r->line_no, name);
		break;
	case BODY_BARE:
	case BODY_TRAIL:
		set_error (r, "line %" G_GUINT64_FORMAT
			   ": unexpected text after the value of %s",
			   r->line_no, name);
		break;
	}
}

static OpenList *
push_list (RrecLogReader *r, GArray *pairs, int opener_col)
{
	OpenList open = { pairs, opener_col, -1 };

	if (r->open_lists->len >= MAX_LIST_DEPTH) {
		set_error (r, "line %" G_GUINT64_FORMAT
			   ": key-value lists nested deeper than %d",
			   r->line_no, MAX_LIST_DEPTH);
		return NULL;
	}
	g_array_append_val (r->open_lists, open);
	return &g_array_index (r->open_lists, OpenList, r->open_lists->len - 1);
}

static void
read_attribute (RrecLogReader *r, int col, const uchar *text, gsize len)
{
	RrecLogPair pair = { NULL, { RREC_LOG_VALUE_INTEGER, { NULL } } };
	RrecLogPair *added;
	Body b;

	/* An attribute line ends every list opened above it. */
	g_array_set_size (r->open_lists, 0);

	if (text[0] == '\'') {
		set_error (r, "line %" G_GUINT64_FORMAT
			   ": list entry outside a key-value list", r->line_no);
		return;
	}
	if (!read_body (&b, text, len) || b.is_entry) {
		body_error (r, &b, "an attribute line (TAB AttributeName TAB value)");
		return;
	}
	gsize name_len = b.name_end - b.name_start;

	/* A block has a dozen attributes or so: a scan beats a hash set. */
	for (guint i = 0; i < r->attributes->len; i++) {
		const char *seen = g_array_index (r->attributes, RrecLogPair, i).key;

		if (strncmp (seen, (const char *) b.name_start, name_len) == 0 &&
		    seen[name_len] == '\0') {
			/* Which one would the engine believe? */
			set_error (r, "%s appears twice (line %" G_GUINT64_FORMAT ")",
				   seen, r->line_no);
			return;
		}
	}
	pair.key = g_strndup ((const char *) b.name_start, name_len);
	if (!make_value (r, &b, pair.key, &pair.value)) {
		g_free (pair.key);
		return;
	}
	g_array_append_val (r->block.attributes, pair);
	added = &g_array_index (r->block.attributes, RrecLogPair,
				r->block.attributes->len - 1);
	if (added->value.kind == RREC_LOG_VALUE_LIST)
		push_list (r, added->value.u.list, col);
}

static void
read_entry (RrecLogReader *r, int col, const uchar *text, gsize len)
{
	OpenList *top;

	while (r->open_lists->len > 0) {
		top = &g_array_index (r->open_lists, OpenList,
				      r->open_lists->len - 1);
		/* Not deeper than the line that opened it: that list ended. */
		if (top->opener_col < col || r->open_lists->len == 1)
			break;
		g_array_set_size (r->open_lists, r->open_lists->len - 1);
	}
	if (r->open_lists->len == 0) {
		set_error (r, "line %" G_GUINT64_FORMAT
			   " is indented below an attribute that is not a "
			   "key-value list", r->line_no);
		return;
	}
	top = &g_array_index (r->open_lists, OpenList, r->open_lists->len - 1);
	if (top->entry_col < 0)
		top->entry_col = col;
	else if (top->entry_col != col) {
		set_error (r, "line %" G_GUINT64_FORMAT
			   ": list entry indented unlike the one before it",
			   r->line_no);
		return;
	}

	/* `'key'(list) 'k' v` carries the nested list's first entry on the
	 * same line: loop over the line's entries. */
	for (;;) {
		RrecLogPair pair = { NULL, { RREC_LOG_VALUE_INTEGER, { NULL } } };
		Body b;

		if (text[0] != '\'') {
			set_error (r, "line %" G_GUINT64_FORMAT
				   ": list entry without a quoted key",
				   r->line_no);
			return;
		}
		if (!read_body (&b, text, len) || !b.is_entry) {
			body_error (r, &b, "a list entry ('key' TAB value)");
			return;
		}
		pair.key = dup_text (b.name_start,
					      b.name_end - b.name_start);
		if (!b.nested) {
			if (!make_value (r, &b, pair.key, &pair.value)) {
				g_free (pair.key);
				return;
			}
			g_array_append_val (top->pairs, pair);
			return;
		}

		pair.value.kind = RREC_LOG_VALUE_LIST;
		pair.value.u.list = rrec_log_list_new ();
		g_array_append_val (top->pairs, pair);
		top = push_list (r, pair.value.u.list, col);
		if (top == NULL)
			return;

		len -= b.rest - text;
		text = b.rest;
		while (len > 0 && g_ascii_isspace (text[0])) {
			text++;
			len--;
		}
		if (len == 0)
			return;
	}
}

static void
read_line (RrecLogReader *r, const uchar *line, gsize len)
{
	gsize off = 0;
	int col = 0;

	r->line_no++;
	if (len > 0 && line[len - 1] == '\r')
		len--;

	for (; off < len && (line[off] == ' ' || line[off] == '\t'); off++)
		col = line[off] == '\t' ? (col / 8 + 1) * 8 : col + 1;

	if (off == 0) {
		Stamp stamp;

		/* A line at the margin ends the block; it may start the next. */
		end_block (r);
		if (len == 0 || r->stopped)
			return;
		read_stamp (&stamp, line, len);
		/* A T-Server writes the date in few places, often not in
		 * headers (@hh:mm:ss.ffff): any record's ISO stamp gives it. */
		if (!read_header (r, line, len, &stamp) && stamp.found &&
		    stamp.has_date && stamp_is_valid (&stamp))
			take_date (r, &stamp);
		return;
	}

	/* Indented lines outside a block belong to other log records; a
	 * line of blanks inside one is no attribute and changes nothing. */
	if (!r->in_block || r->error != NULL || off == len)
		return;

	if (r->attr_col < 0)
		r->attr_col = col;
	if (col <= r->attr_col)
		read_attribute (r, col, line + off, len - off);
	else
		read_entry (r, col, line + off, len - off);
}

static void
take_pending (RrecLogReader *r)
{
	read_line (r, (const uchar *) r->pending->str, r->pending->len);
	if (r->pending->allocated_len > LINE_BUFFER_KEEP) {
		g_string_free (r->pending, TRUE);
		r->pending = g_string_new (NULL);
	} else
		g_string_truncate (r->pending, 0);
}

void
rrec_log_reader_feed (RrecLogReader *reader, const char *data, gsize len)
{
	const char *end = data + len;

	g_return_if_fail (reader != NULL);
	g_return_if_fail (data != NULL || len == 0);
	g_return_if_fail (!reader->finished);

	while (data < end && !reader->stopped) {
		const char *nl = memchr (data, '\n', end - data);

		if (nl == NULL) {
			g_string_append_len (reader->pending, data, end - data);
			return;
		}
		if (reader->pending->len > 0) {
			g_string_append_len (reader->pending, data, nl - data);
			take_pending (reader);
		} else
			read_line (reader, (const uchar *) data, nl - data);
		data = nl + 1;
	}
}

void
rrec_log_reader_finish (RrecLogReader *reader)
{
	g_return_if_fail (reader != NULL);

	if (reader->finished)
		return;
	if (!reader->stopped && reader->pending->len > 0)
		take_pending (reader);
	end_block (reader);
	reader->finished = TRUE;
}

void
rrec_log_reader_stop (RrecLogReader *reader)
{
	g_return_if_fail (reader != NULL);

	reader->stopped = TRUE;
}

guint64
rrec_log_reader_get_n_blocks (RrecLogReader *reader)
{
	g_return_val_if_fail (reader != NULL, 0);

	return reader->n_blocks;
}

guint64
rrec_log_reader_get_n_skipped (RrecLogReader *reader)
{
	g_return_val_if_fail (reader != NULL, 0);

	return reader->n_skipped;
}

void
rrec_log_reader_free (RrecLogReader *reader)
{
	if (reader == NULL)
		return;
	clear_block (reader);
	g_array_unref (reader->open_lists);
	g_array_unref (reader->attributes);
	g_string_free (reader->pending, TRUE);
	g_free (reader->file_name);
	g_free (reader);
}
