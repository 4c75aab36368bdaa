/*
 * logreader.rl — the streaming T-Library log reader.
 *
 * The bytes are cut into lines here: a line split across feed() calls waits
 * in a small buffer, a whole line inside a chunk is read in place.  Every
 * complete line is then read by the header's parts (logheader.rl) or a
 * block line's (logbody.rl), which do all the grammar work; the C here only
 * keeps the structure of the block (which list an entry belongs to, by its
 * indentation).  Reading whole lines makes the chunk boundaries invisible
 * to them, so a block split anywhere — even inside a UTF-8 sequence —
 * reads the same.
 *
 * Memory: the line buffer (at most 1 MiB: a longer line is skipped, not
 * kept; shrunk again after a long one) and the block being read (at most
 * 10,000 lines), whose strings and lists are kept for the next block
 * (RrecLogStore) and freed beyond a block's worth.
 *
 * Speed: line ends are found 64 bytes at a time (rrec-loglines.h), a
 * chunk's whole lines read in one loop, the usual attribute and entry
 * lines whole inside it (rrec-logcommon.h, which holds the reader's state
 * too); the other attribute and entry lines, time stamps and senders are
 * read by hand (rrec-logbody-hand.h, logheader.rl), the machines read the
 * rest and say what is wrong.
 * Attribute names are kept once per reader (rrec-lognames.h), message
 * names seen before are matched with their type.  A host's filter spares
 * the attributes of the blocks it does not want
 * (rrec_log_reader_set_filter()).
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rrec-logblock.h"
#include "rrec-logbody.h"
#include "rrec-logbody-hand.h"
#include "rrec-logcommon.h"
#include "rrec-logheader.h"
#include "rrec-loglines.h"
#include "rrec-lognames.h"

/* §7: a longer line is not read (nor kept: memory stays bounded). */
#define MAX_LINE (1024 * 1024)

/* A line buffer that grew beyond this for one long line is given back. */
#define LINE_BUFFER_KEEP (64 * 1024)


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
	r->max_line = MAX_LINE;
	r->last_time_ms = -1;
	r->clock_ms = -1;
	rrec_log_clock_init (&r->clock);
	r->attributes = g_array_new (FALSE, FALSE, sizeof (RrecLogPair));
	rrec_log_store_init (&r->store);
	r->wanted_cache = g_new0 (guint8, rrec_log_message_count ());
	return r;
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
	r->n_open = 0;
	if (r->attr_names)
		g_hash_table_remove_all (r->attr_names);
	r->attributes->len = 0;	/* its room stays: attr_room */
	r->attr_seen = 0;
	rrec_log_store_reset (&r->store);
	r->n_lines = 0;
	g_clear_pointer (&r->error, g_free);
	memset (&r->block, 0, sizeof r->block);
	r->in_block = FALSE;
	r->skip_attributes = FALSE;
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

/* rrec_log_message_index(), the names seen before found first; *TYPE is
 * its rrec_log_message_type_at(). */
static int
message_index (RrecLogReader *r, const uchar *name, gsize len, int *type)
{
	guint32 last;	/* the name's last four letters (it has five or more) */
	int known;

	memcpy (&last, name + len - 4, 4);
	guint h = ((last ^ (guint32) len) * 0x9e3779b1u) >> 24;

	if (r->name_hint[h].len == len &&
	    rrec_log_same_bytes ((const uchar *) r->name_hint[h].name, name, len)) {
		*type = r->name_hint[h].type;
		return r->name_hint[h].index;
	}
	known = rrec_log_message_index (name, len);
	*type = known >= 0 ? rrec_log_message_type_at (known) : -1;
	if (known >= 0) {
		r->name_hint[h].name = rrec_log_message_at (known);
		r->name_hint[h].len = len;
		r->name_hint[h].index = known;
		r->name_hint[h].type = *type;
	}
	return known;
}

