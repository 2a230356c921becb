package espn

import "encoding/json"

// The raw* types mirror the parts of ESPN's JSON the service reads
// (docs/espn.md describes what the service relies on). Scalars that ESPN
// has sent in more than one JSON type use the flex* types.

type eventsDoc struct {
	Events []rawEvent `json:"events"`
	// Season and Week are only present on scoreboard requests without dates.
	Season *rawSeason `json:"season"`
	Week   *rawWeek   `json:"week"`
	// RequestedSeason is the team schedule's season; its top-level season is
	// the one current when the request was made, not the listed one.
	RequestedSeason *rawSeason `json:"requestedSeason"`
}

type rawSeason struct {
	Year flexNum `json:"year"`
	Type flexNum `json:"type"`
}

type rawWeek struct {
	Number flexNum `json:"number"`
}

type rawEvent struct {
	ID           flexString       `json:"id"`
	Date         flexString       `json:"date"`
	Season       rawSeason        `json:"season"`
	SeasonType   rawSeason        `json:"seasonType"`
	Week         rawWeek          `json:"week"`
	TimeValid    *bool            `json:"timeValid"`
	Status       *rawStatus       `json:"status"`
	Competitions []rawCompetition `json:"competitions"`
}

type rawStatus struct {
	DisplayClock flexString `json:"displayClock"`
	Period       flexNum    `json:"period"`
	Type         struct {
		Name        string `json:"name"`
		State       string `json:"state"`
		Completed   bool   `json:"completed"`
		Detail      string `json:"detail"`
		ShortDetail string `json:"shortDetail"`
	} `json:"type"`
}

type rawCompetition struct {
	ID        flexString `json:"id"`
	Date      flexString `json:"date"`
	TimeValid *bool      `json:"timeValid"`
	Status    *rawStatus `json:"status"`
	Format    struct {
		Regulation struct {
			Periods flexNum `json:"periods"`
		} `json:"regulation"`
	} `json:"format"`
	Venue struct {
		FullName string `json:"fullName"`
		Address  struct {
			City string `json:"city"`
		} `json:"address"`
	} `json:"venue"`
	Broadcasts  []rawBroadcast  `json:"broadcasts"`
	Notes       []rawNote       `json:"notes"`
	Odds        []rawOdds       `json:"odds"`
	Situation   *rawSituation   `json:"situation"`
	Competitors []rawCompetitor `json:"competitors"`
}

type rawBroadcast struct {
	// Scoreboard form: {"market":"national","names":["CBS"]}.
	Names []flexString `json:"names"`
	// Team schedule form: {"media":{"shortName":"NBC"}, ...}.
	Media struct {
		ShortName string `json:"shortName"`
	} `json:"media"`
}

type rawNote struct {
	Headline string `json:"headline"`
}

type rawOdds struct {
	Provider struct {
		Name string `json:"name"`
	} `json:"provider"`
	Details   string  `json:"details"`
	OverUnder flexNum `json:"overUnder"`
	Spread    flexNum `json:"spread"`
}

type rawSituation struct {
	// Baseball: the count, the outs and who is on base.
	Balls    flexNum `json:"balls"`
	Strikes  flexNum `json:"strikes"`
	Outs     flexNum `json:"outs"`
	OnFirst  bool    `json:"onFirst"`
	OnSecond bool    `json:"onSecond"`
	OnThird  bool    `json:"onThird"`

	Possession       flexString `json:"possession"`
	DownDistanceText string     `json:"downDistanceText"`
	LastPlay         struct {
		Text        string `json:"text"`
		Probability struct {
			HomeWinPercentage flexNum `json:"homeWinPercentage"`
			AwayWinPercentage flexNum `json:"awayWinPercentage"`
		} `json:"probability"`
	} `json:"lastPlay"`
}

type rawCompetitor struct {
	HomeAway string      `json:"homeAway"`
	Score    flexScore   `json:"score"`
	Records  []rawRecord `json:"records"`
	// Record is the schedule's list of records, or on NHL playoff
	// scoreboards a string holding the series score, which is not a season
	// record and is ignored.
	Record json.RawMessage `json:"record"`
	Team   rawTeam         `json:"team"`
	// ShootoutScore is soccer's penalty shoot-out goals.
	ShootoutScore flexNum `json:"shootoutScore"`
	// Linescores are the points per period (per set in volleyball).
	Linescores []struct {
		Value flexNum `json:"value"`
	} `json:"linescores"`
	// CuratedRank is the college poll rank; 99 means unranked.
	CuratedRank struct {
		Current flexNum `json:"current"`
	} `json:"curatedRank"`
	Statistics []struct {
		Name         string     `json:"name"`
		DisplayValue flexString `json:"displayValue"`
	} `json:"statistics"`
}

type rawRecord struct {
	Type         string `json:"type"`
	Summary      string `json:"summary"`
	DisplayValue string `json:"displayValue"`
}

type rawTeam struct {
	ID               flexString `json:"id"`
	Abbreviation     string     `json:"abbreviation"`
	DisplayName      string     `json:"displayName"`
	ShortDisplayName string     `json:"shortDisplayName"`
	Name             string     `json:"name"`
	Location         string     `json:"location"`
	Color            string     `json:"color"`
	AlternateColor   string     `json:"alternateColor"`
	Logo             string     `json:"logo"`
	Logos            []struct {
		Href string `json:"href"`
	} `json:"logos"`
	IsActive  *bool `json:"isActive"`
	IsAllStar bool  `json:"isAllStar"`
}

type teamsDoc struct {
	Sports []struct {
		Leagues []struct {
			Teams []struct {
				Team rawTeam `json:"team"`
			} `json:"teams"`
		} `json:"leagues"`
	} `json:"sports"`
}
