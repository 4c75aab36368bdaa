/*
 * rrec-logcommon.h — the reader's state and the common lines it reads whole
 * in the feed's loop: an attribute whose name it keeps (rrec-lognames.h)
 * and a list entry, with a quoted or numeric value.  Split from the reader
 * (logreader.rl), which reads every other line and says what is wrong with
 * one; tests/test-reader-fast.c compares both ways.  Private to the reader.
 */
#pragma once

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rrec-logblock.h"
#include "rrec-logbody-hand.h"
#include "rrec-logheader.h"
#include "rrec-lognames.h"

G_BEGIN_DECLS

/* Deeper nesting than this is no log a T-Server writes; refusing it keeps
 * a hostile input from driving the recursion of the hosts that walk a
 * value (a saved engine state keeps no deeper lists either). */
#define MAX_LIST_DEPTH 32

/* §7: a block with more lines than this is malformed. */
#define MAX_BLOCK_LINES 10000

/* Attribute names are checked for duplicates by a scan up to this many,
 * by a hash set beyond (linear time whatever the block, §7). */
#define ATTR_SCAN_MAX 16

/* ------------------------------------------------------------------------
 * The reader.
 */

/* A key-value list still open for entries. */
typedef struct {
	GArray *pairs;
	guint index;	/* of PAIRS in the store (rrec_log_store_append()) */
	int opener_col;	/* indentation of the line that opened it */
	int entry_col;	/* indentation of its entries, -1 until one is seen */
} OpenList;

struct _RrecLogReader {
	char *file_name;
	RrecLogBlockFunc on_block;
	RrecLogErrorFunc on_error;
	gpointer user_data;

	GString *pending;	/* the start of a line split across chunks */
	gsize max_line;		/* MAX_LINE, smaller for the fuzz target */
	gboolean long_line;	/* the current line passed max_line: skipped */
	gboolean long_indented;	/* …and it starts with a blank */
	guint64 line_no;	/* lines read so far */
	gboolean stopped;
	gboolean finished;

	gint64 last_time_ms;	/* time of day of the last block with a stamp */
	RrecLogClock clock;	/* the log clock (§6) */
	gint64 clock_ms;	/* of the last block with a stamp */

	/* The block being read. */
	gboolean in_block;
	RrecLogBlock block;
	char *error;		/* the first thing wrong with it */
	gboolean skip_attributes;	/* the filter did not want them */
	int attr_col;		/* indentation of its attributes, -1 before one */
	guint n_lines;		/* its attribute and key-value lines */
	GHashTable *attr_names;	/* its attribute names, past ATTR_SCAN_MAX */
	guint32 attr_sig[ATTR_SCAN_MAX];	/* name_sig() of the first ones */
	guint64 attr_seen;	/* a bit per name_sig() hash of those: a name
				 * whose bit is clear is new, no scan */
	guint attr_room;	/* pairs ATTRIBUTES holds without growing */
	OpenList open_lists[MAX_LIST_DEPTH];	/* innermost last */
	guint n_open;	/* of OPEN_LISTS */
	GArray *attributes;	/* the block's attributes, kept from block to
				 * block so that reading allocates less */
	RrecLogStore store;	/* the block's strings and lists */
	RrecLogNames names;	/* the attribute names met so far */

	/* The host's filter, and its answer per known message name (by
	 * rrec_log_message_index(): 0 not asked yet, 1 wanted, 2 not). */
	RrecLogWantFunc wanted;
	gpointer wanted_data;
	guint8 *wanted_cache;
	/* The names seen, by a hash of them: a log repeats a dozen names. */
	struct {
		const char *name;	/* rrec_log_message_at (index), NULL: none */
		gsize len;
		int index;
		int type;		/* rrec_log_message_type_at (index) */
	} name_hint[256];

	guint64 n_blocks;
	guint64 n_skipped;

	/* §7: attribute lines after a line that is no header (a damaged one) */
	guint64 orphan_line;	/* the first of the run, 0 when none */
	guint64 orphan_header;	/* the margin line before it, 0 when none */
	guint64 orphan_lines;	/* lines in the run */
	guint64 margin_line;	/* the last line at the margin… */
	gboolean margin_damaged;	/* …looked like a damaged header */
	/* a file with no block at all is reported */
	guint64 file_blocks;	/* n_blocks + n_skipped when the file began */
	gboolean first_line_cr;	/* its first line holds a CR: CR-only line ends? */
};

/* Equal names have equal signatures: most names differ in it, which
 * spares comparing them whole ("Attribute…" all start alike). */
