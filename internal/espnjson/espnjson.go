// Package espnjson is ESPN's JSON as the service reads it: one set of
// types for the scoreboard, team schedule and team list answers
// (docs/espn.md describes what the service relies on). Package espn
// decodes an answer into them once and derives the API's games from them;
// each game keeps its scoreboard event (game.Source), so the views that
// show ESPN's own fields (the TeamTracker sensor) read the same decoded
// event instead of ESPN's JSON again.
//
// Fields a view passes on as ESPN sent them are Values; fields only the
// service's own parsing reads have the Go type it reads them as.
package espnjson

// Events is a scoreboard or team schedule answer.
type Events struct {
	// Leagues is the scoreboard's league (name and logos).
	Leagues []League `json:"leagues"`
	Events  []Event  `json:"events"`
	// Season and Week are only present on scoreboard requests without dates.
	Season *Season `json:"season"`
	Week   *Week   `json:"week"`
	// RequestedSeason is the team schedule's season; its top-level season is
	// the one current when the request was made, not the listed one.
	RequestedSeason *Season `json:"requestedSeason"`
}

// League is a scoreboard's league.
type League struct {
	Name  Value  `json:"name"`
	Logos []Link `json:"logos"`
}

// Link is one of ESPN's links (or logos): its address.
type Link struct {
	Href Value `json:"href"`
}

// Season is an event's or an answer's season.
type Season struct {
	Year Number `json:"year"`
	Type Number `json:"type"`
	Slug Value  `json:"slug"`
}

// Week is the week of a season.
type Week struct {
	Number Number `json:"number"`
}

// Event is one game: its competitions hold the teams and the score. Team
// sports have one competition of two competitors.
type Event struct {
	ID           Value         `json:"id"`
	Date         Value         `json:"date"`
	ShortName    Value         `json:"shortName"`
	Season       Season        `json:"season"`
	SeasonType   Season        `json:"seasonType"`
	Week         Week          `json:"week"`
	TimeValid    *bool         `json:"timeValid"`
	Status       *Status       `json:"status"`
	Links        []Link        `json:"links"`
	Competitions []Competition `json:"competitions"`
	// UID is "s:<sport>~l:<league>~e:<event>"; League names the event's
	// competition where an answer spans several (a club's fixtures).
	UID    Value        `json:"uid"`
	League *EventLeague `json:"league"`
	// Individual sports and cricket (docs/espn.md, Individual sports):
	// Name is the event's long name ("UFC Fight Night: Cannonier vs.
	// Strickland"), Groupings the tennis draws (each with its matches),
	// Circuit a race's track.
	Name      Value      `json:"name"`
	Groupings []Grouping `json:"groupings"`
	Circuit   *Venue     `json:"circuit"`
}

// Grouping is one draw of a tennis tournament ("Men's Singles") and its
// matches.
type Grouping struct {
	Grouping struct {
		DisplayName Value `json:"displayName"`
	} `json:"grouping"`
	Competitions []Competition `json:"competitions"`
}

// Contests are the competitions of the event's groupings where it has
// groupings (a tennis tournament's matches), else its competitions, in
// ESPN's order.
func (e *Event) Contests() []*Competition {
	var out []*Competition
	for i := range e.Groupings {
		for j := range e.Groupings[i].Competitions {
			out = append(out, &e.Groupings[i].Competitions[j])
		}
	}
	if len(e.Groupings) > 0 {
		return out
	}
	for i := range e.Competitions {
		out = append(out, &e.Competitions[i])
	}
	return out
}

// EventLeague is the competition an event names itself.
type EventLeague struct {
	ID   Value `json:"id"`
	Slug Value `json:"slug"`
}

// Status is where an event (or a competition) stands.
type Status struct {
	DisplayClock Value `json:"displayClock"`
	Period       Value `json:"period"`
	Type         struct {
		Name        string `json:"name"`
		State       string `json:"state"`
		Completed   bool   `json:"completed"`
		Description Value  `json:"description"`
		Detail      Value  `json:"detail"`
		ShortDetail Value  `json:"shortDetail"`
	} `json:"type"`
	// Cricket: the session of play and where the match stands ("Scorchers
	// require 31 runs", "India won by 3 wkts").
	Session Value `json:"session"`
	Summary Value `json:"summary"`
}

