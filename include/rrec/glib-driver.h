/*
 * glib-driver.h — runs an engine's timers from a GMainContext.
 *
 * For hosts built on a GLib main loop: the driver's clock is the context's
 * monotonic time in milliseconds, it feeds messages at that time, and a
 * GSource fires the engine's timers when they are due.  Hosts with their
 * own loop call rrec_engine_advance() themselves instead.
 */
#pragma once

#include "rrec/engine.h"

G_BEGIN_DECLS

typedef struct _RrecGlibDriver RrecGlibDriver;

/* Attaches to @context (NULL: the default context).  The engine must
 * outlive the driver. */
RREC_API RrecGlibDriver *rrec_glib_driver_new (RrecEngine *engine,
					       GMainContext *context);
RREC_API void rrec_glib_driver_free (RrecGlibDriver *driver);

/* The driver's clock, in the engine's milliseconds. */
RREC_API gint64 rrec_glib_driver_now (RrecGlibDriver *driver);

/* Brings the engine to now, then feeds @msg. */
RREC_API gboolean rrec_glib_driver_feed (RrecGlibDriver *driver,
					 const RrecMessage *msg,
					 GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrecGlibDriver, rrec_glib_driver_free)

G_END_DECLS
