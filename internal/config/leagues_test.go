package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// LEAGUES takes the leagues of athletes and any ESPN league by its paths
// (TeamTracker's custom league); a bad one stops the start with a line
// naming the variable.
func TestLeaguesOfAthletesAndCustomLeagues(t *testing.T) {
	c, err := Load(env("LEAGUES", "atp,wta,ufc,pga,lpga,f1,irl,nascar,cricket/8044,bbl=cricket/8043"))
	require.NoError(t, err)
	var keys []string
	for _, l := range c.Leagues {
		keys = append(keys, l.Key)
	}
	assert.Equal(t, []string{"atp", "wta", "ufc", "pga", "lpga", "f1", "irl", "nascar", "cricket8044", "bbl"}, keys)
	assert.True(t, c.Leagues[8].Custom)
	assert.Equal(t, "8043", c.Leagues[9].ESPNLeague)

	for _, bad := range []string{"cricket/", "cricket/8044/x", "nfl=cricket/8044", "1x=cricket/8044"} {
		_, err := Load(env("LEAGUES", bad))
		require.Error(t, err, bad)
		assert.Regexp(t, `^LEAGUES: custom league`, err.Error(), bad)
	}
}
