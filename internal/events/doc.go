// Package events turns each poll's changes into game events (game_start,
// score_change, game_end) and hands them to its subscribers: webhook
// delivery and MQTT discovery today, each of equal rank, and whatever
// else wants to follow games as they happen.
//
// # Detection
//
// The poller calls Detector.Observe after every poll of a league with every
// game it saw; Detect compares each game with its previous observation (see
// Detect for the rules). Postponed, suspended and canceled games produce no
// event. A game seen for the first time produces none either: at start-up,
// Detector.Seed supplies the stored state of unfinished games so that what
// happened while the service was down is still reported, once. An ending
// first observed when the game had been over longer than Options.StaleAfter
// (estimated from the start time and the league's usual game length, since
// ESPN gives no end time) is not handed on.
//
// # Identity
//
// Every event has an id derived from league, game, event type and the
// scores before and after (and, for score changes, how often the score has
// gone down before in that game), so the same happening always has the same
// id: retries, restarts and re-detections reuse it. A Detector hands an id
// on once for as long as it remembers the game; a subscriber that must see
// an id once across restarts (webhook delivery) keeps what it has done.
//
// # Payload and delay
//
// Event.Payload is the JSON body of an event seen from one team, the same
// for every subscriber (a webhook adds its own id). Event.Due is when a
// subscriber that holds events back (a webhook's delay_seconds, so as not
// to spoil a TV picture that runs behind) may pass one on.
//
// # Order and durability
//
// Subscribers are handed each poll's events in the order they happened, on
// the poller's goroutine, before the Detector writes the games' new state
// to DATA_DIR (webhook-games.json, written whole and atomically): a
// subscriber that writes an event down before returning never loses it to
// a crash, because the next start detects it again from the older state.
package events
