package simulator

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// The team files are unmodified copies of the captured teams answers
// (testdata/espn/{nfl,nhl}/teams.json at the repository root). venues.json
// holds the venue of every home team seen in the captured NFL and NHL
// scoreboards and schedules, newest capture winning; a test checks each
// entry against the captures.
//
// mls-teams.json is derived, not captured: no MLS teams answer was
// captured, so it lists the MLS clubs of the MLS and soccer captures in
// the teams answer's shape (TestMLSTeamsComeFromCaptures checks each).
//
// athletes.json is derived from captures too (contest.go): the players of
// the Roland Garros capture's quarterfinals, and the fighters and the
// drivers (as TeamTracker's test scoreboard writes their names) of
// testdata/teamtracker/all.json.
//
//go:embed data/nfl-teams.json data/nhl-teams.json data/mls-teams.json data/venues.json data/athletes.json
var dataFS embed.FS

// team is what the simulator needs of one team, taken from the teams capture.
type team struct {
	id               string
	uid              string
	abbr             string
	displayName      string
	shortDisplayName string
	name             string
	location         string
	color            string
	alternateColor   string
	logo             string // the scoreboard form: a single URL
	logos            []capturedLogo
	venue            venue
	// strength skews who scores; drawn from the seed.
	strength float64
}

type capturedLogo struct {
	Href   string   `json:"href"`
	Width  int      `json:"width"`
	Height int      `json:"height"`
	Alt    string   `json:"alt"`
	Rel    []string `json:"rel"`
}

type venue struct {
	ID       string
	FullName string
	City     string
	State    string
	Indoor   bool
	// Captured is false for a placeholder: the captures hold no game at
	// that team's home.
	Captured bool
}

type teamsCapture struct {
	Sports []struct {
		Leagues []struct {
			Teams []struct {
				Team struct {
					ID               string         `json:"id"`
					UID              string         `json:"uid"`
					Abbreviation     string         `json:"abbreviation"`
					DisplayName      string         `json:"displayName"`
					ShortDisplayName string         `json:"shortDisplayName"`
					Name             string         `json:"name"`
					Location         string         `json:"location"`
					Color            string         `json:"color"`
					AlternateColor   string         `json:"alternateColor"`
					IsActive         bool           `json:"isActive"`
					IsAllStar        bool           `json:"isAllStar"`
					Logos            []capturedLogo `json:"logos"`
				} `json:"team"`
			} `json:"teams"`
		} `json:"leagues"`
	} `json:"sports"`
}

type capturedVenue struct {
	ID       string `json:"id"`
	FullName string `json:"fullName"`
	City     string `json:"city"`
	State    string `json:"state"`
	Indoor   bool   `json:"indoor"`
	Source   string `json:"source"`
}

// teamsFile returns the embedded teams capture of a league.
func teamsFile(leagueKey string) ([]byte, error) {
	return dataFS.ReadFile("data/" + leagueKey + "-teams.json")
}

// leagueTeams is one league's parsed teams. The map below is only read
// after package initialisation; each entry is written once, inside its
// Once, so simulations of several leagues (or several simulations) can
// load teams at the same time.
type leagueTeams struct {
	once  sync.Once
	proto []team
	err   error
}

var teamsByLeague = map[string]*leagueTeams{"nfl": {}, "nhl": {}, "mls": {}}

// loadTeams returns fresh copies of a league's teams (each simulation
// draws its own strengths), sorted by abbreviation so that every draw from
// the seed sees them in the same order. The files are parsed once.
func loadTeams(leagueKey string) ([]*team, error) {
	lt, ok := teamsByLeague[leagueKey]
	if !ok {
		return nil, fmt.Errorf("simulator: no teams for %s", leagueKey)
	}
	lt.once.Do(func() {
		ts, err := parseTeams(leagueKey)
		lt.err = err
		for _, t := range ts {
			lt.proto = append(lt.proto, *t)
		}
	})
	if lt.err != nil {
		return nil, lt.err
	}
	proto := lt.proto
	out := make([]*team, len(proto))
	for i := range proto {
		t := proto[i]
		out[i] = &t
	}
	return out, nil
}

func parseTeams(leagueKey string) ([]*team, error) {
	raw, err := teamsFile(leagueKey)
	if err != nil {
		return nil, fmt.Errorf("simulator: teams of %s: %w", leagueKey, err)
	}
	var doc teamsCapture
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("simulator: teams of %s: %w", leagueKey, err)
	}
	vraw, err := dataFS.ReadFile("data/venues.json")
	if err != nil {
		return nil, fmt.Errorf("simulator: venues: %w", err)
	}
	var venues map[string]map[string]capturedVenue
	if err := json.Unmarshal(vraw, &venues); err != nil {
		return nil, fmt.Errorf("simulator: venues: %w", err)
	}
	var out []*team
	for _, s := range doc.Sports {
		for _, l := range s.Leagues {
			for _, e := range l.Teams {
				rt := e.Team
				if !rt.IsActive || rt.IsAllStar || rt.ID == "" || rt.Abbreviation == "" {
					continue
				}
				t := &team{
					id:               rt.ID,
					uid:              rt.UID,
					abbr:             rt.Abbreviation,
					displayName:      rt.DisplayName,
					shortDisplayName: rt.ShortDisplayName,
					name:             rt.Name,
					location:         rt.Location,
					color:            rt.Color,
					alternateColor:   rt.AlternateColor,
					logos:            rt.Logos,
				}
				for _, lg := range rt.Logos {
					if hasRel(lg.Rel, "scoreboard") && !hasRel(lg.Rel, "dark") {
						t.logo = lg.Href
						break
					}
				}
				if t.logo == "" && len(rt.Logos) > 0 {
					t.logo = rt.Logos[0].Href
				}
				if v, ok := venues[leagueKey][rt.ID]; ok {
					t.venue = venue{ID: v.ID, FullName: v.FullName, City: v.City, State: v.State, Indoor: v.Indoor, Captured: true}
					if t.venue.ID == "" {
						t.venue.ID = "9" + rt.ID
					}
				} else {
					// No capture shows a game at this team's home; a name
					// that cannot pass for a real venue is better than a
					// guessed one.
					kind := "Stadium"
					if leagueKey == "nhl" {
						kind = "Arena"
					}
					t.venue = venue{ID: "9" + rt.ID, FullName: rt.Location + " Home " + kind + " (simulated)", City: rt.Location}
				}
				out = append(out, t)
			}
		}
	}
	if len(out) < 2 || len(out)%2 != 0 {
		return nil, fmt.Errorf("simulator: %s teams capture holds %d active teams, need an even number of at least 2", leagueKey, len(out))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].abbr < out[j].abbr })
	return out, nil
}

func hasRel(rels []string, want string) bool {
	for _, r := range rels {
		if r == want {
			return true
		}
	}
	return false
}

// findTeam resolves an ESPN team id or abbreviation, as ESPN's schedule
// path accepts both.
func findTeam(teams []*team, ref string) *team {
	for _, t := range teams {
		if t.id == ref || strings.EqualFold(t.abbr, ref) {
			return t
		}
	}
	return nil
}
