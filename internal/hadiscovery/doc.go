// Package hadiscovery puts the followed teams into Home Assistant through
// MQTT discovery: no YAML on the Home Assistant side, states pushed the
// moment they change.
//
// # What is announced
//
// The teams of MQTT_TEAMS (any spelling the team resolver takes) and the
// default user's saved teams. Each team is one Home Assistant device with
// three entities:
//
//   - sensor "Game": state and attributes exactly as
//     GET /api/v1/ha/sensor/{team} answers them (TeamTracker's shape: PRE,
//     IN, POST, BYE, NOT_FOUND, and TeamTracker's attributes);
//   - binary_sensor "Live": ON while the sensor's state is IN;
//   - event "Game event": the game events (game_start, score_change,
//     game_end) with the payload and event_id a webhook for that team gets:
//     the publisher and webhook delivery are both subscribers of event
//     detection (package events).
//
// # Topics
//
// With the defaults (MQTT_DISCOVERY_PREFIX homeassistant, MQTT_TOPIC_PREFIX
// sports-data) and the team nfl-ne:
//
//	homeassistant/sensor/sports-data/nfl-ne/config         discovery, retained
//	homeassistant/binary_sensor/sports-data/nfl-ne/config  discovery, retained
//	homeassistant/event/sports-data/nfl-ne/config          discovery, retained
//	sports-data/nfl-ne/state       PRE, IN, POST, …  retained, published on change
//	sports-data/nfl-ne/attributes  JSON              retained, published on change
//	sports-data/nfl-ne/live        ON or OFF         retained, published on change
//	sports-data/nfl-ne/event       JSON, QoS 1, not retained
//	sports-data/status             online or offline (the last will), retained
//
// Every entity names sports-data/status as its availability topic, so Home
// Assistant shows them unavailable when the service dies without saying
// goodbye. Configurations and states are published again on every
// (re)connection and whenever Home Assistant's birth message
// (homeassistant/status = online) arrives. A team no longer followed gets
// an empty retained configuration for each entity (which removes it from
// Home Assistant) and its retained states are cleared; this also happens
// after a restart, for configurations a previous run left on the broker.
//
// # Broker trouble
//
// The service starts without the broker; the client reconnects with
// backoff (1 s doubling to 30 s). Nothing waits on the broker: Observe and
// Events only wake the publisher's goroutine. States are kept
// as the latest value per topic (a broker outage costs intermediate
// states, never the current one); events wait in a bounded queue of
// Options.EventQueue and further ones are dropped and counted. /health
// shows whether the client is connected, its last error and what it
// published and dropped.
package hadiscovery
