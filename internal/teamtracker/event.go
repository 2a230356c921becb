package teamtracker

import "encoding/json"

// The types below are the parts of ESPN's scoreboard event the sensor
// reads. Values the sensor passes on as ESPN sent them stay json.RawMessage,
// so that a score sent as a string stays a string and a number a number.

type rawEvent struct {
	ID        json.RawMessage `json:"id"`
	Date      string          `json:"date"`
	ShortName json.RawMessage `json:"shortName"`
	Season    struct {
		Slug json.RawMessage `json:"slug"`
	} `json:"season"`
	Status       *rawStatus       `json:"status"`
	Links        []rawLink        `json:"links"`
	Competitions []rawCompetition `json:"competitions"`
}

type rawLink struct {
	Href json.RawMessage `json:"href"`
}

type rawStatus struct {
	Period json.RawMessage `json:"period"`
	Type   struct {
		State       string          `json:"state"`
		Detail      json.RawMessage `json:"detail"`
		ShortDetail json.RawMessage `json:"shortDetail"`
	} `json:"type"`
}

type rawCompetition struct {
	Date   string     `json:"date"`
	Status *rawStatus `json:"status"`
	Series *struct {
		Summary json.RawMessage `json:"summary"`
	} `json:"series"`
	Venue *struct {
		FullName json.RawMessage `json:"fullName"`
		Address  *struct {
			City    *string         `json:"city"`
			State   *string         `json:"state"`
			Country *string         `json:"country"`
			Summary json.RawMessage `json:"summary"`
		} `json:"address"`
	} `json:"venue"`
	Broadcasts []struct {
		Names []json.RawMessage `json:"names"`
	} `json:"broadcasts"`
	Odds []struct {
		Details   json.RawMessage `json:"details"`
		OverUnder json.RawMessage `json:"overUnder"`
	} `json:"odds"`
	Situation   *rawSituation   `json:"situation"`
	Details     []rawDetail     `json:"details"`
	Competitors []rawCompetitor `json:"competitors"`
}

type rawSituation struct {
	DownDistanceText json.RawMessage `json:"downDistanceText"`
	Possession       json.RawMessage `json:"possession"`
	HomeTimeouts     json.RawMessage `json:"homeTimeouts"`
	AwayTimeouts     json.RawMessage `json:"awayTimeouts"`
	Outs             json.RawMessage `json:"outs"`
	Balls            json.RawMessage `json:"balls"`
	Strikes          json.RawMessage `json:"strikes"`
	OnFirst          json.RawMessage `json:"onFirst"`
	OnSecond         json.RawMessage `json:"onSecond"`
	OnThird          json.RawMessage `json:"onThird"`
	LastPlay         *struct {
		Text        json.RawMessage `json:"text"`
		Probability *struct {
			HomeWinPercentage json.RawMessage `json:"homeWinPercentage"`
			AwayWinPercentage json.RawMessage `json:"awayWinPercentage"`
		} `json:"probability"`
	} `json:"lastPlay"`
}

type rawDetail struct {
	Clock *struct {
		DisplayValue *string `json:"displayValue"`
	} `json:"clock"`
	Type *struct {
		Text *string `json:"text"`
	} `json:"type"`
	Team *struct {
		ID json.RawMessage `json:"id"`
	} `json:"team"`
	AthletesInvolved []struct {
		DisplayName *string `json:"displayName"`
	} `json:"athletesInvolved"`
}

type rawCompetitor struct {
	ID            json.RawMessage `json:"id"`
	Type          string          `json:"type"`
	HomeAway      json.RawMessage `json:"homeAway"`
	Score         json.RawMessage `json:"score"`
	ShootoutScore json.RawMessage `json:"shootoutScore"`
	Winner        json.RawMessage `json:"winner"`
	CuratedRank   *struct {
		Current json.RawMessage `json:"current"`
	} `json:"curatedRank"`
	Records []struct {
		Summary json.RawMessage `json:"summary"`
	} `json:"records"`
	Statistics []struct {
		Name         string          `json:"name"`
		DisplayValue json.RawMessage `json:"displayValue"`
	} `json:"statistics"`
	Linescores []struct {
		Value json.RawMessage `json:"value"`
	} `json:"linescores"`
	Team *rawTeam `json:"team"`
}

type rawTeam struct {
	ID               json.RawMessage `json:"id"`
	Abbreviation     *string         `json:"abbreviation"`
	DisplayName      json.RawMessage `json:"displayName"`
	ShortDisplayName json.RawMessage `json:"shortDisplayName"`
	Color            json.RawMessage `json:"color"`
	AlternateColor   json.RawMessage `json:"alternateColor"`
	Logo             json.RawMessage `json:"logo"`
	ConferenceID     json.RawMessage `json:"conferenceId"`
	Links            []rawLink       `json:"links"`
}

type rawLeague struct {
	Name  json.RawMessage `json:"name"`
	Logos []rawLink       `json:"logos"`
}
