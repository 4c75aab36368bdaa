/*
 * rrec-logbody-hand.h — the common lines of a log block read by hand, inline
 * so that the reader (logreader.rl) calls no function for them; the rest is
 * left to the machine of logbody.rl.  Private to the reader.
 */
#pragma once

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rrec-logbody.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------
 * The common forms by hand: `Name TAB 'quoted'`, `Name TAB bare`, `Name TAB
 * [n] 00 03..` (a list header), the same with a quoted key, and
 * `'key'(list) …`.  The result is the machine's (test-reader compares them
 * line by line); anything else, a line the machine refuses, is left to the
 * machine.
 */

/* What a byte can be in a line: one look-up answers each test below. */
enum { C_WS = 1, C_DIGIT = 2, C_IDENT = 4, C_HEX = 8 };

static const guint8 char_class[256] = {
	[' '] = C_WS, ['\t'] = C_WS, ['\r'] = C_WS, ['\f'] = C_WS, ['\v'] = C_WS,
	['0' ... '9'] = C_DIGIT | C_IDENT | C_HEX,
	['A' ... 'F'] = C_IDENT | C_HEX, ['G' ... 'Z'] = C_IDENT,
	['a' ... 'f'] = C_IDENT | C_HEX, ['g' ... 'z'] = C_IDENT,
	['_'] = C_IDENT,
};

static inline gboolean
is_ws (uchar c)
{
	return char_class[c] & C_WS;
}

/* [A-Za-z0-9_] */
static inline gboolean
is_ident (uchar c)
{
	return char_class[c] & C_IDENT;
}

#ifdef __SSE2__
#define in_range rrec_log_in_range
#endif

/* The first byte from P on that is not [A-Za-z0-9_], or PE; sixteen at a
 * time, the last sixteen those that end at PE where the line (from LINE)
 * holds them. */
static inline const uchar *
ident_end (const uchar *line, const uchar *p, const uchar *pe)
{
#ifdef __SSE2__
	for (; pe - p >= 16; p += 16) {
		unsigned other = ~rrec_log_ident_bits (p) & 0xffff;

		if (other != 0)
			return p + __builtin_ctz (other);
	}
	if (p < pe && pe - line >= 16) {
		unsigned other = (~rrec_log_ident_bits (pe - 16) & 0xffff) >>
				 (16 - (pe - p));

		return other != 0 ? p + __builtin_ctz (other) : pe;
	}
#endif
	while (p < pe && is_ident (*p))
		p++;
	return p;
}

/* Eight bytes from P on (the first in the low byte). */
static inline guint64
load8 (const uchar *p)
{
	guint64 w;

	memcpy (&w, p, 8);
	return GUINT64_FROM_LE (w);
}

/* The eight bytes of W are ASCII digits. */
static inline gboolean
digits8 (guint64 w)
{
	return ((w & 0xf0f0f0f0f0f0f0f0ULL) |
		(((w + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) >> 4)) ==
	       0x3333333333333333ULL;
}

/* The number the eight digits of W spell, the first the highest. */
static inline guint64
number8 (guint64 w)
{
	w -= 0x3030303030303030ULL;
	w = w * 10 + (w >> 8);
	return (((w & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32))) +
		(((w >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32)))) >> 32;
}

/* The N digits (1…8) that end at END, as eight digits: the bytes before
 * them read as zeros (the eight bytes before END are in the line). */
static inline guint64
last_digits (const uchar *end, gsize n)
{
	guint64 w = load8 (end - 8);
	guint64 before = ((guint64) 1 << (8 * (8 - n))) - 1;	/* 0 for 8 */

	return (w & ~before) | (0x3030303030303030ULL & before);
}

/* The N digits (1…8) that start at D, as eight digits: the bytes after
 * them, read too (the eight bytes from D on may be read), as zeros. */
