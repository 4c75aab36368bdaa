/*
 * logblock.c — the values of a log block: accessors and memory.
 */
#include <string.h>

#include "rrec-logblock.h"

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

void
rrec_log_value_clear (RrecLogValue *value)
{
	switch (value->kind) {
	case RREC_LOG_VALUE_STRING:
	case RREC_LOG_VALUE_CONNID:
		g_clear_pointer (&value->u.string, g_free);
		break;
	case RREC_LOG_VALUE_LIST:
		g_clear_pointer (&value->u.list, g_array_unref);
		break;
	case RREC_LOG_VALUE_INTEGER:
		break;
	}
	value->kind = RREC_LOG_VALUE_INTEGER;
	value->u.integer = 0;
}

void
rrec_log_pair_clear (gpointer data)
{
	RrecLogPair *pair = data;

	g_clear_pointer (&pair->key, g_free);
	rrec_log_value_clear (&pair->value);
}

GArray *
rrec_log_list_new (void)
{
	GArray *list = g_array_new (FALSE, TRUE, sizeof (RrecLogPair));

	g_array_set_clear_func (list, rrec_log_pair_clear);
	return list;
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