// Competition is the contest of an event's competitors.
type Competition struct {
	ID        Value   `json:"id"`
	Date      Value   `json:"date"`
	TimeValid *bool   `json:"timeValid"`
	Status    *Status `json:"status"`
	Format    struct {
		Regulation struct {
			Periods Number `json:"periods"`
		} `json:"regulation"`
	} `json:"format"`
	Series *struct {
		Summary Value `json:"summary"`
	} `json:"series"`
	Venue       *Venue       `json:"venue"`
	Broadcasts  []Broadcast  `json:"broadcasts"`
	Notes       []Note       `json:"notes"`
	Odds        []Odds       `json:"odds"`
	Situation   *Situation   `json:"situation"`
	Details     []Play       `json:"details"`
	Competitors []Competitor `json:"competitors"`
	// Type names a competition of an individual sport: a tennis draw
	// ("Men's Singles"), a weight class, a race session (abbreviation
	// "FP1", "Qual", "Race"). Round is a tennis match's round; Class a
	// cricket match's format ("Twenty20").
	Type  *CompetitionType `json:"type"`
	Round *struct {
		DisplayName Value `json:"displayName"`
	} `json:"round"`
	Class *struct {
		GeneralClassCard Value `json:"generalClassCard"`
	} `json:"class"`
}

// CompetitionType is what kind of contest a competition is.
type CompetitionType struct {
	Text         Value `json:"text"`
	Abbreviation Value `json:"abbreviation"`
}

// Venue is where a competition is played.
type Venue struct {
	FullName Value `json:"fullName"`
	Court    Value `json:"court"` // a tennis match's court
	Address  *struct {
		City    *string `json:"city"`
		State   *string `json:"state"`
		Country *string `json:"country"`
		Summary Value   `json:"summary"`
	} `json:"address"`
}

// Broadcast names who shows a competition.
type Broadcast struct {
	// Scoreboard form: {"market":"national","names":["CBS"]}.
	Names []Value `json:"names"`
	// Team schedule form: {"media":{"shortName":"NBC"}, ...}.
	Media struct {
		ShortName string `json:"shortName"`
	} `json:"media"`
}

// Note is a competition's headline ("NFC Wild Card").
type Note struct {
	Headline string `json:"headline"`
}

// Odds are a pre-game betting line.
type Odds struct {
	Provider struct {
		Name string `json:"name"`
	} `json:"provider"`
	Details   Value  `json:"details"`
	OverUnder Value  `json:"overUnder"`
	Spread    Number `json:"spread"`
}

// Situation is a live competition's moment: down and distance, the ball,
// baseball's count and bases, the last play and the win probabilities.
type Situation struct {
	Balls            Value `json:"balls"`
	Strikes          Value `json:"strikes"`
	Outs             Value `json:"outs"`
	OnFirst          Value `json:"onFirst"`
	OnSecond         Value `json:"onSecond"`
	OnThird          Value `json:"onThird"`
	Possession       Value `json:"possession"`
	DownDistanceText Value `json:"downDistanceText"`
	HomeTimeouts     Value `json:"homeTimeouts"`
	AwayTimeouts     Value `json:"awayTimeouts"`
	LastPlay         *Play `json:"lastPlay"`
}

// Play is one of a competition's key plays (soccer's goals and cards in
// details[]) or a live game's last play (situation.lastPlay). ScoreValue
// is the points the play scored, 0 for any other play; the soccer flags
// are sent on details only.
type Play struct {
	Text  Value `json:"text"`
	Clock *struct {
		Value        Number  `json:"value"`
		DisplayValue *string `json:"displayValue"`
	} `json:"clock"`
	Type *struct {
		Text *string `json:"text"`
	} `json:"type"`
	Team *struct {
		ID Value `json:"id"`
	} `json:"team"`
	AthletesInvolved []struct {
		DisplayName *string `json:"displayName"`
	} `json:"athletesInvolved"`
	ScoreValue  Number `json:"scoreValue"`
	ScoringPlay Value  `json:"scoringPlay"`
	OwnGoal     Value  `json:"ownGoal"`
	PenaltyKick Value  `json:"penaltyKick"`
	Shootout    Value  `json:"shootout"`
	Probability *struct {
		HomeWinPercentage Value `json:"homeWinPercentage"`
		AwayWinPercentage Value `json:"awayWinPercentage"`
	} `json:"probability"`
}

