/*
 * glib-driver.c — a GSource that fires the engine's timers on time.
 */
#include "rrec/glib-driver.h"

typedef struct {
	GSource source;
	RrecEngine *engine;
} TimerSource;

struct _RrecGlibDriver {
	RrecEngine *engine;
	TimerSource *source;
};

static gint64
source_now (GSource *s)
{
	return g_source_get_time (s) / 1000;
}

static gboolean
ts_prepare (GSource *s, gint *timeout)
{
	TimerSource *ts = (TimerSource *) s;
	gint64 due = rrec_engine_next_due (ts->engine);
	gint64 now = source_now (s);

	if (due < 0) {
		*timeout = -1;
		return FALSE;
	}
	*timeout = due <= now ? 0 : (gint) MIN (due - now, G_MAXINT);
	return due <= now;
}

static gboolean
ts_check (GSource *s)
{
	TimerSource *ts = (TimerSource *) s;
	gint64 due = rrec_engine_next_due (ts->engine);

	return due >= 0 && due <= source_now (s);
}

static gboolean
ts_dispatch (GSource *s, GSourceFunc cb, gpointer data)
{
	TimerSource *ts = (TimerSource *) s;

	rrec_engine_advance (ts->engine, source_now (s));
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs timer_funcs = {
	ts_prepare, ts_check, ts_dispatch, NULL, NULL, NULL,
};

RrecGlibDriver *
rrec_glib_driver_new (RrecEngine *engine, GMainContext *context)
{
	RrecGlibDriver *d = g_new0 (RrecGlibDriver, 1);

	d->engine = engine;
	d->source = (TimerSource *) g_source_new (&timer_funcs, sizeof (TimerSource));
	d->source->engine = engine;
	g_source_set_name ((GSource *) d->source, "rrec engine timers");
	g_source_attach ((GSource *) d->source, context);
	/* the engine's clock starts at the context's now */
	rrec_engine_advance (engine, g_get_monotonic_time () / 1000);
	return d;
}

void
rrec_glib_driver_free (RrecGlibDriver *d)
{
	if (d == NULL)
		return;
	g_source_destroy ((GSource *) d->source);
	g_source_unref ((GSource *) d->source);
	g_free (d);
}

gint64
rrec_glib_driver_now (RrecGlibDriver *d)
{
	return g_get_monotonic_time () / 1000;
}

gboolean
rrec_glib_driver_feed (RrecGlibDriver *d, const RrecMessage *msg,
		       GError **error)
{
	rrec_engine_advance (d->engine, rrec_glib_driver_now (d));
	return rrec_engine_feed (d->engine, msg, error);
}
