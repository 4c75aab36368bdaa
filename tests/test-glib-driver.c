/*
 * test-glib-driver.c — the engine's timers run from a GMainContext: a leg
 * that never comes up is released when recording-setup-tout (1 s here)
 * expires, with nobody calling rrec_engine_advance() by hand (R25, R27).
 */
#include "rrec/glib-driver.h"

static const char config_text[] =
	"[remote-recording]\n"
	"server-application = SIP\n"
	"trunk-group = annc\n"
	"uri-pattern = sip:{+1555{DDD}}{@sip.example.com}\n"
	"recording-setup-tout = 1\n"
	"[app:SIP]\n"
	"[dn:7001]\n"
	"type = extension\n"
	"record = true\n";

typedef struct {
	GMainLoop *loop;
	GPtrArray *actions;
} Seen;

static void
on_action (const RrecAction *a, gpointer user_data)
{
	Seen *seen = user_data;

	g_ptr_array_add (seen->actions, rrec_action_to_string (a));
	if (a->kind == RREC_ACTION_RELEASE_LEG)
		g_main_loop_quit (seen->loop);
}

static gboolean
give_up (gpointer data)
{
	g_main_loop_quit (data);
	return G_SOURCE_REMOVE;
}

static void
feed (RrecGlibDriver *d, int type, const char *dn, const char *other)
{
	RrecMessage m;
	g_autoptr (GError) error = NULL;

	rrec_message_init (&m, RREC_SIDE_SKYPE, type);
	m.conn_id = "00000000000000a1";
	m.this_dn = dn;
	m.other_dn = other;
	m.call_type = RREC_CALL_TYPE_INBOUND;
	g_assert_true (rrec_glib_driver_feed (d, &m, &error));
	g_assert_no_error (error);
}

static void
test_setup_timer_fires (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_data (
		config_text, sizeof config_text - 1, "t.ini", &error);
	g_assert_no_error (error);
	g_autoptr (GMainContext) ctx = g_main_context_new ();
	Seen seen = { g_main_loop_new (ctx, FALSE),
		      g_ptr_array_new_with_free_func (g_free) };
	RrecHostCallbacks cb = {
		on_action, on_action, on_action, on_action, on_action,
		on_action, on_action, NULL,
	};
	RrecEngine *e = rrec_engine_new (config, &cb, &seen);
	RrecGlibDriver *d = rrec_glib_driver_new (e, ctx);

	feed (d, RREC_MSG_EVENT_RINGING, "7001", "+14155550100");
	feed (d, RREC_MSG_EVENT_ESTABLISHED, "7001", "+14155550100");
	g_assert_cmpuint (rrec_engine_pending_timers (e), ==, 1);

	/* a safety net, far beyond the 1 s the timer needs */
	GSource *guard = g_timeout_source_new_seconds (10);
	g_source_set_callback (guard, give_up, seen.loop, NULL);
	g_source_attach (guard, ctx);
	g_main_loop_run (seen.loop);
	g_source_destroy (guard);
	g_source_unref (guard);

	/* R27, R28: the first leg failed: released, and the call says OFF */
	g_assert_cmpuint (seen.actions->len, >=, 2);
	g_assert_cmpstr (g_ptr_array_index (seen.actions, seen.actions->len - 2), ==,
			 "release-leg call=00000000000000a1 port=+1555000 "
			 "reason=setup-timeout");
	g_assert_cmpstr (g_ptr_array_index (seen.actions, seen.actions->len - 1), ==,
			 "call-userdata call=00000000000000a1 data={'GSIP_RECORD':'OFF'}");
	g_assert_cmpuint (rrec_engine_pending_timers (e), ==, 0);
	g_assert_cmpuint (rrec_engine_ports_in_use (e), ==, 0);

	rrec_glib_driver_free (d);
	rrec_engine_free (e);
	g_main_loop_unref (seen.loop);
	g_ptr_array_unref (seen.actions);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/glib-driver/R25/setup-timer-fires", test_setup_timer_fires);
	return g_test_run ();
}