static inline guint32
name_sig (const uchar *name, gsize len)
{
	if (len >= 8) {	/* its last eight letters, mixed, and its length */
		guint64 w;

		memcpy (&w, name + len - 8, 8);
		return (guint32) ((w * 0x9e3779b97f4a7c15ULL) >> 32) ^ (guint32) len;
	}
	return (guint32) (len & 0xff) | (guint32) name[len - 1] << 8 |
	       (guint32) name[len / 2] << 16 | (guint32) name[len * 3 / 4] << 24;
}

/* The kept name (rrec-lognames.h) TEXT starts with, where a blank (TAB or
 * space) ends it and a value may follow (PE: the line's end); NULL when
 * there is none, for the reading that finds the name's end byte by byte.
 * A kept name is an identifier, so a blank after it is where the hand
 * reader and the machine end it too.  The blank is found among 32 bytes
 * at once where LIMIT leaves them to be read. */
static inline const RrecLogName *
kept_name_at (const RrecLogNames *names, const uchar *text, const uchar *pe,
	      const uchar *limit)
{
	gsize n;

#ifdef __SSE2__
	if (G_LIKELY (limit - text >= 32)) {
		__m128i a = _mm_loadu_si128 ((const __m128i *) text);
		__m128i b = _mm_loadu_si128 ((const __m128i *) (text + 16));
		__m128i tab = _mm_set1_epi8 ('\t'), space = _mm_set1_epi8 (' ');
		guint32 blank = (guint32) _mm_movemask_epi8 (
					_mm_or_si128 (_mm_cmpeq_epi8 (a, tab),
						      _mm_cmpeq_epi8 (a, space))) |
				(guint32) _mm_movemask_epi8 (
					_mm_or_si128 (_mm_cmpeq_epi8 (b, tab),
						      _mm_cmpeq_epi8 (b, space))) << 16;

		if (blank == 0)
			return NULL;
		n = (gsize) __builtin_ctz (blank);
	} else
#endif
	{
		const uchar *end = pe - text > RREC_LOG_NAME_LEN_MAX ?
				   text + RREC_LOG_NAME_LEN_MAX : pe;
		const uchar *p = text;

		while (p < end && *p != '\t' && *p != ' ')
			p++;
		n = p - text;
	}
	/* a name, its blank and something after it, in the line */
	if (n == 0 || (gsize) (pe - text) <= n + 1)
		return NULL;
	return rrec_log_names_lookup (names, text, n, name_sig (text, n));
}

/* A list header at P…PE as common_value_at()'s value: a new list, empty
 * (its entries follow).  Made last, nothing fails after it: a list made
 * for a line left to read_line() would stay in the store.  Out of line:
 * a block has one or two. */
G_NO_INLINE static gboolean
common_list_at (RrecLogReader *r, const uchar *p, const uchar *pe,
		RrecLogValue *value)
{
	if (!list_header_at (p, pe))
		return FALSE;
	value->kind = RREC_LOG_VALUE_LIST;
	value->u.list = rrec_log_store_list (&r->store);
	return TRUE;
}

/* The value after a kept name's blank, P…PE, where it is a common one
 * read as rrec_log_body_read_by_hand() and common_value() would: a
 * quoted string that ends the line, a number of up to 16 digits, a
 * ConnID of 16 hex digits after a name ending in ConnID, a list header
 * (a new list, empty: its entries follow).  FALSE: another
 * value (or none), left to them.  CONNID: the name ends in ConnID. */
G_ALWAYS_INLINE static inline gboolean
common_value_at (RrecLogReader *r, gboolean connid, const uchar *text,
		 const uchar *p, const uchar *pe, const uchar *limit,
		 RrecLogValue *value)
{
	while (p < pe && is_ws (*p))
		p++;
	if (p == pe)
		return FALSE;
	if (*p == '\'') {
		/* to the line's last byte, a quote (blanks after it: not here) */
		if (pe - p < 2 || pe[-1] != '\'' || connid)
			return FALSE;
		value->kind = RREC_LOG_VALUE_STRING;
		value->u.string = rrec_log_store_text_near (&r->store, p + 1,
							    pe - p - 2, limit);
		return TRUE;
	}
	if (*p == '[')
		return !connid && common_list_at (r, p, pe, value);

	RrecLogBody b;
	gboolean negative = *p == '-';

	b.has_int = b.bare_hex16 = FALSE;
	if (!bare_by_words (&b, text, p + negative, pe, limit, negative))
		return FALSE;
	if (connid) {
		if (!b.bare_hex16)
			return FALSE;
		value->kind = RREC_LOG_VALUE_CONNID;
		value->u.string = rrec_log_store_lower16 (&r->store, p);
	} else if (b.has_int) {
		value->kind = RREC_LOG_VALUE_INTEGER;
		value->u.integer = b.int_value;
	} else
		return FALSE;
	return TRUE;
}

