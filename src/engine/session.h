/*
 * session.h — the recording-session machine bound to the engine
 * (session.c).
 */
#pragma once

#include "model.h"

extern const RrecFsmBinding rrec_session_binding;

/* The port as SIP Server knows it ("+1555000"). */
char *rrec_session_port_string (Session *s);
/* The same in @t: no allocation unless the port's text is long. */
const char *rrec_session_port_text (Session *s, RrecText *t);
/* rrec_session_rec_id() without a copy: valid while @t and the session
 * are (NULL: none yet). */
const char *rrec_session_rec_id_text (const Session *s, RrecText *t);
/* Numbers a request of @s to SIP Server (op 0: a user-data update). */
gint64 rrec_session_request (RrecEngine *e, Session *s, int op);
/* The session no longer has a leg (released, dropped or gone). */
void rrec_session_forget_leg (Session *s);
/* recording-setup-tout or reestablish-recording-tout has passed */
void rrec_session_timer_fired (RrecEngine *e, Timer *t);
