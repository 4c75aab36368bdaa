/*
 * failing.c — R35: a run of failed starts or re-dials raises the alarm
 * `recording-failing` (the symptom of a dial plan that changes the dialled
 * number), and `reestablish-max-attempts` bounds the re-dials of one
 * session.  The rows of fsm/session.fsm decide when; this file keeps the
 * counts.
 */
#include "failing.h"
#include "rrec-config-private.h"

#define E(s) ((s)->call->engine)

gboolean
rrec_failing_redials_left (gpointer o, gconstpointer d)
{
	Session *s = o;
	guint max = rrec_config_get_reestablish_max_attempts (E (s)->config);

	return max == 0 || s->redials < max;
}

static void
failing_alarm (RrecEngine *e, gboolean raised)
{
	if (e->alarm_failing == raised)
		return;
	e->alarm_failing = raised;
	g_autofree char *text = raised ? g_strdup_printf (
		"%u starts or re-dials of recording legs failed in a row: does "
		"the dial plan change the dialled number?", e->failures) :
		g_strdup ("SIP Server acknowledged a START again");
	RrecAction a = {
		.kind = RREC_ACTION_ALARM,
		.name = "recording-failing",
		.raised = raised,
		.text = text,
	};
	rrec_engine_emit (e, &a);
}

void
rrec_failing_count (gpointer o, gconstpointer d)
{
	Session *s = o;
	RrecEngine *e = E (s);
	guint n = rrec_config_get_recording_failure_alarm (e->config);

	if (e->failures < G_MAXUINT32)
		e->failures++;
	if (n > 0 && e->failures >= n)
		failing_alarm (e, TRUE);
}

void
rrec_failing_clear (gpointer o, gconstpointer d)
{
	Session *s = o;
	RrecEngine *e = E (s);

	s->redials = 0;
	e->failures = 0;
	failing_alarm (e, FALSE);
}

void
rrec_failing_give_up (gpointer o, gconstpointer d)
{
	((Session *) o)->gave_up = TRUE;
}