/* The common line, an attribute indented by one TAB in a block that reads
 * its attributes, whose name was met before and whose value is a common
 * one (kept_name_at(), common_value_at()), new in the block: read whole
 * here, inline in the feed's loop, as read_line() would read it.  FALSE:
 * nothing was done, read_line() reads the line. */
G_ALWAYS_INLINE static inline gboolean
read_common_attribute (RrecLogReader *r, const uchar *line, gsize len,
		       const uchar *limit)
{
	if (len < 3 || line[0] != '\t' || line[1] == '\t' || line[1] == ' ' ||
	    r->line_no == 0 || !r->in_block || r->error != NULL ||
	    r->skip_attributes || (r->attr_col >= 0 && r->attr_col < 8) ||
	    r->n_lines >= MAX_BLOCK_LINES)
		return FALSE;

	const uchar *text = line + 1;
	const uchar *pe = line + len - (line[len - 1] == '\r');
	const RrecLogName *kept = kept_name_at (&r->names, text, pe, limit);
	guint n_attr = r->attributes->len;
	RrecLogPair *pair;

	/* (the room for it kept from the blocks before: the first blocks
	 * grow it by read_attribute()) */
	if (kept == NULL || n_attr >= ATTR_SCAN_MAX || n_attr >= r->attr_room)
		return FALSE;
	/* a name seen in the block already (or one with the same signature)
	 * is read_attribute()'s to report */
	if (r->attr_seen & kept->sig_bit)
		for (guint i = 0; i < n_attr; i++)
			if (r->attr_sig[i] == kept->sig)
				return FALSE;
	/* The pair is made in its place: made on the stack and copied, its
	 * fields written one by one were read back as one vector, which the
	 * processor cannot take from the stores in flight (a stall of a
	 * dozen cycles a line). */
	pair = &g_array_index (r->attributes, RrecLogPair, n_attr);
	if (!common_value_at (r, kept->connid, text, text + kept->len + 1, pe,
			      limit, &pair->value))
		return FALSE;
	pair->key = kept->name;
	r->attributes->len = n_attr + 1;
	r->line_no++;
	r->n_lines++;
	if (r->attr_col < 0)	/* the block's first: its indentation */
		r->attr_col = 8;
	r->n_open = 0;	/* an attribute line ends every list */
	r->attr_sig[n_attr] = kept->sig;
	r->attr_seen |= kept->sig_bit;
	if (pair->value.kind == RREC_LOG_VALUE_LIST) {
		/* its entries follow: as read_attribute()'s push_list() */
		OpenList open = { pair->value.u.list, r->store.n_lists - 1, 8, -1 };

		r->open_lists[0] = open;
		r->n_open = 1;
	}
	return TRUE;
}

/* The common list entry, `TAB TAB 'key' TAB value` (or more TABs: a
 * nested list's) in the innermost list open, opened above it and whose
 * entries are indented so, with a common value (common_value_at()): read
 * whole here, inline in the feed's loop, as read_line() and read_entry()
 * would read it.  FALSE: nothing was done, read_line() reads the line. */
G_ALWAYS_INLINE static inline gboolean
read_common_entry (RrecLogReader *r, const uchar *line, gsize len,
		   const uchar *limit)
{
	gsize tabs = 2;

	if (len < 6 || line[0] != '\t' || line[1] != '\t')
		return FALSE;
	while (tabs < len - 4 && line[tabs] == '\t')
		tabs++;

	const int col = (int) tabs * 8;

	if (line[tabs] != '\'' ||
	    r->line_no == 0 || !r->in_block || r->error != NULL ||
	    r->skip_attributes || r->attr_col < 0 || r->attr_col >= col ||
	    r->n_open == 0 || r->n_lines >= MAX_BLOCK_LINES)
		return FALSE;

	OpenList *top = &r->open_lists[r->n_open - 1];

	if (top->opener_col >= col || (top->entry_col >= 0 && top->entry_col != col))
		return FALSE;

	const uchar *text = line + tabs;
	const uchar *pe = line + len - (line[len - 1] == '\r');
	const uchar *q = memchr (text + 1, '\'', pe - text - 1);
	RrecLogPair pair;

	/* the key's quote, then a blank (not `(list)`, not the end) */
	if (q == NULL || pe - q < 3 || !is_ws (q[1]) ||
	    !common_value_at (r, FALSE, text, q + 2, pe, limit, &pair.value))
		return FALSE;
	r->line_no++;
	r->n_lines++;
	top->entry_col = col;
	pair.key = rrec_log_store_text_near (&r->store, text + 1, q - text - 1,
					     limit);
	rrec_log_store_append (&r->store, top->index, top->pairs, &pair);
	return TRUE;
}

G_END_DECLS
