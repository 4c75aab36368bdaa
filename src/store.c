/*
 * store.c — the durable state store: the engine's state kept in a
 * database (a backend, store/backend.h), written in one transaction at
 * the end of every engine step that changed it, so that a new process
 * can take over after a crash.
 */
#include <string.h>

#include "engine-private.h"
#include "rrec-store.h"

struct _RrecStore {
	RrecStoreBackend *backend;
	GBytes *last;		/* the bytes last written: an unchanged state
				 * (an ignored event) costs no transaction */
};

const RrecStoreBackendOps *
rrec_store_backend_for (const char *location)
{
	(void) location;
	return &rrec_store_backend_sqlite;
}

RrecStore *
rrec_store_open (const char *location, RrecStoreSync sync, gboolean fresh,
		 RrecStoreOpenStatus *status, GError **error)
{
	const RrecStoreBackendOps *ops = rrec_store_backend_for (location);
	RrecStoreBackend *b = ops->open (location, sync, fresh, status, error);
	RrecStore *s;

	if (b == NULL)
		return NULL;
	s = g_new0 (RrecStore, 1);
	s->backend = b;
	return s;
}

void
rrec_store_close (RrecStore *s)
{
	if (s == NULL)
		return;
	s->backend->ops->close (s->backend);
	if (s->last)
		g_bytes_unref (s->last);
	g_free (s);
}

static gboolean
take_engine_row (const RrecStoreRow *row, gpointer data, GError **error)
{
	GBytes **bytes = data;

	if (row->kind == RREC_STORE_ROW_ENGINE)
		*bytes = g_bytes_new (row->bytes, row->len);
	return TRUE;
}

RrecEngine *
rrec_store_restore (RrecStore *s, RrecConfig *config,
		    const RrecHostCallbacks *callbacks, gpointer user_data,
		    gboolean *damaged, GError **error)
{
	g_autoptr (GBytes) bytes = NULL;
	RrecEngine *e;

	if (!s->backend->ops->load (s->backend, take_engine_row, &bytes,
				    damaged, error))
		return NULL;
	if (bytes == NULL)
		return NULL;
	e = rrec_engine_restore (config, callbacks, user_data, bytes, error);
	if (e == NULL)
		*damaged = TRUE;
	else
		s->last = g_steal_pointer (&bytes);
	return e;
}

/* One engine step: the whole state in one transaction. */
gboolean
rrec_store_write (RrecStore *s, RrecEngine *e, GError **error)
{
	const RrecStoreBackendOps *ops = s->backend->ops;
	g_autoptr (GBytes) bytes = rrec_engine_state_save (e);
	gsize len;
	gconstpointer data = g_bytes_get_data (bytes, &len);
	RrecStoreRow row = {
		.kind = RREC_STORE_ROW_ENGINE,
		.version = rrec_engine_state_version (),
		.order = e->now,
		.bytes = data,
		.len = len,
	};

	if (s->last && g_bytes_equal (s->last, bytes))
		return TRUE;
	if (!ops->begin (s->backend, error))
		return FALSE;
	if (!ops->put (s->backend, &row, error) ||
	    !ops->commit (s->backend, error)) {
		ops->rollback (s->backend);
		return FALSE;
	}
	if (s->last)
		g_bytes_unref (s->last);
	s->last = g_steal_pointer (&bytes);
	return TRUE;
}

gboolean
rrec_store_move_aside (const char *location, char **moved_to, GError **error)
{
	return rrec_store_backend_for (location)->move_aside (location, moved_to,
							      error);
}