/* Returns FALSE if LINE is no header (another log record). */
static gboolean
read_header (RrecLogReader *r, const uchar *line, gsize len,
	     const RrecLogStamp *stamp)
{
	RrecLogTail tail;
	RrecLogSender sender;

	if (!rrec_log_read_tail (&tail, line, len))
		return FALSE;

	gsize name_len = tail.name_end - tail.name_start;
	int type;
	int known = message_index (r, tail.name_start, name_len, &type);

	r->in_block = TRUE;
	r->attr_col = -1;
	r->block.file_name = r->file_name;
	r->block.line = r->line_no;
	r->block.message = known >= 0 ? rrec_log_message_at (known) :
			   rrec_log_store_copy (&r->store, tail.name_start,
						name_len);
	/* rrec_log_read_tail(): the name starts Event or Request */
	r->block.is_request = r->block.message[0] == 'R';
	r->block.message_type = type;
	r->block.attributes = r->attributes;
	if (known >= 0 && r->wanted != NULL) {
		if (r->wanted_cache[known] == 0)
			r->wanted_cache[known] =
				r->wanted (r->block.message, r->wanted_data) ? 1 : 2;
		r->skip_attributes = r->wanted_cache[known] == 2;
		r->block.attributes_skipped = r->skip_attributes;
	}

	if (stamp->found) {
		if (stamp->hour > 23 || stamp->min > 59 || stamp->sec > 59)
			set_error (r, "time stamp %02d:%02d:%02d is out of range",
				   stamp->hour, stamp->min, stamp->sec);
		else if (!rrec_log_stamp_is_valid (stamp))
			set_error (r, "date %04d-%02d-%02d is out of range",
				   stamp->year, stamp->month, stamp->day);
		else {
			/* Even a block skipped later moves the clock: its
			 * time stamp was read correctly. */
			r->clock_ms = rrec_log_clock_take (&r->clock, stamp);
			r->last_time_ms = r->clock_ms -
					  r->clock.day * RREC_LOG_DAY_MS;
		}
	}
	r->block.time_ms = r->last_time_ms;
	r->block.clock_ms = r->clock_ms;
	memcpy (r->block.date, r->clock.text, sizeof r->block.date);

	if (known < 0)
		set_error (r, "unknown message name %s", r->block.message);

	rrec_log_read_sender (&sender, line, len);
	if (sender.app != NULL)
		r->block.sender = rrec_log_store_text (&r->store, sender.app,
						       sender.app_len);
	return TRUE;
}

/* The common values without rrec_log_body_value(): a ConnID of 16 hex
 * digits, a quoted string, a number read by hand.  FALSE: another value. */
static inline gboolean
common_value (RrecLogReader *r, const RrecLogBody *b, RrecLogValue *value)
{
	if (b->connid_name) {
		if (!b->bare_hex16)
			return FALSE;
		value->kind = RREC_LOG_VALUE_CONNID;
		value->u.string = rrec_log_store_lower16 (&r->store, b->val_start);
	} else if (b->quoted) {
		value->kind = RREC_LOG_VALUE_STRING;
		value->u.string = rrec_log_store_text (&r->store, b->val_start,
						       b->val_end - b->val_start);
	} else if (b->has_int) {
		value->kind = RREC_LOG_VALUE_INTEGER;
		value->u.integer = b->int_value;
	} else
		return FALSE;
	return TRUE;
}

/* The value of a line read by the body machine, or the block's error. */
static gboolean
take_value (RrecLogReader *r, const RrecLogBody *b, const char *name,
	    RrecLogValue *value)
{
	g_autofree char *why = rrec_log_body_value (b, name, r->line_no, value,
						    &r->store);

	if (why != NULL)
		set_error (r, "%s", why);
	return why == NULL;
}

static OpenList *
push_list (RrecLogReader *r, GArray *pairs, int opener_col)
{
	/* the store's last list (rrec_log_store_list()) */
	OpenList open = { pairs, r->store.n_lists - 1, opener_col, -1 };

	g_assert (g_ptr_array_index (r->store.lists, open.index) == pairs);

	if (r->n_open >= MAX_LIST_DEPTH) {
		set_error (r, "line %" G_GUINT64_FORMAT
			   ": key-value lists nested deeper than %d",
			   r->line_no, MAX_LIST_DEPTH);
		return NULL;
	}
	r->open_lists[r->n_open] = open;
	return &r->open_lists[r->n_open++];
}

