/*
 * test-state.c — the engine's saved state read back: whole, truncated at
 * every length, with every byte damaged, and of another version.  A
 * damaged state is refused with RREC_ENGINE_ERROR_STATE or, where the
 * damage still reads as a state, gives an engine that works; nothing
 * crashes or leaks (run under ASan and valgrind by CI).
 */
#include <string.h>

#include "rrec/engine.h"

static const char config_text[] =
	"[remote-recording]\n"
	"server-application = SIP\n"
	"trunk-group = annc\n"
	"uri-pattern = sip:{+1555{DDD}}{@sip.example.com}\n"
	"record-moh = false\n"
	"[app:SIP]\n"
	"[dn:7001]\n"
	"type = extension\n"
	"record = true\n";

typedef struct {
	GPtrArray *actions;
} Host;

static void
on_action (const RrecAction *a, gpointer user_data)
{
	Host *h = user_data;

	if (h)
		g_ptr_array_add (h->actions, rrec_action_to_string (a));
}

static const RrecHostCallbacks callbacks = {
	on_action, on_action, on_action, on_action, on_action, on_action,
	on_action, NULL,
};

static RrecConfig *
config_new (void)
{
	g_autoptr (GError) error = NULL;
	RrecConfig *c = rrec_config_new_from_data (config_text,
						   sizeof config_text - 1,
						   "t.ini", &error);
	g_assert_no_error (error);
	return c;
}

static void
feed (RrecEngine *e, RrecSide side, int type, const char *conn,
      const char *dn, const char *dnis, gint64 refid)
{
	RrecMessage m;

	rrec_message_init (&m, side, type);
	m.conn_id = conn;
	m.this_dn = dn;
	m.other_dn = side == RREC_SIDE_SKYPE ? "+14155550100" : NULL;
	m.dnis = dnis;
	m.reference_id = refid;
	rrec_engine_feed (e, &m, NULL);
}

/* A call on hold with its leg up, a START answered, the PAUSE not: a state
 * with a session, a port, a pending request, user data and a timer-free
 * engine clock. */
static RrecEngine *
busy_engine (RrecConfig *config)
{
	RrecEngine *e = rrec_engine_new (config, &callbacks, NULL);
	g_autoptr (RrecKvList) ud = rrec_kv_list_new ();
	RrecMessage m;

	rrec_kv_list_add_string (ud, "Case", "C-1");
	rrec_message_init (&m, RREC_SIDE_SKYPE, RREC_MSG_EVENT_RINGING);
	m.conn_id = "00000000000000a1";
	m.this_dn = "7001";
	m.other_dn = "+14155550100";
	m.user_data = ud;
	rrec_engine_feed (e, &m, NULL);
	feed (e, RREC_SIDE_SKYPE, RREC_MSG_EVENT_ESTABLISHED, "00000000000000a1",
	      "7001", NULL, RREC_ABSENT);
	feed (e, RREC_SIDE_SIP, RREC_MSG_EVENT_ESTABLISHED, "5e00000000000001",
	      "annc", "+1555000", RREC_ABSENT);
	feed (e, RREC_SIDE_SIP, RREC_MSG_EVENT_ACK, NULL, NULL, NULL, 1);
	feed (e, RREC_SIDE_SKYPE, RREC_MSG_EVENT_HELD, "00000000000000a1",
	      "7001", NULL, RREC_ABSENT);
	g_assert_cmpstr (rrec_engine_session_state (e, "00000000000000a1"), ==,
			 "pausing");
	return e;
}

static RrecEngine *
restore (RrecConfig *config, GBytes *bytes, Host *h, GError **error)
{
	return rrec_engine_restore (config, &callbacks, h, bytes, error);
}

/* What a working engine does next: the PAUSE answered, then the call
 * released. */
static void
carry_on (RrecEngine *e)
{
	/* 1 was the START, 2 the user data, 3 the PAUSE */
	feed (e, RREC_SIDE_SIP, RREC_MSG_EVENT_ACK, NULL, NULL, NULL, 3);
	feed (e, RREC_SIDE_SKYPE, RREC_MSG_EVENT_RELEASED, "00000000000000a1",
	      "7001", NULL, RREC_ABSENT);
	rrec_engine_advance (e, 3600 * 1000);
}

