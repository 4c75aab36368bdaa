/*
 * rrec-sipsim.h — a simulated SIP Server for the hosts that run the engine
 * without one: `rrec replay` (behaviour.md §6), `rrec bench` and the test
 * harness.  A healthy SIP Server brings every dialled leg up (a SIP-side
 * EventEstablished whose ConnID numbers the legs from a base, DNIS the
 * port, ThisDN the trunk group) and acknowledges every request (EventACK
 * with its ReferenceID), in the order the engine acted, once the engine's
 * step is over; nothing while the link is down.  The host takes the
 * answers one by one (rrec_sip_sim_next()) and feeds them as it likes.
 * It also keeps the legs SIP Server has, for a restart's view.
 */
#pragma once

#include "rrec/engine.h"

typedef struct _RrecSipSim RrecSipSim;

/* The legs' events name @trunk_dn as ThisDN (copied); the n-th leg brought
 * up has the ConnID @leg_base + n, 16 hex digits.  With @track_legs the
 * simulator keeps the legs it has (rrec_sip_sim_legs()). */
RrecSipSim *rrec_sip_sim_new (const char *trunk_dn, guint64 leg_base,
			      gboolean track_legs);
void rrec_sip_sim_free (RrecSipSim *sim);

/* Unhealthy, it answers nothing (`--no-sim`: the log carries SIP Server's
 * side; a test that answers by hand).  Healthy by default. */
void rrec_sip_sim_set_healthy (RrecSipSim *sim, gboolean healthy);
/* The link, as the log or the test has it: while it is down no answer is
 * queued, and one still queued is lost.  Up by default. */
void rrec_sip_sim_set_link (RrecSipSim *sim, gboolean up);
gboolean rrec_sip_sim_get_link (RrecSipSim *sim);

/* What SIP Server does with one of the engine's actions. */
void rrec_sip_sim_hear (RrecSipSim *sim, const RrecAction *a);
/* A SIP-side event the host feeds itself (a log's block, a test's hand):
 * the legs follow it (EventEstablished brings one up, EventReleased takes
 * it away; nothing while the link is down). */
void rrec_sip_sim_saw (RrecSipSim *sim, const RrecMessage *m);

/* The next answer into @m, valid until the next call; FALSE when there is
 * none. */
gboolean rrec_sip_sim_next (RrecSipSim *sim, RrecMessage *m);
/* Drops the answers still queued. */
void rrec_sip_sim_forget (RrecSipSim *sim);

/* A host that may have to give answers again keeps a copy of those it
 * takes at @now_ms (`rrec replay --resume`: the killed replay may not
 * have heard those of its last stored millisecond); a later @now_ms drops
 * those of the earlier one.  rrec_sip_sim_keep_stop() stops keeping; the
 * copies stay readable, in the order they were taken, until the next
 * rrec_sip_sim_keep_at(). */
void rrec_sip_sim_keep_at (RrecSipSim *sim, gint64 now_ms);
void rrec_sip_sim_keep_stop (RrecSipSim *sim);
/* The @i-th answer kept into @m, valid until the next call; FALSE when
 * there are fewer. */
gboolean rrec_sip_sim_kept (RrecSipSim *sim, guint i, RrecMessage *m);

/* The next leg brought up is numbered @n + 1 (@leg_base + @n + 1): a
 * host that starts again over the same engine state numbers apart. */
void rrec_sip_sim_number_legs_after (RrecSipSim *sim, guint64 n);
/* SIP Server fails over (R33, §6): the new one knows none of the legs
 * that were up; it answers their queries, and any request for them, with
 * EventError.  rrec_sip_sim_saw() calls it for an EventServerConnected
 * with Extensions failover = 1. */
void rrec_sip_sim_failover (RrecSipSim *sim);
/* SIP Server loses the leg on @port without a word (a restart's view). */
void rrec_sip_sim_lose_leg (RrecSipSim *sim, const char *port);

/* The leg up on @port ("+1555000" or "1555000"), or NULL. */
const char *rrec_sip_sim_leg_at (RrecSipSim *sim, const char *port);
/* The legs up, in port order, for RrecLiveView; @n gets their number.
 * Valid until the simulator changes. */
const RrecLiveLeg *rrec_sip_sim_legs (RrecSipSim *sim, guint *n);
