package game

import "time"

// Standing is one team's entry of a league table, as ESPN's standings
// answer gives it (docs/espn.md, Standings).
type Standing struct {
	TeamID   string `json:"team_id"` // ESPN's id
	Team     string `json:"team"`    // abbreviation, upper case
	TeamName string `json:"team_name,omitempty"`
	// Group is the table the entry is in: a conference, or a soccer
	// league's season ("American Football Conference", "AFC").
	Group     string `json:"group"`
	GroupAbbr string `json:"group_abbr,omitempty"`
	// Position is the place in the group's table, from 1.
	Position      int     `json:"position"`
	GamesPlayed   int     `json:"games_played"`
	Wins          int     `json:"wins"`
	Losses        int     `json:"losses"`
	Ties          int     `json:"ties"` // draws in soccer
	OTLosses      int     `json:"ot_losses"`
	Points        float64 `json:"points"`
	PointsFor     int     `json:"points_for"`
	PointsAgainst int     `json:"points_against"`
	WinPercent    float64 `json:"win_percent"`
	GamesBehind   float64 `json:"games_behind"`
	Streak        string  `json:"streak,omitempty"`
	Clincher      string  `json:"clincher,omitempty"`
	// Note is what the position qualifies for ("Champions League").
	Note string `json:"note,omitempty"`
	// Summary is ESPN's overall record ("13-4", "25-9-4").
	Summary string `json:"summary,omitempty"`
}

// Table is a league's standings as ESPN answered them at one time:
// Entries by group, then position.
type Table struct {
	League  string // registry key: "nfl"
	Season  int
	TakenAt time.Time
	Entries []Standing
}
