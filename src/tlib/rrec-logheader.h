/*
 * rrec-logheader.h — the parts of a log block's header line
 * (src/tlib/logheader.rl).  Private to the reader (src/tlib/logreader.rl).
 */
#pragma once

#include "rrec-logblock.h"

G_BEGIN_DECLS

/* The time stamp at the start of a line. */
typedef struct {
	gboolean found;		/* a time stamp followed by a blank */
	gboolean has_date;	/* it was an ISO date-time */
	int year, month, day;
	int hour, min, sec, ms;
	int frac_digits;
} RrecLogStamp;

/* Reads the stamp at the start of LINE (S->found: there is one); the
 * common forms by hand, with the machine's result. */
void rrec_log_read_stamp (RrecLogStamp *s, const uchar *line, gsize len);
/* The same by the machine alone (for the tests: both must agree). */
void rrec_log_read_stamp_machine (RrecLogStamp *s, const uchar *line,
				  gsize len);

/* The stamp's fields are in range, its date (if any) a real one. */
gboolean rrec_log_stamp_is_valid (const RrecLogStamp *s);

/* The log clock (behaviour.md §6): the day the last stamp fell on, counted
 * from the log's first day, and that day's date once an ISO stamp named
 * one (1970-01-01 before). */
typedef struct {
	gint64 day;
	gint64 ref_time_ms;	/* time of day of the last stamp, -1 before one */
	GDate date;
	gboolean date_known;
	int year, month, mday;	/* DATE's, kept: most stamps repeat them */
	char text[11];		/* DATE as YYYY-MM-DD */
} RrecLogClock;

#define RREC_LOG_DAY_MS (24 * 3600 * (gint64) 1000)

void rrec_log_clock_init (RrecLogClock *c);

/* Moves the clock to a valid STAMP: returns it in milliseconds since the
 * midnight of the log's first day. */
gint64 rrec_log_clock_take (RrecLogClock *c, const RrecLogStamp *stamp);

/* The message name at the end of a header: `... message <Name>`. */
typedef struct {
	const uchar *name_start;
	const uchar *name_end;
} RrecLogTail;

/* FALSE if LINE is no header. */
gboolean rrec_log_read_tail (RrecLogTail *t, const uchar *line, gsize len);

/* The AppName of `received from N(AppName)` / `request from N(AppName)`. */
typedef struct {
	const uchar *app_start;
	const uchar *app;
	gsize app_len;
} RrecLogSender;

/* S->app is NULL when LINE names no sender.  Read back from each `)`;
 * the machine's result. */
void rrec_log_read_sender (RrecLogSender *s, const uchar *line, gsize len);
/* The same by the machine alone (for the tests: both must agree). */
void rrec_log_read_sender_machine (RrecLogSender *s, const uchar *line,
				   gsize len);

G_END_DECLS
