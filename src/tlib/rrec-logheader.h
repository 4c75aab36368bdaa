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

/* Reads the stamp at the start of LINE (S->found: there is one). */
void rrec_log_read_stamp (RrecLogStamp *s, const uchar *line, gsize len);

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

/* S->app is NULL when LINE names no sender. */
void rrec_log_read_sender (RrecLogSender *s, const uchar *line, gsize len);

G_END_DECLS
