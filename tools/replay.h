/*
 * replay.h — replaying a T-Server log through the engine, with a built-in
 * SIP Server simulator (behaviour.md §6).  Used by `rrec replay` and by the
 * golden replay tests.
 */
#pragma once

#include <stdio.h>

#include "rrec/engine.h"
#include "rrec/logreader.h"

typedef struct _RrecReplay RrecReplay;

/* The human summary lists at most this many gaps, the longest, and counts
 * the rest (issue #14); --gaps lists them all, --json is not concerned. */
#define RREC_REPLAY_GAPS_SHOWN 20

typedef enum {
	RREC_REPLAY_JSON = 1 << 0,	/* §5 JSON lines instead of a timeline */
	RREC_REPLAY_STRICT = 1 << 1,	/* stop at the first malformed block */
	RREC_REPLAY_NO_SIM = 1 << 2,	/* the log carries all SIP-side traffic */
	RREC_REPLAY_TRACE = 1 << 3,	/* also the `state` actions */
	RREC_REPLAY_ALL_GAPS = 1 << 4,	/* the summary lists every gap, not
					 * only the RREC_REPLAY_GAPS_SHOWN
					 * longest */
	RREC_REPLAY_BUFFERED = 1 << 5,	/* @out is block-buffered anyway: JSON
					 * lines go to it in batches of
					 * about 64 KiB (issue #14) */
} RrecReplayFlags;

/* Output goes to @out, diagnostics to @err. */
RrecReplay *rrec_replay_new (RrecConfig *config, RrecReplayFlags flags,
			     FILE *out, FILE *err);
void rrec_replay_free (RrecReplay *replay);

/* Feeds bytes of the log named @name (for messages); chunks may end
 * anywhere.  Returns FALSE once --strict has stopped the replay. */
gboolean rrec_replay_feed (RrecReplay *replay, const char *name,
			   const char *data, gsize len);
/* The end of one input file. */
void rrec_replay_end_file (RrecReplay *replay);
/* The end of all input: prints the summary. Returns the exit status. */
int rrec_replay_finish (RrecReplay *replay);

/* The engine keeps its state in the store at @path (issue #7: an SQLite
 * file; issue #13: or a postgresql:// URI): an rrec store already there
 * is replaced, and kept at the end.  FALSE (and
 * the alarm `state-store` on the output) when it cannot be used: not an
 * rrec store, held by another engine, out of reach; the replay's exit
 * status is then 2.  Before any input only. */
gboolean rrec_replay_set_state (RrecReplay *replay, const char *path,
				RrecStoreSync sync, GError **error);
/* --resume: the engine restored from the store at @path goes on from
 * where it stopped (replay.c says how).  FALSE when the store cannot be
 * used.  Before any input only. */
gboolean rrec_replay_resume_state (RrecReplay *replay, const char *path,
				   RrecStoreSync sync, GError **error);
/* Restarts the engine at @time_ms (after the timers due then): dropped
 * without a goodbye, opened again on the store (a temporary one without
 * rrec_replay_set_state()), reconciled with the simulator's view.  A
 * `restart` action, then the reconciliation's. */
gboolean rrec_replay_add_restart (RrecReplay *replay, gint64 time_ms);
/* The same just before the @block-th block read (1-based), at the time of
 * the block before it: for the restart-equivalence tests. */
gboolean rrec_replay_restart_before_block (RrecReplay *replay, guint64 block);
guint rrec_replay_get_restarts (RrecReplay *replay);
/* The blocks read so far. */
guint64 rrec_replay_get_blocks (RrecReplay *replay);

/* The built-in example: a configuration and a log that tell a whole story. */
extern const char rrec_example_config[];
extern const char rrec_example_log[];
