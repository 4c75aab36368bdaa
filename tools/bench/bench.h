/*
 * bench.h — what the parts of `rrec bench` share: the measurements they
 * report, a clock, and the synthetic call traffic that both the engine
 * benchmarks (as RrecMessages) and the log benchmarks (as log text) use.
 */
#pragma once

#include <stdio.h>

#include "rrec/rrec.h"
#include "rrec/engine.h"

/* ---- results ------------------------------------------------------------ */

typedef struct {
	char *name;		/* "engine.events_per_s.100k" */
	double value;
	const char *unit;	/* "ns/event", "events/s", "bytes", "MB/s" */
	char *baseline;		/* the name of the baseline measurement, or NULL */
	double ratio;		/* value / the baseline's value (same run) */
	char *note;		/* how it was measured, for the table; may be NULL */
} BenchResult;

typedef struct {
	GPtrArray *results;	/* BenchResult* */
	gboolean quick;		/* tiny sizes: checks the code paths, not speed */
	gboolean full;		/* longer runs, larger sizes */
	gboolean failed;	/* a self-check failed: the exit status says so */
	FILE *progress;		/* where "running …" lines go, or NULL */
} Bench;

BenchResult *bench_add (Bench *b, const char *name, double value,
			const char *unit, const char *note);
/* Sets @r's baseline and ratio from the result named @baseline. */
void bench_set_baseline (Bench *b, BenchResult *r, const char *baseline);
void bench_progress (Bench *b, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Calls to malloc, calloc and realloc while counting is on
 * (alloc-count.c); unavailable under AddressSanitizer. */
gboolean bench_allocs_available (void);
void bench_allocs_count (gboolean on);
guint64 bench_allocs (void);

/* The hardware's cache misses (last level) of this thread while counting
 * is on, from a perf_event_open(2) counter as `perf stat -e cache-misses`
 * reads it (perf-count.c).  Optional: when the machine gives no counter,
 * available is FALSE and *why (if not NULL) says why. */
gboolean bench_misses_available (const char **why);
void bench_misses_count (gboolean on);
guint64 bench_misses (void);

/* Monotonic nanoseconds. */
gint64 bench_now_ns (void);

/* A small fast generator (xorshift64*): deterministic for a seed. */
typedef struct {
	guint64 s;
} BenchRng;

static inline guint64
bench_rng_next (BenchRng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n). */
static inline guint32
bench_rng_below (BenchRng *r, guint32 n)
{
	return (guint32) (((bench_rng_next (r) >> 32) * (guint64) n) >> 32);
}

static inline double
bench_rng_unit (BenchRng *r)
{
	return (double) (bench_rng_next (r) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- the parts ------------------------------------------------------------ */

void bench_dispatch (Bench *b);
void bench_engine (Bench *b);
void bench_memory (Bench *b);
void bench_reader (Bench *b);
void bench_replay (Bench *b);
void bench_store (Bench *b);
void bench_store_pg (Bench *b);

/* The store's measurement (store.c), for any store location: the
 * configuration of @n recorded agents, the log of their calls' set-up
 * and of @blocks blocks of churn, and the churn's cost per block with the store at
 * @location over the same without a store: this process's CPU time and
 * the wall clock. */
char *bench_store_config (guint n);
guint bench_store_churn_blocks (const Bench *b);
void bench_store_logs (guint n, guint blocks, GString **setup,
		       GString **churn);
void bench_store_measure (Bench *b, guint n, const char *location,
			  double *step_us, double *ratio,
			  double *wall_step_us, double *wall_ratio);

/* ---- synthetic call traffic (calls.c) --------------------------------------- */

/* A DN as a code: kind in the top bits, an index below. */
enum {
	BENCH_DN_NONE = 0,
	BENCH_DN_AGENT = 1u << 28,
	BENCH_DN_EXTERNAL = 2u << 28,
	BENCH_DN_RP_RECORD = 3u << 28,
	BENCH_DN_RP_PLAIN = 4u << 28,
	BENCH_DN_SUPERVISOR = 5u << 28,
	BENCH_DN_KIND = 0xfu << 28,
};

#define BENCH_DN_INDEX(code) ((code) & ~(guint32) BENCH_DN_KIND)
#define BENCH_N_EXTERNAL 10000
#define BENCH_N_SUPERVISORS 5
#define BENCH_N_USERDATA 64
#define BENCH_N_UUIDS 256

/* The Extensions 'record' value a request or route carries. */
enum {
	BENCH_RECORD_NONE = 0,
	BENCH_RECORD_SOURCE,
	BENCH_RECORD_DESTINATION,
	BENCH_RECORD_DISABLED,
	BENCH_RECORD_DISABLE_DESTINATION,
};

/* One message of a call, before it is rendered as an RrecMessage or as a
 * log block. */
typedef struct {
	guint8 type;		/* RrecMessageType */
	guint8 side;		/* RrecSide */
	guint8 record;		/* BENCH_RECORD_* in Extensions */
	gint8 call_type;	/* -1: absent */
	gint8 call_state;
	gint8 this_role;
	gint8 third_role;
	guint8 user_data;	/* 0 none, else 1 + index of a user-data variant */
	guint16 msgid;		/* PrivateMsgID, 0 none */
	guint8 uuid;		/* 0 none, else 1 + index of a CallUUID */
	guint8 ani_dnis;	/* carries ANI (the caller) and DNIS (ThisDN) */
	guint32 conn;		/* the call's number (ConnID = base + conn) */
	guint32 prev;		/* PreviousConnID / TransferConnID, 0 none */
	guint32 this_dn, other_dn, third_dn;
} BenchOp;

typedef struct _BenchCalls BenchCalls;

/*
 * @concurrency calls in progress at once, new ones started as old ones
 * end.  Agents come from two pools: @n_record agents with record = true
 * (a call takes its first agent from there with probability @p_record) and
 * @n_plain others.
 */
BenchCalls *bench_calls_new (guint64 seed, guint concurrency, guint n_plain,
			     guint n_record, double p_record);
void bench_calls_free (BenchCalls *c);
/* Stop starting new calls: the calls in progress run to their end. */
void bench_calls_drain (BenchCalls *c);
/* The next message of a random call in progress; FALSE when none is left. */
gboolean bench_calls_next (BenchCalls *c, BenchOp *op);
guint bench_calls_in_progress (BenchCalls *c);
guint64 bench_calls_started (BenchCalls *c);

/* The strings of a DN world: agent names, externals, supervisors. */
typedef struct {
	char **agents;		/* n_agents names */
	guint n_agents;
	guint n_plain;		/* agents [0, n_plain) have no record option */
	char *externals[BENCH_N_EXTERNAL];
	char *supervisors[BENCH_N_SUPERVISORS];
	char *uuids[BENCH_N_UUIDS];
	RrecKvList *user_data[BENCH_N_USERDATA];
	RrecKvList *extensions[5];	/* by BENCH_RECORD_*; [0] NULL */
} BenchWorld;

/* Agents are named first_agent + i; gen-log's world is 7001…7120 with
 * every fifth one recorded. */
BenchWorld *bench_world_new (guint n_plain, guint n_record, guint first_agent,
			     gboolean genlog_names);
void bench_world_free (BenchWorld *w);
const char *bench_world_dn (const BenchWorld *w, guint32 code);
/* A configuration for the world: its record = true agents and routing
 * point, ports sip:{+1555{D…}}{@sip.example.com} with @digits digits. */
char *bench_world_config (const BenchWorld *w, guint digits);

extern const char *const bench_record_names[5];
#define BENCH_CONN_BASE 0x006c029a66850000ULL