static void
test_roundtrip (void)
{
	g_autoptr (RrecConfig) config = config_new ();
	RrecEngine *e = busy_engine (config);
	g_autoptr (GBytes) bytes = rrec_engine_save (e);
	g_autoptr (GError) error = NULL;
	Host h1 = { g_ptr_array_new_with_free_func (g_free) };
	Host h2 = { g_ptr_array_new_with_free_func (g_free) };
	RrecEngine *a = restore (config, bytes, &h1, &error);
	RrecEngine *b = restore (config, bytes, &h2, &error);

	g_assert_no_error (error);
	g_autoptr (GBytes) again = rrec_engine_save (a);
	g_assert_true (g_bytes_equal (bytes, again));
	carry_on (a);
	carry_on (b);
	for (guint i = 0; i < h1.actions->len; i++)
		g_test_message ("%s", (char *) g_ptr_array_index (h1.actions, i));
	g_assert_cmpuint (h1.actions->len, ==, 2);
	g_assert_cmpstr (g_ptr_array_index (h1.actions, 0), ==,
			 "call-userdata call=00000000000000a1 data={'GSIP_RECORD':'PAUSED'}");
	g_assert_cmpstr (g_ptr_array_index (h1.actions, 1), ==,
			 "release-leg call=00000000000000a1 port=+1555000 reason=call-ended");
	for (guint i = 0; i < h1.actions->len; i++)
		g_assert_cmpstr (g_ptr_array_index (h1.actions, i), ==,
				 g_ptr_array_index (h2.actions, i));
	g_assert_cmpuint (rrec_engine_ports_in_use (a), ==, 0);
	rrec_engine_free (a);
	rrec_engine_free (b);
	rrec_engine_free (e);
	g_ptr_array_unref (h1.actions);
	g_ptr_array_unref (h2.actions);
}

static void
test_truncated (void)
{
	g_autoptr (RrecConfig) config = config_new ();
	RrecEngine *e = busy_engine (config);
	g_autoptr (GBytes) bytes = rrec_engine_save (e);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (bytes, &len);

	g_assert_cmpuint (len, >, 100);
	for (gsize n = 0; n < len; n++) {
		g_autoptr (GBytes) cut = g_bytes_new (data, n);
		g_autoptr (GError) error = NULL;

		g_assert_null (restore (config, cut, NULL, &error));
		g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE);
	}
	rrec_engine_free (e);
}

/* Every byte damaged three ways: refused, or an engine that carries on. */
static void
test_damaged (void)
{
	g_autoptr (RrecConfig) config = config_new ();
	RrecEngine *e = busy_engine (config);
	g_autoptr (GBytes) bytes = rrec_engine_save (e);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (bytes, &len);
	static const guint8 masks[] = { 0x01, 0x80, 0xff };
	guint refused = 0, read = 0;

	for (gsize i = 0; i < len; i++) {
		for (gsize k = 0; k < G_N_ELEMENTS (masks); k++) {
			g_autofree guint8 *copy = g_memdup2 (data, len);
			g_autoptr (GError) error = NULL;
			Host h = { g_ptr_array_new_with_free_func (g_free) };

			copy[i] ^= masks[k];
			g_autoptr (GBytes) bad = g_bytes_new (copy, len);
			RrecEngine *r = restore (config, bad, &h, &error);

			if (r == NULL) {
				g_assert_error (error, RREC_ENGINE_ERROR,
						RREC_ENGINE_ERROR_STATE);
				refused++;
			} else {
				g_assert_no_error (error);
				carry_on (r);
				g_autoptr (GBytes) after = rrec_engine_save (r);
				g_assert_nonnull (after);
				rrec_engine_free (r);
				read++;
			}
			g_ptr_array_unref (h.actions);
		}
	}
	g_test_message ("%u damaged states refused, %u read", refused, read);
	g_assert_cmpuint (refused, >, 0);
	rrec_engine_free (e);
}

static void
test_other_version (void)
{
	g_autoptr (RrecConfig) config = config_new ();
	RrecEngine *e = busy_engine (config);
	g_autoptr (GBytes) bytes = rrec_engine_save (e);
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (bytes, &len);
	g_autoptr (GError) error = NULL;

	g_assert_cmpuint (len, >, 8);
	g_autofree guint8 *copy = g_memdup2 (data, len);
	g_assert_cmpmem (copy, 4, "RRES", 4);
	copy[4] = 99;	/* the version, little-endian */
	g_autoptr (GBytes) other = g_bytes_new (copy, len);
	g_assert_null (restore (config, other, NULL, &error));
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE);
	g_assert_nonnull (strstr (error->message, "version 99"));
	rrec_engine_free (e);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/state/roundtrip", test_roundtrip);
	g_test_add_func ("/state/truncated-at-every-length", test_truncated);
	g_test_add_func ("/state/every-byte-damaged", test_damaged);
	g_test_add_func ("/state/other-version", test_other_version);
	return g_test_run ();
}