static inline guint64
first_digits (const uchar *d, gsize n)
{
	guint64 before = ((guint64) 1 << (8 * (8 - n))) - 1;	/* 0 for 8 */

	return load8 (d) << (8 * (8 - n)) | (0x3030303030303030ULL & before);
}

/* A bare value that runs to the end of the line, D…PE (after its minus
 * sign): digits only (1…16 of them) or 16 hex digits, read a word at a
 * time: forward where the 16 bytes from D on may be read (LIMIT: the end
 * of what may be read, PE or past it), else back from PE where the line
 * (from LINE) has 16 bytes before it.  FALSE: another value, for the
 * byte-by-byte loop. */
static inline gboolean
bare_by_words (RrecLogBody *b, const uchar *line, const uchar *d,
	       const uchar *pe, const uchar *limit, gboolean negative)
{
	gsize n = pe - d;
	guint64 lo, hi;

	if (n == 0 || n > 16)
		return FALSE;
	if (G_LIKELY (limit - d >= 16)) {
		/* a short value at the start of a short line too */
		lo = n <= 8 ? first_digits (d, n) : load8 (pe - 8);
		hi = n > 8 ? first_digits (d, n - 8) : 0;
	} else if (pe - line >= 16) {
		lo = last_digits (pe, MIN (n, 8));
		hi = n > 8 ? last_digits (pe - 8, n - 8) : 0;
	} else
		return FALSE;
	if (digits8 (lo) && (n <= 8 || digits8 (hi))) {
		guint64 v = n <= 8 ? number8 (lo) :
			    number8 (hi) * 100000000 + number8 (lo);

		b->bare_int = b->has_int = TRUE;
		b->int_value = negative ? -(gint64) v : (gint64) v;
		b->bare_hex16 = !negative && n == 16;
		return TRUE;
	}
#ifdef __SSE2__
	if (n == 16 && !negative) {
		__m128i x = _mm_loadu_si128 ((const __m128i *) d);
		__m128i hex = _mm_or_si128 (
			_mm_or_si128 (in_range (x, '0', '9'), in_range (x, 'A', 'F')),
			in_range (x, 'a', 'f'));

		if (_mm_movemask_epi8 (hex) == 0xffff) {
			b->bare_hex16 = TRUE;
			return TRUE;
		}
	}
#endif
	return FALSE;
}

/* P…PE (P at its `[`) is a list header, `[n] 00 03 00 00..`, blanks
 * after it (the entries follow on the next lines). */
static inline gboolean
list_header_at (const uchar *p, const uchar *pe)
{
	const uchar *q = p + 1;

	while (q < pe && char_class[*q] & C_DIGIT)
		q++;
	if (q == p + 1 || q == pe || *q != ']')
		return FALSE;
	for (q++;;) {	/* ( blanks, two hex digits )* */
		const uchar *x = q;

		while (x < pe && is_ws (*x))
			x++;
		if (x == q || pe - x < 2 || !(char_class[x[0]] & C_HEX) ||
		    !(char_class[x[1]] & C_HEX))
			break;
		q = x + 2;
	}
	while (q < pe && *q == '.')
		q++;
	while (q < pe && is_ws (*q))
		q++;
	return q == pe;
}

/* Inline wherever it is called (no call per line), whatever the size the
 * compiler sees. */