static void
read_attribute (RrecLogReader *r, int col, const uchar *text, gsize len,
		const uchar *limit)
{
	RrecLogPair pair = { NULL, { RREC_LOG_VALUE_INTEGER, { NULL } } };
	RrecLogBody b;
	const uchar *pe = text + len;
	guint32 sig;
	guint64 sig_bit;
	gboolean have_value;

	/* An attribute line ends every list opened above it. */
	r->n_open = 0;

	/* The usual line: a name met before, a common value. */
	const RrecLogName *kept = kept_name_at (&r->names, text, pe, limit);

	if (G_LIKELY (kept != NULL) &&
	    common_value_at (r, kept->connid, text, text + kept->len + 1, pe,
			     limit, &pair.value)) {
		pair.key = kept->name;
		sig = kept->sig;
		sig_bit = kept->sig_bit;
		have_value = TRUE;
	} else {
		if (text[0] == '\'') {
			set_error (r, "line %" G_GUINT64_FORMAT
				   ": list entry outside a key-value list",
				   r->line_no);
			return;
		}
		if (!rrec_log_body_read_inline (&b, text, len) || b.is_entry) {
			g_autofree char *why = rrec_log_body_error (
				&b, r->line_no,
				"an attribute line (TAB AttributeName TAB value)");

			set_error (r, "%s", why);
			return;
		}
		gsize name_len = b.name_end - b.name_start;

		sig = name_sig (b.name_start, name_len);
		kept = rrec_log_names_find (&r->names, b.name_start, name_len, sig);
		if (G_LIKELY (kept != NULL)) {
			pair.key = kept->name;
			sig_bit = kept->sig_bit;
		} else {
			pair.key = rrec_log_store_copy (&r->store, b.name_start,
							name_len);
			sig_bit = (guint64) 1 << ((sig ^ sig >> 11 ^ sig >> 22) & 63);
		}
		have_value = FALSE;
	}

	/* A block has a dozen attributes or so: a scan beats a hash set,
	 * which takes over past ATTR_SCAN_MAX (a hostile block). */
	guint n_attr = r->attributes->len;

	if (n_attr < ATTR_SCAN_MAX) {
		guint n = (r->attr_seen & sig_bit) ? n_attr : 0;

		for (guint i = 0; i < n; i++) {
			const char *seen = g_array_index (r->attributes,
							  RrecLogPair, i).key;

			if (r->attr_sig[i] == sig && strcmp (seen, pair.key) == 0) {
				/* Which one would the engine believe? */
				set_error (r, "%s appears twice (line %"
					   G_GUINT64_FORMAT ")", seen, r->line_no);
				return;
			}
		}
	} else {
		if (r->attr_names == NULL)
			r->attr_names = g_hash_table_new (g_str_hash, g_str_equal);
		if (g_hash_table_size (r->attr_names) == 0)
			for (guint i = 0; i < n_attr; i++)
				g_hash_table_add (r->attr_names,
						  g_array_index (r->attributes,
								 RrecLogPair, i).key);
		if (g_hash_table_contains (r->attr_names, pair.key)) {
			set_error (r, "%s appears twice (line %" G_GUINT64_FORMAT ")",
				   pair.key, r->line_no);
			return;
		}
	}
	if (!have_value && !common_value (r, &b, &pair.value) &&
	    !take_value (r, &b, pair.key, &pair.value))
		return;
	if (n_attr < ATTR_SCAN_MAX) {
		r->attr_sig[n_attr] = sig;
		r->attr_seen |= sig_bit;
	}
	if (n_attr < r->attr_room) {
		/* in the room kept from the blocks before: no call */
		g_array_index (r->attributes, RrecLogPair, n_attr) = pair;
		r->attributes->len = n_attr + 1;
	} else {
		g_array_append_val (r->attributes, pair);
		r->attr_room = r->attributes->len;
	}
	if (r->attr_names && g_hash_table_size (r->attr_names) > 0)
		g_hash_table_add (r->attr_names, pair.key);
	if (pair.value.kind == RREC_LOG_VALUE_LIST)
		push_list (r, pair.value.u.list, col);
}

