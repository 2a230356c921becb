package hadiscovery

import "encoding/json"

// refresh brings the broker to the current set of teams and their states.
func (p *Publisher) refresh() {
	want, settled := p.teams()
	clubs := p.clubsOf(want)
	p.mu.Lock()
	p.followed, p.clubs = want, clubs
	p.st.Teams = sortedKeys(want)
	var stale []string
	if settled {
		for id := range p.leftover {
			if _, ok := want[id]; !ok {
				stale = append(stale, id)
			}
		}
	}
	p.mu.Unlock()
	if !p.online() {
		return
	}
	p.retain(p.t.status(), []byte(Online))
	for id := range p.announced {
		if _, ok := want[id]; !ok {
			p.remove(id)
		}
	}
	for _, id := range stale {
		p.remove(id)
	}
	for _, id := range sortedKeys(want) {
		p.announce(want[id])
	}
}

// announce publishes a team's configurations and its current states.
func (p *Publisher) announce(tm team) {
	for _, c := range components {
		p.retain(p.t.config(c, tm.ID), p.t.discoveryConfig(c, tm, p.o.Version))
	}
	if _, was := p.announced[tm.ID]; !was {
		p.log.Info("team announced to Home Assistant", "team", tm.ID, "name", tm.Name)
	}
	p.announced[tm.ID] = tm
	p.announceStanding(tm)
	sensor, err := p.o.Sensors.Sensor(tm.match)
	if err != nil {
		p.log.Debug("no sensor for an announced team", "team", tm.ID, "err", err)
		return
	}
	if sensor.UpdatedAt == "" {
		// Before its league's first poll the sensor knows no game: not a
		// state (NOT_FOUND) worth pushing to Home Assistant.
		return
	}
	state, attrs := sensor.State, sensor.Attributes
	ab, err := json.Marshal(attrs)
	if err != nil {
		p.log.Warn("sensor attributes not encodable", "team", tm.ID, "err", err)
		return
	}
	live := "OFF"
	if state == "IN" {
		live = "ON"
	}
	p.retainAs(p.t.attributes(tm.ID), ab, attributesKey(attrs, ab))
	p.retain(p.t.state(tm.ID), []byte(state))
	p.retain(p.t.live(tm.ID), []byte(live))
}

// remove takes a team's entities out of Home Assistant: an empty retained
// configuration deletes an entity, an empty retained state clears the
// broker's copy.
func (p *Publisher) remove(id string) {
	ok := true
	for _, c := range components {
		topic := p.t.config(c, id)
		if p.publish(topic, nil, 1, true) {
			p.sent[topic] = ""
			delete(p.last, topic)
		} else {
			ok = false
		}
	}
	for _, topic := range append(p.t.stateTopics(id), p.t.standingTopics(id)...) {
		if p.publish(topic, nil, 1, true) {
			p.sent[topic] = ""
			delete(p.last, topic)
		} else {
			ok = false
		}
	}
	if ok {
		delete(p.announced, id)
		p.mu.Lock()
		delete(p.leftover, id)
		p.mu.Unlock()
		p.log.Info("team no longer followed; its Home Assistant entities removed", "team", id)
	}
}

// pollStamp is the attribute that says when ESPN answered (TeamTracker's
// last_update): it changes on every poll.
const pollStamp = "last_update"

// attributesKey is what decides whether the attributes are published again:
// all of them but pollStamp. Home Assistant writes a state row for every
// attributes message that differs from the last, so republishing on every
// poll for the stamp alone would add a row per poll to its recorder; a poll
// that changes nothing else publishes nothing, and the stamp published is
// that of the last poll that changed something.
func attributesKey(attrs any, encoded []byte) string {
	m, ok := attrs.(map[string]any)
	if !ok {
		return string(encoded)
	}
	if _, has := m[pollStamp]; !has {
		return string(encoded)
	}
	rest := make(map[string]any, len(m))
	for k, v := range m {
		if k != pollStamp {
			rest[k] = v
		}
	}
	b, err := json.Marshal(rest)
	if err != nil {
		return string(encoded)
	}
	return string(b)
}
