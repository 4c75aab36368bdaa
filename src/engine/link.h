/*
 * link.h — the link machine bound to the engine (link.c).
 */
#pragma once

#include "model.h"

extern const RrecFsmBinding rrec_link_binding;

/* Posts @event (LINK_DOWN, LINK_UP) to every call's live session, oldest
 * call first. */
void rrec_link_sessions_post (RrecEngine *e, guint event);
void rrec_link_timer_fired (RrecEngine *e, Timer *t);
/* The link as the host has it (a SIP-side EventServerConnected or
 * -Disconnected, or the view at a reconcile): UP or DOWN, drained. */
void rrec_engine_link_as (RrecEngine *e, gboolean up);
