package espnjson

// StandingsGroup is ESPN's standings answer (apis/v2/.../standings) and
// each group in it: the league at the top, conferences (and, when asked
// for, divisions) in children. A group with a table has standings.
type StandingsGroup struct {
	Name         Value            `json:"name"`
	Abbreviation Value            `json:"abbreviation"`
	Children     []StandingsGroup `json:"children"`
	Standings    *StandingsTable  `json:"standings"`
}

// StandingsTable is one group's table.
type StandingsTable struct {
	Season     Number           `json:"season"`
	SeasonType Number           `json:"seasonType"`
	Entries    []StandingsEntry `json:"entries"`
}

// StandingsEntry is one team's line: its values are stats, by name.
type StandingsEntry struct {
	Team *Team `json:"team"`
	// Note is what a position qualifies for (soccer: "Champions League").
	Note *struct {
		Description Value  `json:"description"`
		Rank        Number `json:"rank"`
	} `json:"note"`
	Stats []struct {
		Name         string `json:"name"`
		Type         string `json:"type"`
		Value        Number `json:"value"`
		DisplayValue Value  `json:"displayValue"`
	} `json:"stats"`
}
