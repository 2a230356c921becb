package history

import (
	"time"

	"github.com/sports-data/sports-data/internal/game"
	"github.com/sports-data/sports-data/internal/gamepoint"
	"github.com/sports-data/sports-data/internal/league"
	"github.com/sports-data/sports-data/internal/store"
)

// HistoricalGame is one stored game as the history and schedule routes
// present it. Status uses the API words (final, not finished).
type HistoricalGame struct {
	GameID        string      `json:"game_id"`
	League        string      `json:"league"` // upper case: "NFL"
	Season        int         `json:"season"`
	SeasonType    int         `json:"season_type"`
	Week          int         `json:"week"`
	StartTime     string      `json:"start_time"` // ESPN's form: "2023-09-08T00:20Z"
	HomeTeam      string      `json:"home_team"`
	AwayTeam      string      `json:"away_team"`
	HomeTeamName  string      `json:"home_team_name"`
	AwayTeamName  string      `json:"away_team_name"`
	HomeScore     int         `json:"home_score"`
	AwayScore     int         `json:"away_score"`
	Status        game.Status `json:"status"`
	Period        int         `json:"period"`
	TimeRemaining string      `json:"time_remaining"`

	start     time.Time
	leagueKey string
}

// Statistics is a team's record over the final games of a selection.
// WinPercentage is (wins + ties/2) / games played, rounded to three places,
// the way the NFL computes it; games played counts NHL overtime losses.
type Statistics struct {
	Team              string  `json:"team"`
	Season            *int    `json:"season"` // null when the selection spans seasons
	GamesPlayed       int     `json:"games_played"`
	Wins              int     `json:"wins"`
	Losses            int     `json:"losses"`
	Ties              int     `json:"ties"`
	OTLosses          int     `json:"ot_losses"`
	WinPercentage     float64 `json:"win_percentage"`
	PointsFor         int     `json:"points_for"`
	PointsAgainst     int     `json:"points_against"`
	PointDifferential int     `json:"point_differential"`
	HomeRecord        string  `json:"home_record"`
	AwayRecord        string  `json:"away_record"`
	Streak            string  `json:"streak"`
	// Form is the last five results, oldest first ("WWDLW"), with the
	// streak's letters.
	Form string `json:"form,omitempty"`
	// Soccer tables: Ties are draws, Points are three per win and one per
	// draw, GoalDifference is goals for minus against. Absent elsewhere.
	Points         *int `json:"points,omitempty"`
	GoalDifference *int `json:"goal_difference,omitempty"`
}

// HistoryPage is the answer of GET /api/v1/games/history.
type HistoryPage struct {
	Games      []HistoricalGame `json:"games"`
	Total      int              `json:"total"`
	Page       int              `json:"page"`
	PageSize   int              `json:"page_size"`
	TotalPages int              `json:"total_pages"`
	Statistics *Statistics      `json:"statistics,omitempty"`
}

// TimelineEntry is one observed change of a game.
type TimelineEntry struct {
	Time          time.Time   `json:"time"`
	HomeScore     int         `json:"home_score"`
	AwayScore     int         `json:"away_score"`
	Period        int         `json:"period"`
	TimeRemaining string      `json:"time_remaining"`
	Status        game.Status `json:"status"`
}

// Timeline is the answer of GET /api/v1/games/timeline/{game_id}.
// FinalScore is null until the game is final; DurationMinutes is null
// unless both the first live and the first final observation are stored.
type Timeline struct {
	GameID          string          `json:"game_id"`
	League          string          `json:"league"`
	HomeTeam        string          `json:"home_team"`
	AwayTeam        string          `json:"away_team"`
	Timeline        []TimelineEntry `json:"timeline"`
	FinalScore      *game.Score     `json:"final_score"`
	DurationMinutes *int            `json:"duration_minutes"`
}

// ScheduleResult is the answer of GET /api/v1/games/schedule/{team}.
type ScheduleResult struct {
	Team       string           `json:"team"`
	TeamName   string           `json:"team_name,omitempty"`
	League     string           `json:"league"`
	Season     int              `json:"season"`
	Games      []HistoricalGame `json:"games"`
	Statistics Statistics       `json:"statistics"`
}

// espnTime is the form ESPN writes dates in, which the live routes pass
// through unchanged; history uses it too so clients parse one form.
const espnTime = "2006-01-02T15:04Z"

// fromPoint is a stored games row as history shows it, read through
// package gamepoint like every other reader of stored points.
func fromPoint(l league.League, p store.Point) HistoricalGame {
	g, _ := gamepoint.Game(l.Key, p)
	t := p.Time.UTC()
	return HistoricalGame{
		GameID:        g.ID,
		League:        l.Name,
		Season:        g.Season,
		SeasonType:    g.SeasonType,
		Week:          g.Week,
		StartTime:     t.Format(espnTime),
		HomeTeam:      g.HomeTeam.Abbreviation,
		AwayTeam:      g.AwayTeam.Abbreviation,
		HomeTeamName:  g.HomeTeam.Name,
		AwayTeamName:  g.AwayTeam.Name,
		HomeScore:     g.Score.Home,
		AwayScore:     g.Score.Away,
		Status:        g.Status,
		Period:        g.Period.Current,
		TimeRemaining: g.Period.TimeRemaining,
		start:         t,
		leagueKey:     l.Key,
	}
}
