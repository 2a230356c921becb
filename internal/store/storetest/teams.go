package storetest

import "strings"

// Team is what the builders and the season generator need to know about a
// team: the tags and fields a store point carries for it.
type Team struct {
	Abbr       string // ESPN abbreviation, upper case: "NE"
	ID         string // ESPN numeric id
	Name       string // display name: "New England Patriots"
	Conference string
	Division   string
	Venue      string
}

// The 2024-25 teams as ESPN lists them (abbreviations and ids from the teams
// captures in testdata/espn); conferences and divisions as the leagues
// organise them. Venues are generic names: no test depends on them.
var nflTeams = []Team{
	{"ARI", "22", "Arizona Cardinals", "NFC", "NFC West", ""},
	{"ATL", "1", "Atlanta Falcons", "NFC", "NFC South", ""},
	{"BAL", "33", "Baltimore Ravens", "AFC", "AFC North", ""},
	{"BUF", "2", "Buffalo Bills", "AFC", "AFC East", ""},
	{"CAR", "29", "Carolina Panthers", "NFC", "NFC South", ""},
	{"CHI", "3", "Chicago Bears", "NFC", "NFC North", ""},
	{"CIN", "4", "Cincinnati Bengals", "AFC", "AFC North", ""},
	{"CLE", "5", "Cleveland Browns", "AFC", "AFC North", ""},
	{"DAL", "6", "Dallas Cowboys", "NFC", "NFC East", ""},
	{"DEN", "7", "Denver Broncos", "AFC", "AFC West", ""},
	{"DET", "8", "Detroit Lions", "NFC", "NFC North", ""},
	{"GB", "9", "Green Bay Packers", "NFC", "NFC North", ""},
	{"HOU", "34", "Houston Texans", "AFC", "AFC South", ""},
	{"IND", "11", "Indianapolis Colts", "AFC", "AFC South", ""},
	{"JAX", "30", "Jacksonville Jaguars", "AFC", "AFC South", ""},
	{"KC", "12", "Kansas City Chiefs", "AFC", "AFC West", ""},
	{"LV", "13", "Las Vegas Raiders", "AFC", "AFC West", ""},
	{"LAC", "24", "Los Angeles Chargers", "AFC", "AFC West", ""},
	{"LAR", "14", "Los Angeles Rams", "NFC", "NFC West", ""},
	{"MIA", "15", "Miami Dolphins", "AFC", "AFC East", ""},
	{"MIN", "16", "Minnesota Vikings", "NFC", "NFC North", ""},
	{"NE", "17", "New England Patriots", "AFC", "AFC East", ""},
	{"NO", "18", "New Orleans Saints", "NFC", "NFC South", ""},
	{"NYG", "19", "New York Giants", "NFC", "NFC East", ""},
	{"NYJ", "20", "New York Jets", "AFC", "AFC East", ""},
	{"PHI", "21", "Philadelphia Eagles", "NFC", "NFC East", ""},
	{"PIT", "23", "Pittsburgh Steelers", "AFC", "AFC North", ""},
	{"SF", "25", "San Francisco 49ers", "NFC", "NFC West", ""},
	{"SEA", "26", "Seattle Seahawks", "NFC", "NFC West", ""},
	{"TB", "27", "Tampa Bay Buccaneers", "NFC", "NFC South", ""},
	{"TEN", "10", "Tennessee Titans", "AFC", "AFC South", ""},
	{"WSH", "28", "Washington Commanders", "NFC", "NFC East", ""},
}

