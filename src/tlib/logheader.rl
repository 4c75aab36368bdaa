/*
 * logheader.rl — the header line of a log block: its time stamp (a Ragel
 * machine), its `message <Name>` end (by hand, from the end of the line)
 * and the sender it names (a machine, on the few lines that can name one).
 * Split from the reader (logreader.rl), which keeps the blocks.
 */
#define _GNU_SOURCE	/* memmem */
#include <string.h>

#include "rrec-logheader.h"

/* ------------------------------------------------------------------------
 * The time stamp at the start of a header line.
 */

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

/* The two digits at P as a number, or -1. */
static inline int
two_digits (const uchar *p)
{
	unsigned tens = p[0] - '0', ones = p[1] - '0';

	return tens < 10 && ones < 10 ? (int) (tens * 10 + ones) : -1;
}

/* The common stamps by hand: `[@]hh:mm:ss[.f…]` and `YYYY-MM-DD[T ]hh:mm:ss
 * [.f…]` before `:`? and a blank, as the machine reads them; FALSE leaves
 * the line to the machine (another form, a zone, no stamp). */
static gboolean
read_stamp_by_hand (RrecLogStamp *s, const uchar *line, gsize len)
{
	const uchar *p = line;
	const uchar *pe = line + len;
	int hi, lo;

	memset (s, 0, sizeof *s);
	if (len >= 11 && p[4] == '-') {
		if ((hi = two_digits (p)) < 0 || (lo = two_digits (p + 2)) < 0 ||
		    (s->month = two_digits (p + 5)) < 0 || p[7] != '-' ||
		    (s->day = two_digits (p + 8)) < 0 || (p[10] != 'T' && p[10] != ' '))
			return FALSE;
		s->year = hi * 100 + lo;
		s->has_date = TRUE;
		p += 11;
	} else if (len > 0 && *p == '@')
		p++;
	if (pe - p < 9)
		return FALSE;

	/* hh:mm:ss as one word: the colons as zeros, then eight digits */
	const guint64 colons = 0x0000ff0000ff0000ULL;
	guint64 w;

	memcpy (&w, p, 8);
	w = GUINT64_FROM_LE (w);
	if ((w & colons) != 0x00003a00003a0000ULL)
		return FALSE;
	w = (w & ~colons) | (0x3030303030303030ULL & colons);
	if (((w & 0xf0f0f0f0f0f0f0f0ULL) |
	     (((w + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL) >> 4)) !=
	    0x3333333333333333ULL)
		return FALSE;
	w -= 0x3030303030303030ULL;
	s->hour = (int) (w & 0xff) * 10 + (int) (w >> 8 & 0xff);
	s->min = (int) (w >> 24 & 0xff) * 10 + (int) (w >> 32 & 0xff);
	s->sec = (int) (w >> 48 & 0xff) * 10 + (int) (w >> 56);
	p += 8;
	if (*p == '.' || *p == ',') {
		/* milliseconds: the first three digits, the rest counted */
		const uchar *f = ++p;

		while (p < pe && (unsigned) (*p - '0') < 10)
			p++;
		if (p == f)
			return FALSE;
		s->frac_digits = (int) MAX (p - f, 3);
		s->ms = (f[0] - '0') * 100 + (p - f > 1 ? (f[1] - '0') * 10 : 0) +
			(p - f > 2 ? f[2] - '0' : 0);
	} else
		s->frac_digits = 3;
	if (p < pe && *p == ':')
		p++;
	if (p == pe || (*p != ' ' && *p != '\t'))
		return FALSE;
	s->found = TRUE;
	return TRUE;
}

void
rrec_log_read_stamp (RrecLogStamp *s, const uchar *line, gsize len)
{
	if (!read_stamp_by_hand (s, line, len))
		rrec_log_read_stamp_machine (s, line, len);
}

void
rrec_log_read_stamp_machine (RrecLogStamp *s, const uchar *line, gsize len)
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

gboolean
rrec_log_stamp_is_valid (const RrecLogStamp *s)
{
	return s->hour <= 23 && s->min <= 59 && s->sec <= 59 &&
	       (!s->has_date || g_date_valid_dmy (s->day, s->month, s->year));
}

/* ------------------------------------------------------------------------
 * The log clock.
 */

static void
clock_show (RrecLogClock *c)
{
	c->year = g_date_get_year (&c->date);
	c->month = g_date_get_month (&c->date);
	c->mday = g_date_get_day (&c->date);
	g_snprintf (c->text, sizeof c->text, "%04d-%02d-%02d", c->year,
		    c->month, c->mday);
}

void
rrec_log_clock_init (RrecLogClock *c)
{
	memset (c, 0, sizeof *c);
	c->ref_time_ms = -1;
	g_date_clear (&c->date, 1);
	g_date_set_dmy (&c->date, 1, 1, 1970);
	clock_show (c);
}

/* A time of day more than 12 hours before the last one is on the next day;
 * an ISO stamp sets the date (the first one names the day the clock is on,
 * later ones move the day by as many days as their date moved). */
gint64
rrec_log_clock_take (RrecLogClock *c, const RrecLogStamp *stamp)
{
	gint64 tod = ((stamp->hour * 60 + stamp->min) * 60 + stamp->sec) *
		     (gint64) 1000 + stamp->ms;
	gboolean back = c->ref_time_ms >= 0 &&
			tod < c->ref_time_ms - RREC_LOG_DAY_MS / 2;

	if (stamp->has_date) {
		/* most ISO stamps name the day the clock is on already */
		if (!c->date_known || stamp->year != c->year ||
		    stamp->month != c->month || stamp->day != c->mday) {
			GDate d;

			g_date_clear (&d, 1);
			g_date_set_dmy (&d, stamp->day, stamp->month, stamp->year);
			if (c->date_known)
				c->day += (gint64) g_date_get_julian (&d) -
					  (gint64) g_date_get_julian (&c->date);
			else if (back)
				c->day++;
			c->date = d;
			c->date_known = TRUE;
			clock_show (c);
		}
	} else if (back) {
		c->day++;
		if (c->year < 9999) {	/* four digits */
			g_date_add_days (&c->date, 1);
			clock_show (c);
		}
	}
	c->ref_time_ms = tod;
	return c->day * RREC_LOG_DAY_MS + tod;
}

/* ------------------------------------------------------------------------
 * The end of a header line: `message <Name>`.
 */


/* [A-Za-z0-9_] */
static const guint8 name_char[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1, ['_'] = 1,
};

static inline gboolean
is_blank (uchar c)
{
	return c == ' ' || c == '\t';
}

/* The line is `( any* [ \t:] )? [Mm]essage [ \t]+ name [ \t]*` with
 * name = ( Event | Request ) [A-Za-z0-9_]*: read from its end, as the
 * name can only be the last word. */
gboolean
rrec_log_read_tail (RrecLogTail *t, const uchar *line, gsize len)
{
	gsize end = len, start, at;

	while (end > 0 && is_blank (line[end - 1]))
		end--;
	start = end;
#ifdef __SSE2__
	/* sixteen bytes at a time, back from the end */
	for (; start >= 16; start -= 16) {
		unsigned other = ~rrec_log_ident_bits (line + start - 16) & 0xffff;

		if (other != 0) {
			start -= 16 - (gsize) (32 - __builtin_clz (other));
			break;
		}
	}
	if (start < 16)
#endif
		while (start > 0 && name_char[line[start - 1]])
			start--;
	if (!((end - start >= 5 && memcmp (line + start, "Event", 5) == 0) ||
	      (end - start >= 7 && memcmp (line + start, "Request", 7) == 0)))
		return FALSE;
	at = start;
	if (at == 0 || !is_blank (line[at - 1]))
		return FALSE;
	while (at > 0 && is_blank (line[at - 1]))
		at--;
	if (at < 7 || memcmp (line + at - 6, "essage", 6) != 0 ||
	    (line[at - 7] != 'M' && line[at - 7] != 'm'))
		return FALSE;
	at -= 7;
	if (at > 0 && !is_blank (line[at - 1]) && line[at - 1] != ':')
		return FALSE;
	t->name_start = line + start;
	t->name_end = line + end;
	return TRUE;
}

/* ------------------------------------------------------------------------
 * The sender named by a header: `received from N(AppName)` or
 * `request from N(AppName)`; `request to …` names the receiver instead.
 */


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

/* Whether the `)` at C ends a sender: read back from it, `received` or
 * `request`, blanks, `from`, blanks, a word, `(`, the AppName, as the
 * machine reads them forward. */
static gboolean
sender_ends_at (RrecLogSender *s, const uchar *line, gsize c)
{
	gsize i = c, j;

	while (i > 0 && line[i - 1] != '(' && line[i - 1] != ')')
		i--;
	if (i == 0 || line[i - 1] != '(' || i == c)
		return FALSE;
	j = i - 1;	/* the word before `(` */
	while (j > 0 && !is_blank (line[j - 1]) && line[j - 1] != '(' &&
	       line[j - 1] != ')')
		j--;
	if (j == i - 1 || j == 0 || !is_blank (line[j - 1]))
		return FALSE;
	while (j > 0 && is_blank (line[j - 1]))
		j--;
	if (j < 4 || memcmp (line + j - 4, "from", 4) != 0)
		return FALSE;
	j -= 4;
	if (j == 0 || !is_blank (line[j - 1]))
		return FALSE;
	while (j > 0 && is_blank (line[j - 1]))
		j--;
	if (!(j >= 8 && memcmp (line + j - 8, "received", 8) == 0) &&
	    !(j >= 7 && memcmp (line + j - 7, "request", 7) == 0))
		return FALSE;
	s->app_start = s->app = line + i;
	s->app_len = c - i;
	return TRUE;
}

/* The first `)` that ends a sender names it. */
void
rrec_log_read_sender (RrecLogSender *s, const uchar *line, gsize len)
{
	const uchar *c = line;

	memset (s, 0, sizeof *s);
	while ((c = memchr (c, ')', len - (c - line))) != NULL) {
		if (sender_ends_at (s, line, c - line))
			return;
		c++;
	}
}

void
rrec_log_read_sender_machine (RrecLogSender *s, const uchar *line, gsize len)
{
	const uchar *p = line;
	const uchar *pe = line + len;
	int cs;

	memset (s, 0, sizeof *s);
	/* no `from … )`, no sender: most headers are spared the machine */
	if (len < 4 || memchr (line, ')', len) == NULL ||
	    memmem (line, len, "from", 4) == NULL)
		return;
	%% write init;
	%% write exec;
	(void) rrec_log_sender_start;
	(void) cs;
}