G_ALWAYS_INLINE static inline gboolean
rrec_log_body_read_by_hand (RrecLogBody *b, const uchar *line, gsize len)
{
	const uchar *p = line;
	const uchar *pe = line + len;

	if (p == pe)
		return FALSE;
	/* B is not cleared whole: what no way to TRUE below sets is set here
	 * (the machine clears B itself when this returns FALSE). */
	b->is_entry = b->connid_name = b->quoted = b->list = FALSE;
	b->nested = b->bare_int = b->bare_hex16 = b->has_int = FALSE;
	b->val_start = b->val_end = b->rest = b->stop = NULL;
	b->int_value = 0;
	if (*p == '\'') {
		const uchar *q = memchr (p + 1, '\'', pe - p - 1);

		if (q == NULL)
			return FALSE;
		b->is_entry = TRUE;
		b->name_start = p + 1;
		b->name_end = q;
		b->stage = BODY_AFTER_KEY;
		p = q + 1;
		if (p < pe && *p == '(') {
			if (pe - p < 6 || memcmp (p, "(list)", 6) != 0)
				return FALSE;
			b->nested = TRUE;
			b->rest = p + 6;
			b->end = pe;
			return TRUE;
		}
	} else if (g_ascii_isalpha (*p) || *p == '_') {
		b->name_start = p;
		/* nearly every name starts so: its letters need no test */
		if (pe - p > 9 && memcmp (p, "Attribute", 9) == 0)
			p += 8;
		p = ident_end (line, p + 1, pe);
		b->name_end = p;
		if (G_LIKELY (p - b->name_start >= 6)) {
			/* without a branch: a name ends so or not */
			guint32 conn;
			guint16 id;

			memcpy (&conn, p - 6, 4);
			memcpy (&id, p - 2, 2);
			b->connid_name = ((conn ^ GUINT32_FROM_LE (0x6e6e6f43u)) |
					  (id ^ GUINT16_FROM_LE (0x4449u))) == 0;
		} else
			b->connid_name = FALSE;
		b->stage = BODY_NAME;
	} else
		return FALSE;

	if (p == pe || !is_ws (*p))
		return FALSE;
	p++;	/* the blank, then any more */
	while (p < pe && is_ws (*p))
		p++;
	if (p == pe)
		return FALSE;
	if (*p == '[') {
		if (!list_header_at (p, pe))
			return FALSE;
		b->stage = BODY_LIST;
		b->list = TRUE;
		b->end = pe;
		return TRUE;
	}
	if (*p == '\'') {
		/* to the last quote of the line, blanks only after it */
		const uchar *q = pe;

		while (q > p + 1 && is_ws (q[-1]))
			q--;
		if (q <= p + 1 || q[-1] != '\'')
			return FALSE;
		b->stage = BODY_QUOTED;
		b->quoted = TRUE;
		b->val_start = p + 1;
		b->val_end = q - 1;
	} else {
		/* a bare value is a few characters: its end, and whether it
		 * is all digits or all hex, in one pass */
		gboolean negative = *p == '-';
		guint8 all = C_DIGIT | C_HEX;
		guint64 v = 0;	/* the number, if digits they are */
		const uchar *d;

		b->val_start = p;
		d = p + negative;
		if (bare_by_words (b, line, d, pe, pe, negative)) {
			b->val_end = pe;
			b->stage = BODY_TRAIL;
			b->end = pe;
			return TRUE;
		}
		for (p = d; p < pe; p++) {
			guint8 c = char_class[*p];

			if (c & C_WS)
				break;
			all &= c;
			v = v * 10 + (guint64) (*p - '0');
		}
		b->val_end = p;
		b->stage = BODY_TRAIL;
		b->bare_int = d < p && (all & C_DIGIT);
		if (b->bare_int && p - d <= 18) {
			/* cannot overflow: spares rrec_log_body_value() a pass */
			b->has_int = TRUE;
			b->int_value = negative ? -(gint64) v : (gint64) v;
		}
		b->bare_hex16 = !negative && p - d == 16 && (all & C_HEX);
		while (p < pe && is_ws (*p))
			p++;
		if (p != pe)
			return FALSE;
	}
	b->end = pe;
	return TRUE;
}

/* rrec_log_body_read(), inline. */
G_ALWAYS_INLINE static inline gboolean
rrec_log_body_read_inline (RrecLogBody *b, const uchar *line, gsize len)
{
	return rrec_log_body_read_by_hand (b, line, len) ||
	       rrec_log_body_read_machine (b, line, len);
}

G_END_DECLS