var nhlTeams = []Team{
	{"ANA", "25", "Anaheim Ducks", "Western", "Pacific", ""},
	{"BOS", "1", "Boston Bruins", "Eastern", "Atlantic", ""},
	{"BUF", "2", "Buffalo Sabres", "Eastern", "Atlantic", ""},
	{"CGY", "3", "Calgary Flames", "Western", "Pacific", ""},
	{"CAR", "7", "Carolina Hurricanes", "Eastern", "Metropolitan", ""},
	{"CHI", "4", "Chicago Blackhawks", "Western", "Central", ""},
	{"COL", "17", "Colorado Avalanche", "Western", "Central", ""},
	{"CBJ", "29", "Columbus Blue Jackets", "Eastern", "Metropolitan", ""},
	{"DAL", "9", "Dallas Stars", "Western", "Central", ""},
	{"DET", "5", "Detroit Red Wings", "Eastern", "Atlantic", ""},
	{"EDM", "6", "Edmonton Oilers", "Western", "Pacific", ""},
	{"FLA", "26", "Florida Panthers", "Eastern", "Atlantic", ""},
	{"LA", "8", "Los Angeles Kings", "Western", "Pacific", ""},
	{"MIN", "30", "Minnesota Wild", "Western", "Central", ""},
	{"MTL", "10", "Montreal Canadiens", "Eastern", "Atlantic", ""},
	{"NSH", "27", "Nashville Predators", "Western", "Central", ""},
	{"NJ", "11", "New Jersey Devils", "Eastern", "Metropolitan", ""},
	{"NYI", "12", "New York Islanders", "Eastern", "Metropolitan", ""},
	{"NYR", "13", "New York Rangers", "Eastern", "Metropolitan", ""},
	{"OTT", "14", "Ottawa Senators", "Eastern", "Atlantic", ""},
	{"PHI", "15", "Philadelphia Flyers", "Eastern", "Metropolitan", ""},
	{"PIT", "16", "Pittsburgh Penguins", "Eastern", "Metropolitan", ""},
	{"SJ", "18", "San Jose Sharks", "Western", "Pacific", ""},
	{"SEA", "124292", "Seattle Kraken", "Western", "Pacific", ""},
	{"STL", "19", "St. Louis Blues", "Western", "Central", ""},
	{"TB", "20", "Tampa Bay Lightning", "Eastern", "Atlantic", ""},
	{"TOR", "21", "Toronto Maple Leafs", "Eastern", "Atlantic", ""},
	{"UTAH", "129764", "Utah Hockey Club", "Western", "Central", ""},
	{"VAN", "22", "Vancouver Canucks", "Western", "Pacific", ""},
	{"VGK", "37", "Vegas Golden Knights", "Western", "Pacific", ""},
	{"WSH", "23", "Washington Capitals", "Eastern", "Metropolitan", ""},
	{"WPG", "28", "Winnipeg Jets", "Western", "Central", ""},
}

// Teams returns a copy of the teams of a league: the 32 NFL or NHL teams,
// nil for a league without a list here.
func Teams(league string) []Team {
	var src []Team
	switch league {
	case "nfl":
		src = nflTeams
	case "nhl":
		src = nhlTeams
	default:
		return nil
	}
	out := make([]Team, len(src))
	for i, t := range src {
		t.Venue = venueName(league, t)
		out[i] = t
	}
	return out
}

// TeamsByAbbr picks teams of a league by abbreviation, in the order given.
// An abbreviation without a known team gets a team of that name only, so
// tests can use made-up or hostile abbreviations.
func TeamsByAbbr(league string, abbrs ...string) []Team {
	out := make([]Team, 0, len(abbrs))
	for _, a := range abbrs {
		out = append(out, LookupTeam(league, a))
	}
	return out
}

// LookupTeam finds a team of a league by abbreviation (case-insensitive);
// an unknown abbreviation gives Team{Abbr: abbr, Name: abbr}.
func LookupTeam(league, abbr string) Team {
	for _, t := range Teams(league) {
		if strings.EqualFold(t.Abbr, abbr) {
			return t
		}
	}
	return Team{Abbr: abbr, Name: abbr}
}

func venueName(league string, t Team) string {
	city := t.Name
	if i := strings.LastIndexByte(city, ' '); i > 0 {
		city = city[:i]
	}
	if league == "nfl" {
		return city + " Stadium"
	}
	return city + " Arena"
}
