package main

import (
	"log/slog"

	"github.com/sports-data/sports-data/internal/config"
	"github.com/sports-data/sports-data/internal/hadiscovery"
	"github.com/sports-data/sports-data/internal/httpapi"
	"github.com/sports-data/sports-data/internal/metrics"
	"github.com/sports-data/sports-data/internal/teams"
	"github.com/sports-data/sports-data/internal/userteams"
)

// newMQTT builds the Home Assistant discovery publisher from the MQTT
// settings and exports its counters.
func newMQTT(cfg *config.Config, dir *teams.Directory, fav *userteams.Store, sensors hadiscovery.Sensors, leagues []string, logger *slog.Logger, m *metrics.Metrics) (*hadiscovery.Publisher, error) {
	pub, err := hadiscovery.New(hadiscovery.Options{
		URL:             cfg.MQTTURL,
		Username:        cfg.MQTTUsername,
		Password:        cfg.MQTTPassword,
		DiscoveryPrefix: cfg.MQTTDiscoveryPrefix,
		TopicPrefix:     cfg.MQTTTopicPrefix,
		Teams:           cfg.MQTTTeams,
		Leagues:         leagues,
		Directory:       dir,
		Favorites:       fav,
		Sensors:         sensors,
		Version:         version,
		Logger:          logger,
	})
	if err != nil {
		return nil, err
	}
	m.WatchMQTT(func() metrics.MQTTStats {
		s := pub.Status()
		return metrics.MQTTStats{Connected: s.Connected, Published: s.Published, PublishErrors: s.PublishErrors, EventsDropped: s.EventsDropped, EventsQueued: s.EventsQueued}
	})
	return pub, nil
}

// mqttHealth is the mqtt section of /health.
type mqttHealth struct{ p *hadiscovery.Publisher }

func (h mqttHealth) Health() httpapi.MQTTStatus {
	s := h.p.Status()
	return httpapi.MQTTStatus{
		Enabled: s.Enabled, Connected: s.Connected, LastError: s.LastError, LastErrorAt: s.LastErrorAt,
		Published: s.Published, PublishErrors: s.PublishErrors, EventsQueued: s.EventsQueued, EventsDropped: s.EventsDropped,
		Teams: s.Teams,
	}
}