static void
read_entry (RrecLogReader *r, int col, const uchar *text, gsize len)
{
	OpenList *top;

	while (r->n_open > 0) {
		top = &r->open_lists[r->n_open - 1];
		/* Not deeper than the line that opened it: that list ended. */
		if (top->opener_col < col || r->n_open == 1)
			break;
		r->n_open--;
	}
	if (r->n_open == 0) {
		set_error (r, "line %" G_GUINT64_FORMAT
			   " is indented below an attribute that is not a "
			   "key-value list", r->line_no);
		return;
	}
	top = &r->open_lists[r->n_open - 1];
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
		RrecLogBody b;

		if (text[0] != '\'') {
			set_error (r, "line %" G_GUINT64_FORMAT
				   ": list entry without a quoted key",
				   r->line_no);
			return;
		}
		if (!rrec_log_body_read_inline (&b, text, len) || !b.is_entry) {
			g_autofree char *why = rrec_log_body_error (
				&b, r->line_no, "a list entry ('key' TAB value)");

			set_error (r, "%s", why);
			return;
		}
		pair.key = rrec_log_store_text (&r->store, b.name_start,
						b.name_end - b.name_start);
		if (!b.nested) {
			if (!common_value (r, &b, &pair.value) &&
			    !take_value (r, &b, pair.key, &pair.value))
				return;
			rrec_log_store_append (&r->store, top->index, top->pairs, &pair);
			return;
		}

		pair.value.kind = RREC_LOG_VALUE_LIST;
		pair.value.u.list = rrec_log_store_list (&r->store);
		rrec_log_store_append (&r->store, top->index, top->pairs, &pair);
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

/* A line at the margin that is no header but was meant to be one (§7): it
 * holds a NUL byte, or ends in `message` and a word that is no message
 * name (cut short).  Other records (`Trc 04541 Message EventRegistered
 * received …`) may have attribute lines of their own: they are skipped. */
static gboolean
looks_damaged (const uchar *line, gsize len)
{
	gsize end = len;

	if (memchr (line, '\0', len) != NULL)
		return TRUE;
	while (end > 0 && g_ascii_isspace (line[end - 1]))
		end--;
	while (end > 0 && (g_ascii_isalnum (line[end - 1]) || line[end - 1] == '_'))
		end--;
	return end >= 8 && memcmp (line + end - 8, "message ", 8) == 0 &&
	       (end == 8 || line[end - 9] == ' ' || line[end - 9] == ':');
}

/* Reports a run of attribute lines that followed a damaged header (§7),
 * at the header's line. */
static void
end_orphans (RrecLogReader *r)
{
	if (r->orphan_line == 0)
		return;
	guint64 at = r->orphan_header;
	g_autofree char *what = g_strdup_printf (
		"%s: %" G_GUINT64_FORMAT " attribute line%s from line %"
		G_GUINT64_FORMAT " belong%s to no block",
		"a damaged header (not `... message <Name>`)",
		r->orphan_lines, r->orphan_lines == 1 ? "" : "s", r->orphan_line,
		r->orphan_lines == 1 ? "s" : "");

	r->orphan_line = 0;
	r->orphan_header = 0;
	r->orphan_lines = 0;
	if (r->stopped)
		return;
	r->n_skipped++;
	if (r->on_error != NULL)
		r->on_error (r->file_name, at, what, r->user_data);
}

/* At the end of a file: one without any block, read or skipped, is
 * reported (§7), e.g. a log whose lines end in CR alone. */
static void
end_file (RrecLogReader *r)
{
	if (r->stopped || r->n_blocks + r->n_skipped > r->file_blocks)
		return;
	r->n_skipped++;
	if (r->on_error != NULL) {
		g_autofree char *what = g_strdup_printf (
			"no message block in the file (%" G_GUINT64_FORMAT
			" line%s%s)", r->line_no, r->line_no == 1 ? "" : "s",
			r->first_line_cr ? "; its lines seem to end in CR alone" : "");
		r->on_error (r->file_name, MAX (r->line_no, 1), what, r->user_data);
	}
}

/* LIMIT: the end of the bytes that may be read, LINE + LEN or past it
 * (the rest of the chunk): the common lines are read by vectors that may
 * pass the line's end. */
static void
read_line (RrecLogReader *r, const uchar *line, gsize len, const uchar *limit)
{
	gsize off = 0;
	int col = 0;

	r->line_no++;
	if (len > 0 && line[len - 1] == '\r')
		len--;

	if (len >= 8) {
		/* the usual indentation, tabs: counted as one word */
		guint64 w;

		memcpy (&w, line, 8);
		w = GUINT64_FROM_LE (w) ^ 0x0909090909090909ULL;
		off = w != 0 ? (gsize) __builtin_ctzll (w) / 8 : 8;
	}
	while (off < len && line[off] == '\t')
		off++;
	col = (int) off * 8;
	if (off < len && line[off] == ' ')
		for (; off < len && (line[off] == ' ' || line[off] == '\t'); off++)
			col = line[off] == '\t' ? (col / 8 + 1) * 8 : col + 1;

	if (r->line_no == 1 && memchr (line, '\r', len) != NULL)
		r->first_line_cr = TRUE;

	if (off == 0) {
		RrecLogStamp stamp;

		/* A line at the margin ends the block; it may start the next. */
		end_block (r);
		end_orphans (r);
		r->margin_line = r->line_no;
		if (len == 0 || r->stopped)
			return;
		rrec_log_read_stamp (&stamp, line, len);
		/* A T-Server writes the date in few places, often not in
		 * headers (@hh:mm:ss.ffff): any record's ISO stamp gives it,
		 * and the day the clock is on. */
		if (read_header (r, line, len, &stamp))
			r->margin_damaged = FALSE;
		else {
			r->margin_damaged = looks_damaged (line, len);
			if (stamp.found && stamp.has_date &&
			    rrec_log_stamp_is_valid (&stamp))
				rrec_log_clock_take (&r->clock, &stamp);
		}
		return;
	}

	/* Indented lines outside a block belong to other log records, but
	 * an attribute line there follows a damaged header (§7): the run is
	 * reported once.  A line of blanks inside a block is no attribute
	 * and changes nothing. */
	if (!r->in_block) {
		if (r->orphan_line > 0)
			r->orphan_lines++;
		else if (r->margin_damaged && len - off > 9 &&
			 memcmp (line + off, "Attribute", 9) == 0 &&
			 g_ascii_isalpha (line[off + 9])) {
			r->orphan_line = r->line_no;
			r->orphan_header = r->margin_line;
			r->orphan_lines = 1;
		}
		return;
	}
	if (r->error != NULL || off == len)
		return;

	if (++r->n_lines > MAX_BLOCK_LINES) {
		set_error (r, "more than %d attribute or key-value lines",
			   MAX_BLOCK_LINES);
		return;
	}
	if (r->skip_attributes)
		return;
	if (r->attr_col < 0)
		r->attr_col = col;
	if (col <= r->attr_col)
		read_attribute (r, col, line + off, len - off, limit);
	else
		read_entry (r, col, line + off, len - off);
}

static void
drop_pending (RrecLogReader *r)
{
	if (r->pending->allocated_len > LINE_BUFFER_KEEP) {
		g_string_free (r->pending, TRUE);
		r->pending = g_string_new (NULL);
	} else
		g_string_truncate (r->pending, 0);
}

static void
take_pending (RrecLogReader *r)
{
	read_line (r, (const uchar *) r->pending->str, r->pending->len,
		   (const uchar *) r->pending->str + r->pending->len);
	drop_pending (r);
}

/* §7: the end of a line longer than max_line, which was not kept.  In a
 * block it makes the block malformed; at the margin it ends the block
 * before it and is reported on its own (it may have been a header). */
static void
end_long_line (RrecLogReader *r)
{
	r->line_no++;
	r->long_line = FALSE;
	if (r->long_indented) {
		if (r->in_block && r->error == NULL)
			set_error (r, "line %" G_GUINT64_FORMAT " is longer than %"
				   G_GSIZE_FORMAT " bytes", r->line_no, r->max_line);
		return;
	}
	end_block (r);
	end_orphans (r);
	r->margin_line = r->line_no;
	r->margin_damaged = FALSE;	/* reported here already */
	if (r->stopped)
		return;
	r->n_skipped++;
	if (r->on_error != NULL) {
		g_autofree char *what = g_strdup_printf (
			"a line longer than %" G_GSIZE_FORMAT " bytes, not read",
			r->max_line);
		r->on_error (r->file_name, r->line_no, what, r->user_data);
	}
}

void
rrec_log_reader_set_max_line (RrecLogReader *reader, gsize max_line)
{
	g_return_if_fail (reader != NULL && max_line > 0);

	reader->max_line = max_line;
}

void
rrec_log_reader_feed (RrecLogReader *reader, const char *data, gsize len)
{
	const char *end = data + len;

	g_return_if_fail (reader != NULL);
	g_return_if_fail (data != NULL || len == 0);
	g_return_if_fail (!reader->finished);

	Newlines lines = { data, len, 0, newline_bits (data, MIN (64, len)) };

	while (data < end && !reader->stopped) {
		const char *nl = next_newline (&lines);
		gsize piece = (nl ? nl : end) - data;

		if (G_LIKELY (nl != NULL && reader->pending->len == 0 &&
			      !reader->long_line && piece <= reader->max_line)) {
			/* whole lines in the chunk: the common case, the
			 * only one from here to the chunk's last line end */
			do {
				if (!read_common_attribute (reader, (const uchar *) data,
							    piece, (const uchar *) end) &&
				    !read_common_entry (reader, (const uchar *) data,
							piece, (const uchar *) end))
					read_line (reader, (const uchar *) data, piece,
						   (const uchar *) end);
				data = nl + 1;
				if (G_UNLIKELY (reader->stopped))
					return;
				nl = next_newline (&lines);
			} while (nl != NULL && (piece = nl - data) <= reader->max_line);
			/* then a long line, or the chunk's last piece: below */
			if (nl == NULL)
				piece = end - data;
			if (data == end)
				return;
		}
		if (reader->long_line) {
			/* the rest of a line past the limit: not kept */
		} else if (reader->pending->len + piece > reader->max_line) {
			char first = reader->pending->len > 0 ?
				     reader->pending->str[0] : data[0];

			reader->long_line = TRUE;
			reader->long_indented = first == ' ' || first == '\t';
			drop_pending (reader);
		} else if (nl == NULL) {
			g_string_append_len (reader->pending, data, piece);
		} else if (reader->pending->len > 0) {
			g_string_append_len (reader->pending, data, piece);
			take_pending (reader);
		} else
			read_line (reader, (const uchar *) data, piece,
				   (const uchar *) end);
		if (nl == NULL)
			return;
		if (reader->long_line)
			end_long_line (reader);
		data = nl + 1;
	}
}

void
rrec_log_reader_finish (RrecLogReader *reader)
{
	g_return_if_fail (reader != NULL);

	if (reader->finished)
		return;
	if (!reader->stopped && reader->long_line)
		end_long_line (reader);
	else if (!reader->stopped && reader->pending->len > 0)
		take_pending (reader);
	end_block (reader);
	end_orphans (reader);
	end_file (reader);
	reader->finished = TRUE;
}

void
rrec_log_reader_next_file (RrecLogReader *reader, const char *file_name)
{
	g_return_if_fail (reader != NULL);

	rrec_log_reader_finish (reader);
	g_free (reader->file_name);
	reader->file_name = g_strdup (file_name);
	reader->line_no = 0;
	reader->margin_line = 0;
	reader->margin_damaged = FALSE;
	reader->first_line_cr = FALSE;
	reader->file_blocks = reader->n_blocks + reader->n_skipped;
	reader->finished = FALSE;
}

void
rrec_log_reader_set_filter (RrecLogReader *reader, RrecLogWantFunc wanted,
			    gpointer user_data)
{
	g_return_if_fail (reader != NULL);

	reader->wanted = wanted;
	reader->wanted_data = user_data;
	memset (reader->wanted_cache, 0, rrec_log_message_count ());
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
	if (reader->attr_names)
		g_hash_table_destroy (reader->attr_names);
	g_array_unref (reader->attributes);
	rrec_log_store_clear (&reader->store);
	rrec_log_names_clear (&reader->names);
	g_free (reader->wanted_cache);
	g_string_free (reader->pending, TRUE);
	g_free (reader->file_name);
	g_free (reader);
}
