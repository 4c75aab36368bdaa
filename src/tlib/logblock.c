/*
 * logblock.c — the values of a log block: accessors and memory.
 */
#include <string.h>

#include "rrec-logblock.h"
#include "rrec/message.h"

/* Every message type of T-Library (genesys-facts §4.1), sorted by strcmp()
 * so that it can be searched with bsearch().  A header naming anything else
 * is a malformed block: a misspelt name would otherwise make an event
 * silently disappear from a replay. */
static const char *const message_names[] = {
	"EventACK",
	"EventAbandoned",
	"EventAddressInfo",
	"EventAgentAfterCallWork",
	"EventAgentIdleReasonSet",
	"EventAgentLogin",
	"EventAgentLogout",
	"EventAgentNotReady",
	"EventAgentReady",
	"EventAgentReserved",
	"EventAnswerAccessNumber",
	"EventAttachedDataChanged",
	"EventBridged",
	"EventCallCreated",
	"EventCallDataChanged",
	"EventCallDeleted",
	"EventCallInfoChanged",
	"EventCallPartyAdded",
	"EventCallPartyDeleted",
	"EventCallPartyMoved",
	"EventCallPartyState",
	"EventDNBackInService",
	"EventDNDOff",
	"EventDNDOn",
	"EventDNOutOfService",
	"EventDTMFSent",
	"EventDestinationBusy",
	"EventDialing",
	"EventDigitsCollected",
	"EventDiverted",
	"EventError",
	"EventEstablished",
	"EventForwardCancel",
	"EventForwardSet",
	"EventHardwareError",
	"EventHeld",
	"EventLinkConnected",
	"EventLinkDisconnected",
	"EventListenDisconnected",
	"EventListenReconnected",
	"EventLocationInfo",
	"EventMailBoxLogin",
	"EventMailBoxLogout",
	"EventMessageWaitingOff",
	"EventMessageWaitingOn",
	"EventMonitoringCancelled",
	"EventMonitoringNextCall",
	"EventMuteOff",
	"EventMuteOn",
	"EventNetworkCallStatus",
	"EventNetworkPrivateInfo",
	"EventNetworkReached",
	"EventOffHook",
	"EventOnHook",
	"EventPartyAdded",
	"EventPartyChanged",
	"EventPartyDeleted",
	"EventPartyInfo",
	"EventPrimaryChanged",
	"EventPrivateInfo",
	"EventQueueLogout",
	"EventQueued",
	"EventRegistered",
	"EventRegisteredAll",
	"EventReleased",
	"EventRemoteConnectionFailed",
	"EventRemoteConnectionSuccess",
	"EventReqGetAccessNumberCanceled",
	"EventReserved_1",
	"EventReserved_2",
	"EventReserved_3",
	"EventReserved_4",
	"EventReserved_5",
	"EventReserved_6",
	"EventReserved_7",
	"EventResourceAllocated",
	"EventResourceFreed",
	"EventRestoreConnection",
	"EventRetrieved",
	"EventReturnReceipt",
	"EventRinging",
	"EventRouteRequest",
	"EventRouteUsed",
	"EventServerConnected",
	"EventServerDisconnected",
	"EventServerInfo",
	"EventSwitchInfo",
	"EventTreatmentApplied",
	"EventTreatmentEnd",
	"EventTreatmentNotApplied",
	"EventTreatmentRequired",
	"EventUnregistered",
	"EventUnregisteredAll",
	"EventUserEvent",
	"EventVoiceFileClosed",
	"EventVoiceFileEndPlay",
	"EventVoiceFileOpened",
	"RequestAgentLogin",
	"RequestAgentLogout",
	"RequestAgentNotReady",
	"RequestAgentReady",
	"RequestAgentSetIdleReason",
	"RequestAlternateCall",
	"RequestAnswerCall",
	"RequestApplyTreatment",
	"RequestAttachUserData",
	"RequestCallForwardCancel",
	"RequestCallForwardSet",
	"RequestCancelMonitoring",
	"RequestCancelReqGetAccessNumber",
	"RequestClearCall",
	"RequestCloseVoiceFile",
	"RequestCollectDigits",
	"RequestCompleteConference",
	"RequestCompleteTransfer",
	"RequestDeleteFromConference",
	"RequestDeletePair",
	"RequestDeleteUserData",
	"RequestDistributeEvent",
	"RequestDistributeUserEvent",
	"RequestGetAccessNumber",
	"RequestGiveMusicTreatment",
	"RequestGiveRingBackTreatment",
	"RequestGiveSilenceTreatment",
	"RequestHoldCall",
	"RequestInitiateConference",
	"RequestInitiateTransfer",
	"RequestListenDisconnect",
	"RequestListenReconnect",
	"RequestLoginMailBox",
	"RequestLogoutMailBox",
	"RequestLostBackupConnection",
	"RequestMakeCall",
	"RequestMakePredictiveCall",
	"RequestMergeCalls",
	"RequestMonitorNextCall",
	"RequestMuteTransfer",
	"RequestNetworkAlternate",
	"RequestNetworkConsult",
	"RequestNetworkMerge",
	"RequestNetworkPrivateService",
	"RequestNetworkReconnect",
	"RequestNetworkSingleStepTransfer",
	"RequestNetworkTransfer",
	"RequestOpenVoiceFile",
	"RequestPlayVoiceFile",
	"RequestPrivateService",
	"RequestQueryAddress",
	"RequestQueryCall",
	"RequestQueryLocation",
	"RequestQueryServer",
	"RequestQuerySwitch",
	"RequestReconnectCall",
	"RequestRedirectCall",
	"RequestRegisterAddress",
	"RequestRegisterAll",
	"RequestRegisterClient",
	"RequestReleaseCall",
	"RequestReserveAgent",
	"RequestReserveAgentAndGetAccessNumber",
	"RequestRetrieveCall",
	"RequestRouteCall",
	"RequestSendDTMF",
	"RequestSendReturnReceipt",
	"RequestSetCallInfo",
	"RequestSetDNDOff",
	"RequestSetDNDOn",
	"RequestSetDNInfo",
	"RequestSetInputMask",
	"RequestSetMessageWaitingOff",
	"RequestSetMessageWaitingOn",
	"RequestSetMuteOff",
	"RequestSetMuteOn",
	"RequestSingleStepConference",
	"RequestSingleStepTransfer",
	"RequestStartCallMonitoring",
	"RequestStopCallMonitoring",
	"RequestUnregisterAddress",
	"RequestUnregisterAll",
	"RequestUpdateUserData",
};

