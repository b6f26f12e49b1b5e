#pragma once

#include "absl/strings/string_view.h"

// Every event type of the order timeline and the change feed (`timeline_events.event_type`,
// `outbox_events.type`): "<resource>.<what happened>". Write sites name a constant from here, never
// a literal, so the set is known; docs/lifecycle.md documents each one, and
// tests/unit/event_types_test.cc checks the two agree both ways. A new event type is a line here,
// a line in kAllEventTypes and a row in docs/lifecycle.md. A type once written is never renamed
// without a migration of the stored rows (V0031 did it for the fulfillment spelling): the feed's
// consumers filter on it.
namespace returns::event_type {

// The return (docs/lifecycle.md, "The return").
inline constexpr char kReturnRequested[] = "return.requested";
inline constexpr char kReturnApproved[] = "return.approved";
inline constexpr char kReturnRejected[] = "return.rejected";
inline constexpr char kReturnCancelled[] = "return.cancelled";
inline constexpr char kReturnLabelIssued[] = "return.label_issued";
inline constexpr char kReturnLabelVoided[] = "return.label_voided";
inline constexpr char kReturnInTransit[] = "return.in_transit";
inline constexpr char kReturnDelivered[] = "return.delivered";
inline constexpr char kReturnReceived[] = "return.received";
inline constexpr char kReturnReviewRequested[] = "return.review_requested";
inline constexpr char kReturnResolved[] = "return.resolved";
inline constexpr char kReturnRefundRequested[] = "return.refund_requested";
inline constexpr char kReturnStoreCreditRequested[] = "return.store_credit_requested";
inline constexpr char kReturnUpsellRequested[] = "return.upsell_requested";
inline constexpr char kReturnDownsellCreditRequested[] = "return.downsell_credit_requested";
inline constexpr char kReturnBonusWithdrawn[] = "return.bonus_withdrawn";

// The shipment (docs/lifecycle.md, "The shipment").
inline constexpr char kShipmentRequested[] = "shipment.requested";
inline constexpr char kShipmentAttached[] = "shipment.attached";
inline constexpr char kShipmentLabelCreated[] = "shipment.label_created";
inline constexpr char kShipmentVoided[] = "shipment.voided";
inline constexpr char kShipmentLabelCancelled[] = "shipment.label_cancelled";
// Until V0031 written "shipment.fulfilment_requested"; the migration rewrote the stored rows.
inline constexpr char kShipmentFulfillmentRequested[] = "shipment.fulfillment_requested";
inline constexpr char kShipmentShipped[] = "shipment.shipped";
inline constexpr char kShipmentInTransit[] = "shipment.in_transit";
inline constexpr char kShipmentException[] = "shipment.exception";
inline constexpr char kShipmentDelivered[] = "shipment.delivered";

// The exchange token (docs/exchange-tokens.md).
inline constexpr char kExchangeTokenIssued[] = "exchange_token.issued";
inline constexpr char kExchangeTokenReissued[] = "exchange_token.reissued";
inline constexpr char kExchangeTokenRedeemed[] = "exchange_token.redeemed";
inline constexpr char kExchangeTokenRevoked[] = "exchange_token.revoked";
inline constexpr char kExchangeTokenExpired[] = "exchange_token.expired";
inline constexpr char kExchangeTokenInTransit[] = "exchange_token.in_transit";
inline constexpr char kExchangeTokenSettled[] = "exchange_token.settled";
inline constexpr char kExchangeTokenChargeDue[] = "exchange_token.charge_due";
inline constexpr char kExchangeTokenChargeReinstated[] = "exchange_token.charge_reinstated";
inline constexpr char kExchangeTokenCharged[] = "exchange_token.charged";
inline constexpr char kExchangeTokenChargeFailed[] = "exchange_token.charge_failed";
inline constexpr char kExchangeTokenChargeRefundDue[] = "exchange_token.charge_refund_due";

// The claim (docs/claims.md).
inline constexpr char kClaimFiled[] = "claim.filed";
inline constexpr char kClaimAwaitingEvidence[] = "claim.awaiting_evidence";
inline constexpr char kClaimEvidenceAdded[] = "claim.evidence_added";
// The damage assessor answered about a photo asked after its upload (JOB_KIND_ASSESS_EVIDENCE),
// or its job gave up and the photo stays unassessed.
inline constexpr char kClaimEvidenceAssessed[] = "claim.evidence_assessed";
inline constexpr char kClaimEvidenceRequested[] = "claim.evidence_requested";
inline constexpr char kClaimEvidenceExpired[] = "claim.evidence_expired";
inline constexpr char kClaimEscalated[] = "claim.escalated";
inline constexpr char kClaimApproved[] = "claim.approved";
inline constexpr char kClaimRefundRequested[] = "claim.refund_requested";
inline constexpr char kClaimResolved[] = "claim.resolved";
inline constexpr char kClaimDenied[] = "claim.denied";

// The money movement (docs/money.md).
inline constexpr char kMoneyMovementRequested[] = "money_movement.requested";
inline constexpr char kMoneyMovementSucceeded[] = "money_movement.succeeded";
inline constexpr char kMoneyMovementFailed[] = "money_movement.failed";
inline constexpr char kMoneyMovementRetried[] = "money_movement.retried";
inline constexpr char kMoneyMovementCancelled[] = "money_movement.cancelled";

// The order, the policy, notifications and jobs.
inline constexpr char kOrderCreated[] = "order.created";
inline constexpr char kOrderUpdated[] = "order.updated";
inline constexpr char kOrderDelivered[] = "order.delivered";
inline constexpr char kPolicyUpdated[] = "policy.updated";
inline constexpr char kCustomerNotified[] = "customer.notified";
inline constexpr char kJobDeadLettered[] = "job.dead_lettered";

// The merchant's webhook endpoints (docs/integrations.md, "Webhooks"); order_id is empty.
inline constexpr char kWebhookEndpointCreated[] = "webhook_endpoint.created";
inline constexpr char kWebhookEndpointUpdated[] = "webhook_endpoint.updated";
inline constexpr char kWebhookEndpointSecretRotated[] = "webhook_endpoint.secret_rotated";
inline constexpr char kWebhookEndpointDeleted[] = "webhook_endpoint.deleted";
inline constexpr char kWebhookEndpointDisabled[] = "webhook_endpoint.disabled";

// The merchant's carrier accounts (docs/integrations.md); order_id is empty, never a credential.
inline constexpr char kCarrierAccountSet[] = "carrier_account.set";
inline constexpr char kCarrierAccountDeleted[] = "carrier_account.deleted";

// All of the above, in the order above (pointers, not string_views: a string_view of an array is
// not a constant expression in the sanitizer build, whose UBSan checks the pointer).
inline constexpr const char* kAllEventTypes[] = {
    kReturnRequested,
    kReturnApproved,
    kReturnRejected,
    kReturnCancelled,
    kReturnLabelIssued,
    kReturnLabelVoided,
    kReturnInTransit,
    kReturnDelivered,
    kReturnReceived,
    kReturnReviewRequested,
    kReturnResolved,
    kReturnRefundRequested,
    kReturnStoreCreditRequested,
    kReturnUpsellRequested,
    kReturnDownsellCreditRequested,
    kReturnBonusWithdrawn,
    kShipmentRequested,
    kShipmentAttached,
    kShipmentLabelCreated,
    kShipmentVoided,
    kShipmentLabelCancelled,
    kShipmentFulfillmentRequested,
    kShipmentShipped,
    kShipmentInTransit,
    kShipmentException,
    kShipmentDelivered,
    kExchangeTokenIssued,
    kExchangeTokenReissued,
    kExchangeTokenRedeemed,
    kExchangeTokenRevoked,
    kExchangeTokenExpired,
    kExchangeTokenInTransit,
    kExchangeTokenSettled,
    kExchangeTokenChargeDue,
    kExchangeTokenChargeReinstated,
    kExchangeTokenCharged,
    kExchangeTokenChargeFailed,
    kExchangeTokenChargeRefundDue,
    kClaimFiled,
    kClaimAwaitingEvidence,
    kClaimEvidenceAdded,
    kClaimEvidenceAssessed,
    kClaimEvidenceRequested,
    kClaimEvidenceExpired,
    kClaimEscalated,
    kClaimApproved,
    kClaimRefundRequested,
    kClaimResolved,
    kClaimDenied,
    kMoneyMovementRequested,
    kMoneyMovementSucceeded,
    kMoneyMovementFailed,
    kMoneyMovementRetried,
    kMoneyMovementCancelled,
    kOrderCreated,
    kOrderUpdated,
    kOrderDelivered,
    kPolicyUpdated,
    kCustomerNotified,
    kJobDeadLettered,
    kWebhookEndpointCreated,
    kWebhookEndpointUpdated,
    kWebhookEndpointSecretRotated,
    kWebhookEndpointDeleted,
    kWebhookEndpointDisabled,
    kCarrierAccountSet,
    kCarrierAccountDeleted,
};

}  // namespace returns::event_type
