// Package webhook holds webhook registrations and delivers game events
// (game_start, score_change, game_end), signed, with retries, to every
// webhook that subscribed.
//
// # Events
//
// Events come from package events, which detects them in each poll, gives
// each its event_id and builds its payload; the Service is one of its
// subscribers (Service.Events), beside MQTT. An event_id is the same for
// the same happening however often it is detected, so an id once
// delivered to a webhook is not delivered to it again.
//
// # Stages
//
// An event goes through the stages of the files named for them:
// dedup (event ids: an id already queued for or delivered to a webhook is
// not queued again), queue (queue.go: one FIFO and worker per webhook),
// retry and send (deliver.go, with the hold after a receiver's outage in
// receiver.go) and, beside them, persistence (persist.go, outbox.go).
// Registration and validation are in register.go, signatures in
// signature.go; the body is the event's payload (package events) with the
// webhook's id.
//
// # Delivery
//
// Each webhook has its own FIFO queue and goroutine (started by Service.Run),
// so events reach one webhook in the order they happened and a slow or dead
// receiver delays nobody else. delay_seconds holds each event back from the
// moment it was observed. An attempt times out after 5 s; any 2xx is
// success; network errors, timeouts, 408, 429 and 5xx are retried after
// waits drawn below 1 s, 2 s, 4 s, … up to 30 s (the service's one retry
// policy, internal/retry), or after the receiver's
// Retry-After (capped at 60 s) on 429 and 503, until Options.RetryWindow
// (10 min) after the event was due: a receiver that restarts (Home
// Assistant) gets every event when it is back, in order. An event still
// undelivered then is dropped and counted (Stats.Expired, outcome
// "expired"); the body's occurred_at lets an automation skip one that
// arrives late. A receiver found unreachable (no connection, no answer,
// 502, 503, 504) is held: no event goes to it, from any webhook, until it
// has answered for Options.RecoveryHold (receiver.go), because Home
// Assistant answers 200 before its automations are loaded. Other 4xx and
// every 3xx (redirects are not followed) fail
// at once. 410 Gone disables the webhook
// for good and drops its queue. A queue holds at most 1000 events; more are
// dropped and counted.
//
// A webhook URL is a secret (a Home Assistant webhook id is a password):
// answers and logs show it with its password and last path segment masked.
//
// Home Assistant answers 200 even to an unknown webhook id, so a 2xx proves
// that the request arrived, not that an automation ran.
//
// # Verifying a delivery
//
// Each POST carries the JSON body and:
//
//	Content-Type: application/json
//	User-Agent: sports-data/<version>
//	X-Webhook-Event: score_change
//	X-Webhook-ID: <event_id>            (also "event_id" in the body)
//	X-Webhook-Timestamp: <unix seconds>
//	X-Webhook-Signature: hex(HMAC-SHA256(secret, body))
//	webhook-id: <event_id>
//	webhook-timestamp: <unix seconds>
//	webhook-signature: v1,base64(HMAC-SHA256(secret, "<id>.<timestamp>.<body>"))
//
// Verify checks both signatures and the headers' agreement; it is what the
// service's own receivers (demo, soak, tests) use. The HMAC key is the
// secret exactly as registered (its UTF-8 bytes). Libraries
// for Standard Webhooks that expect a "whsec_<base64>" secret verify these
// deliveries when given "whsec_" + base64(secret). The timestamp is that of
// the attempt; the body and id are the same on every attempt.
//
// # Files in DATA_DIR
//
//   - webhooks.json: registrations (with their secrets; mode 0600) and
//     delivery counters.
//   - webhook-outbox.log: pending deliveries (the exact bodies), a journal
//     written in proportion to events: a line (fsynced before Events
//     returns) for each delivery queued, a short line when one ends or a
//     webhook's queue is dropped; retries and polls without events write
//     nothing. Compacted at start, at stop and when it has grown past
//     twice what is pending. Deliveries not sent when Run stops (including
//     one interrupted mid-request) stay here and are sent after the next
//     start, with the same id and body; a receiver that did get the
//     interrupted one sees the same webhook-id twice. The single-file
//     webhook-outbox.json of earlier versions is carried over and removed.
//   - webhook-delivered.log: one line per delivered (webhook, event id),
//     kept 7 days, appended with an fsync after each delivery and compacted
//     at start, at stop and when it has grown.
//
// Registrations' counters are written at most every 30 s (and at stop).
// The JSON files are replaced atomically (temp file, fsync, rename), so a
// crash leaves the old or the new version. A crash can tear at most the last
// line of the log, which is skipped when loading, as is any line that does
// not parse or is over 1 MiB long (damage). At start, temporary files that
// interrupted writes of these files left are removed.
package webhook