static int
compare_names (const void *key, const void *member)
{
	return strcmp (key, *(const char *const *) member);
}

gboolean
rrec_log_message_is_known (const char *name)
{
	g_return_val_if_fail (name != NULL, FALSE);

	return bsearch (name, message_names, G_N_ELEMENTS (message_names),
			sizeof message_names[0], compare_names) != NULL;
}

guint
rrec_log_message_count (void)
{
	return G_N_ELEMENTS (message_names);
}

int
rrec_log_message_index (const uchar *name, gsize len)
{
	gsize lo = 0, hi = G_N_ELEMENTS (message_names);

	/* strcmp() order on a name that is not NUL-terminated */
	while (lo < hi) {
		gsize mid = (lo + hi) / 2;
		const char *m = message_names[mid];
		gsize mlen = strlen (m);
		int c = memcmp (name, m, MIN (len, mlen));

		if (c == 0)
			c = len < mlen ? -1 : len > mlen ? 1 : 0;
		if (c == 0)
			return (int) mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *
rrec_log_message_at (guint index)
{
	g_return_val_if_fail (index < G_N_ELEMENTS (message_names), NULL);

	return message_names[index];
}

int
rrec_log_message_type_at (guint index)
{
	/* the engine's type of each name, asked once per process */
	static gint16 types[G_N_ELEMENTS (message_names)];
	static gsize made = 0;

	g_return_val_if_fail (index < G_N_ELEMENTS (message_names), -1);

	if (g_once_init_enter (&made)) {
		for (gsize i = 0; i < G_N_ELEMENTS (message_names); i++)
			types[i] = (gint16) rrec_message_type_from_name (message_names[i]);
		g_once_init_leave (&made, 1);
	}
	return types[index];
}

/* ------------------------------------------------------------------------
 * The memory of the block being read.
 */

/* The first chunk of text, and what is kept from block to block. */
#define STORE_CHUNK (16 * 1024)
#define STORE_KEEP (64 * 1024)
/* Lists kept for the next block beyond those (a hostile block's). */
#define STORE_KEEP_LISTS 256
/* The pairs a new list holds before it grows. */
#define STORE_LIST_ROOM 8

void
rrec_log_store_init (RrecLogStore *s)
{
	memset (s, 0, sizeof *s);
	s->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

char *
rrec_log_store_grow (RrecLogStore *s, gsize n)
{
	char *at;

	if (s->size - s->used < n) {
		if (s->chunk != NULL)
			s->full = g_slist_prepend (s->full, s->chunk);
		s->size = MAX (MAX (s->size * 2, STORE_CHUNK), n);
		s->chunk = g_malloc (s->size);
		s->used = 0;
	}
	at = s->chunk + s->used;
	s->used += n;
	return at;
}

char *
rrec_log_store_text_any (RrecLogStore *s, const uchar *text, gsize len)
{
	gboolean plain = TRUE;

	/* most values are plain ASCII, which needs no validation: eight
	 * bytes at a time, the last eight overlapping the ones before */
	if (len >= 8) {
		for (gsize i = 0; plain && i + 8 <= len; i += 8)
			plain = rrec_log_plain8 (text + i);
		if (plain && len % 8 != 0)
			plain = rrec_log_plain8 (text + len - 8);
	} else
		for (gsize i = 0; plain && i < len; i++)
			plain = text[i] < 0x80 && text[i] != 0;
	if (!plain) {
		g_autofree char *valid = g_utf8_make_valid ((const char *) text,
							    (gssize) len);

		return rrec_log_store_copy (s, (const uchar *) valid,
					    strlen (valid));
	}
	return rrec_log_store_copy (s, text, len);
}

char *
rrec_log_store_lower (RrecLogStore *s, const uchar *text, gsize len)
{
	char *copy = rrec_log_store_copy (s, text, len);

	/* no branch per letter: a ConnID mixes digits and letters */
	for (gsize i = 0; i < len; i++)
		copy[i] |= (char) (((guchar) (copy[i] - 'A') < 26) << 5);
	return copy;
}

GArray *
rrec_log_store_list (RrecLogStore *s)
{
	GArray *list;

	if (s->n_lists < s->lists->len) {
		list = g_ptr_array_index (s->lists, s->n_lists);
		list->len = 0;	/* plain pairs, nothing to free: no call */
	} else {
		list = g_array_sized_new (FALSE, FALSE, sizeof (RrecLogPair),
					  STORE_LIST_ROOM);
		g_ptr_array_add (s->lists, list);
		if (s->lists->len > s->n_rooms) {
			s->n_rooms = MAX (s->n_rooms * 2, 16);
			s->rooms = g_renew (guint, s->rooms, s->n_rooms);
		}
		s->rooms[s->lists->len - 1] = STORE_LIST_ROOM;
	}
	s->n_lists++;
	return list;
}

void
rrec_log_store_reset (RrecLogStore *s)
{
	if (s->full != NULL) {	/* a block bigger than the chunk: rare */
		g_slist_free_full (s->full, g_free);
		s->full = NULL;
	}
	s->used = 0;
	if (s->size > STORE_KEEP) {
		g_clear_pointer (&s->chunk, g_free);
		s->size = 0;
	}
	s->n_lists = 0;
	if (s->lists->len > STORE_KEEP_LISTS)
		g_ptr_array_set_size (s->lists, STORE_KEEP_LISTS);
}

void
rrec_log_store_clear (RrecLogStore *s)
{
	rrec_log_store_reset (s);
	g_clear_pointer (&s->chunk, g_free);
	g_clear_pointer (&s->lists, g_ptr_array_unref);
	g_clear_pointer (&s->rooms, g_free);
	s->n_rooms = 0;
}

static const RrecLogValue *
find_in (GArray *pairs, const char *key)
{
	if (pairs == NULL)
		return NULL;
	for (guint i = 0; i < pairs->len; i++) {
		const RrecLogPair *pair = &g_array_index (pairs, RrecLogPair, i);

		if (strcmp (pair->key, key) == 0)
			return &pair->value;
	}
	return NULL;
}

const RrecLogValue *
rrec_log_block_get (const RrecLogBlock *block, const char *name)
{
	g_return_val_if_fail (block != NULL, NULL);
	g_return_val_if_fail (name != NULL, NULL);

	return find_in (block->attributes, name);
}

const char *
rrec_log_block_get_string (const RrecLogBlock *block, const char *name)
{
	const RrecLogValue *value = rrec_log_block_get (block, name);

	if (value == NULL)
		return NULL;
	if (value->kind != RREC_LOG_VALUE_STRING &&
	    value->kind != RREC_LOG_VALUE_CONNID)
		return NULL;
	return value->u.string;
}

gboolean
rrec_log_block_get_integer (const RrecLogBlock *block, const char *name,
			    gint64 *value)
{
	const RrecLogValue *v = rrec_log_block_get (block, name);

	if (v == NULL || v->kind != RREC_LOG_VALUE_INTEGER)
		return FALSE;
	if (value != NULL)
		*value = v->u.integer;
	return TRUE;
}

const RrecLogValue *
rrec_log_list_get (const RrecLogValue *list, const char *key)
{
	g_return_val_if_fail (key != NULL, NULL);

	if (list == NULL || list->kind != RREC_LOG_VALUE_LIST)
		return NULL;
	return find_in (list->u.list, key);
}

const char *
rrec_log_value_kind_to_string (RrecLogValueKind kind)
{
	switch (kind) {
	case RREC_LOG_VALUE_STRING:
		return "string";
	case RREC_LOG_VALUE_CONNID:
		return "connid";
	case RREC_LOG_VALUE_INTEGER:
		return "integer";
	case RREC_LOG_VALUE_LIST:
		return "list";
	}
	return "(unknown)";
}

char *
rrec_log_time_to_string (gint64 time_ms)
{
	g_return_val_if_fail (time_ms >= 0, NULL);

	return g_strdup_printf ("%02d:%02d:%02d.%03d",
				(int) (time_ms / 3600000),
				(int) (time_ms / 60000 % 60),
				(int) (time_ms / 1000 % 60),
				(int) (time_ms % 1000));
}
