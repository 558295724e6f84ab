// Package payment lets borrowers pay their mortgage online through a payment
// processor, and turns the processor's signed confirmation into an Event that
// the ledger can post exactly once.
//
// # Flow
//
// The portal makes an Intent (with NewIntentID), asks a Gateway for a hosted
// checkout URL and redirects the person there. The person pays on the
// processor's page and comes back to Intent.ReturnURL. Coming back proves
// nothing: a payment is known only when the processor's webhook arrives and
// Gateway.Verify accepts it. Two gateways exist: HTTPGateway for a real
// processor (through an adapter that speaks the contract below) and Sandbox
// for demo mode and tests, which needs no network.
//
// # Posting exactly once
//
// Processors deliver webhooks at least once: an event may arrive several
// times, late, or out of order. Event.ID repeats on every redelivery of an
// event; Event.PaymentID names the payment and is the idempotency key for
// posting it. The ledger must record the payment id, under a uniqueness
// constraint, in the same transaction that posts the payment, and treat a
// second attempt as already done. Verify knows nothing about the intent: the
// caller must look up Event.IntentID and compare the credit and Event.Amount
// with what was asked for before posting.
//
// # Checkout contract
//
// HTTPGateway.Checkout sends
//
//	POST <baseURL>/v1/checkouts
//	Authorization: Bearer <apiKey>
//	Content-Type: application/json
//	Idempotency-Key: <intent id>
//
//	{"intent_id":"pay_…","amount_cents":123456,"currency":"MXN",
//	 "description":"…","return_url":"https://…"}
//
// and expects 201 Created with {"url":"https://…"}, the page to send the
// person to. The URL must be https (http only when baseURL itself is http,
// for tests). The credit number is not sent to the processor.
//
// # Webhook contract
//
// The processor (or the adapter in front of it) notifies the portal with
//
//	POST <portal webhook URL>
//	Content-Type: application/json
//	Pago-Firma: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>
//
//	{"id":"evt_…","type":"payment.paid","data":{"payment_id":"…",
//	 "intent_id":"pay_…","amount_cents":123456,"currency":"MXN",
//	 "paid_at":"2025-03-01T12:34:56Z"}}
//
// The body is at most 64 KiB (MaxWebhookBody). Its fields:
//
//   - id: the processor's event id, the same on every redelivery.
//   - type: "payment.paid", "payment.failed" or "payment.cancelled" (Event
//     Status "paid", "failed", "cancelled"). Any other type is refused with
//     an error wrapping ErrUnsupportedType, so a handler may acknowledge and
//     ignore it.
//   - data.payment_id: the processor's payment id, stable across redeliveries.
//   - data.intent_id: the Intent.ID the checkout was made for.
//   - data.amount_cents: whole centavos actually charged, a JSON integer;
//     greater than zero for payment.paid, zero or absent otherwise.
//   - data.currency: always "MXN".
//   - data.paid_at: RFC 3339; required for payment.paid, optional otherwise.
//
// Ids are 1 to 255 printable ASCII characters without spaces; intent_id
// must have the form NewIntentID makes. Unknown fields are ignored.
//
// The Pago-Firma header appears once. It is a comma-separated list of
// key=value elements: exactly one t, the decimal Unix time at which the
// processor signed, and one or more v1, each a hex HMAC-SHA256 keyed with the
// webhook secret over the bytes of t exactly as written, a ".", and the raw
// body. Several v1 values let the processor sign with the old and the new
// secret while the secret is rotated; one match is enough. Other keys (v0,
// …) are ignored. Sign builds the header.
//
// Verify refuses, and nothing it refuses may reach the ledger:
//
//   - with portal.EUNAUTHORIZED: a missing, repeated or garbled header, a t
//     more than five minutes (Tolerance) before or after now, or no v1 that
//     matches (compared in constant time);
//   - with portal.EINVALID: a body over 64 KiB, or one that is not JSON or
//     breaks the field rules above;
//   - with portal.EINTERNAL: no webhook secret configured.
//
// A webhook handler should answer 2xx only once the ledger has posted the
// payment or found it already posted, so that the processor redelivers after
// any failure; 401 or 400 for refusals; 5xx when the ledger is unavailable.
package payment