// Competitor is one side of a competition.
type Competitor struct {
	ID       Value  `json:"id"`
	Type     string `json:"type"`
	HomeAway Value  `json:"homeAway"`
	// Score: a string on the scoreboard, an object on the team schedule
	// (Value.Score reads both).
	Score         Value `json:"score"`
	ShootoutScore Value `json:"shootoutScore"`
	Winner        Value `json:"winner"`
	// CuratedRank is the college poll rank; 99 means unranked.
	CuratedRank *struct {
		Current Value `json:"current"`
	} `json:"curatedRank"`
	Records []Record `json:"records"`
	// Record is the schedule's list of records, or on NHL playoff
	// scoreboards a string holding the series score, which is not a season
	// record.
	Record     Value `json:"record"`
	Statistics []struct {
		Name         string `json:"name"`
		DisplayValue Value  `json:"displayValue"`
	} `json:"statistics"`
	// Linescores are the points per period (per set in volleyball, the
	// games of each set in tennis, the strokes of each round in golf, each
	// innings in cricket).
	Linescores []Linescore `json:"linescores"`
	Team       *Team       `json:"team"`
	// Individual sports: the athlete, or a doubles pair's roster; their
	// place in ESPN's order (a race's running order, a golf leaderboard's)
	// and a tennis seed.
	Athlete        *Athlete `json:"athlete"`
	Roster         *Athlete `json:"roster"`
	Order          Value    `json:"order"`
	TournamentSeed Value    `json:"tournamentSeed"`
}

// Linescore is one period of a competitor.
type Linescore struct {
	Value    Value `json:"value"`
	Winner   Value `json:"winner"`   // tennis: the set's winner
	Tiebreak Value `json:"tiebreak"` // tennis: the set's tie-break points
	// Golf's holes of a round; MMA's judges' cards of a bout.
	Linescores []struct {
		Value Value `json:"value"`
	} `json:"linescores"`
	// Cricket: one innings.
	Runs      Value `json:"runs"`
	Wickets   Value `json:"wickets"`
	IsBatting Value `json:"isBatting"`
}

// Athlete is an athlete, or a doubles pair's roster, as events show it.
type Athlete struct {
	DisplayName      Value `json:"displayName"`
	ShortName        Value `json:"shortName"`
	ShortDisplayName Value `json:"shortDisplayName"`
	Flag             *struct {
		Href Value `json:"href"`
	} `json:"flag"`
	Links []Link `json:"links"`
}

// Record is one of a competitor's records ("total", "home", …).
type Record struct {
	Type         string `json:"type"`
	Summary      Value  `json:"summary"`
	DisplayValue string `json:"displayValue"`
}

// Team is a team as events and team lists show it.
type Team struct {
	ID               Value  `json:"id"`
	Abbreviation     string `json:"abbreviation"`
	DisplayName      Value  `json:"displayName"`
	ShortDisplayName Value  `json:"shortDisplayName"`
	Name             string `json:"name"`
	Location         string `json:"location"`
	Color            Value  `json:"color"`
	AlternateColor   Value  `json:"alternateColor"`
	Logo             Value  `json:"logo"`
	Logos            []struct {
		Href string `json:"href"`
	} `json:"logos"`
	ConferenceID Value  `json:"conferenceId"`
	Links        []Link `json:"links"`
	IsActive     *bool  `json:"isActive"`
	IsAllStar    bool   `json:"isAllStar"`
}

// Teams is a team list answer: sports[0].leagues[0].teams[i].team.
type Teams struct {
	Sports []struct {
		Leagues []struct {
			Teams []struct {
				Team Team `json:"team"`
			} `json:"teams"`
		} `json:"leagues"`
	} `json:"sports"`
}
