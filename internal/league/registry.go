package league

// registry holds one row per league: every ESPN league TeamTracker
// follows, keyed by TeamTracker's league name in lower case (NASCAR's ESPN
// path is nascar-premier), and the LPGA beside the PGA.
// The keys are storage prefixes: never rename one.
var registry = []League{
	// Football.
	{Key: "nfl", Name: "NFL", Title: "National Football League", Sport: Football, ESPNLeague: "nfl", ESPNID: "28", PeriodName: "quarter", Periods: 4, PeriodField: "quarter", SeasonStartMonth: 8, SeasonEndMonth: 2, Naming: StartYear},
	{Key: "ncaaf", Name: "NCAAF", Title: "NCAA Football", Sport: Football, ESPNLeague: "college-football", ESPNID: "23", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 8, SeasonEndMonth: 2, Naming: StartYear, Groups: "80", College: true},
	{Key: "ufl", Name: "UFL", Title: "United Football League", Sport: Football, ESPNLeague: "ufl", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 3},

	// Baseball.
	{Key: "mlb", Name: "MLB", Title: "Major League Baseball", Sport: Baseball, ESPNLeague: "mlb", ESPNID: "10", PeriodName: "inning", Periods: 9, PeriodField: "period", SeasonStartMonth: 3},

	// Basketball: the NBA, WNBA and NCAA women play quarters, NCAA men halves.
	{Key: "nba", Name: "NBA", Title: "National Basketball Association", Sport: Basketball, ESPNLeague: "nba", ESPNID: "46", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 10, SeasonEndMonth: 6, Naming: EndYear},
	{Key: "wnba", Name: "WNBA", Title: "Women's National Basketball Association", Sport: Basketball, ESPNLeague: "wnba", ESPNID: "59", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 5},
	{Key: "ncaam", Name: "NCAAM", Title: "NCAA Men's Basketball", Sport: Basketball, ESPNLeague: "mens-college-basketball", ESPNID: "41", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 11, SeasonEndMonth: 4, Naming: EndYear, Groups: "50", College: true},
	{Key: "ncaaw", Name: "NCAAW", Title: "NCAA Women's Basketball", Sport: Basketball, ESPNLeague: "womens-college-basketball", ESPNID: "54", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 11, SeasonEndMonth: 4, Naming: EndYear, Groups: "50", College: true},

	// Hockey.
	{Key: "nhl", Name: "NHL", Title: "National Hockey League", Sport: Hockey, ESPNLeague: "nhl", ESPNID: "90", PeriodName: "period", Periods: 3, OTLosses: true, PeriodField: "period", SeasonStartMonth: 9, SeasonEndMonth: 6, Naming: EndYear},
	{Key: "pwhl", Name: "PWHL", Title: "Professional Women's Hockey League", Sport: Hockey, ESPNLeague: "pwhl", PeriodName: "period", Periods: 3, PeriodField: "period", SeasonStartMonth: 11, SeasonEndMonth: 5, Naming: EndYear},

	// Soccer: two halves; extra time and shoot-outs in cups. European
	// seasons run August to May and are named by their first year.
	{Key: "mls", Name: "MLS", Title: "Major League Soccer", Sport: Soccer, ESPNLeague: "usa.1", ESPNID: "770", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 2},
	{Key: "nwsl", Name: "NWSL", Title: "National Women's Soccer League", Sport: Soccer, ESPNLeague: "usa.nwsl", ESPNID: "8301", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 3},
	{Key: "epl", Name: "EPL", Title: "English Premier League", Sport: Soccer, ESPNLeague: "eng.1", ESPNID: "700", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 8, SeasonEndMonth: 6, Naming: StartYear},
	{Key: "liga", Name: "LIGA", Title: "LaLiga", Sport: Soccer, ESPNLeague: "esp.1", ESPNID: "740", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 8, SeasonEndMonth: 6, Naming: StartYear},
	{Key: "bund", Name: "BUND", Title: "Bundesliga", Sport: Soccer, ESPNLeague: "ger.1", ESPNID: "720", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 8, SeasonEndMonth: 6, Naming: StartYear},
	{Key: "sera", Name: "SERA", Title: "Serie A", Sport: Soccer, ESPNLeague: "ita.1", ESPNID: "730", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 8, SeasonEndMonth: 6, Naming: StartYear},
	{Key: "lig1", Name: "LIG1", Title: "Ligue 1", Sport: Soccer, ESPNLeague: "fra.1", ESPNID: "710", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 8, SeasonEndMonth: 6, Naming: StartYear},
	{Key: "cl", Name: "CL", Title: "UEFA Champions League", Sport: Soccer, ESPNLeague: "uefa.champions", ESPNID: "775", Aliases: []string{"ucl"}, PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 7, SeasonEndMonth: 6, Naming: StartYear},
	{Key: "cla", Name: "CLA", Title: "CONMEBOL Libertadores", Sport: Soccer, ESPNLeague: "conmebol.libertadores", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 2},
	{Key: "wc", Name: "WC", Title: "FIFA World Cup", Sport: Soccer, ESPNLeague: "fifa.world", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 6},
	{Key: "wwc", Name: "WWC", Title: "FIFA Women's World Cup", Sport: Soccer, ESPNLeague: "fifa.wwc", PeriodName: "half", Periods: 2, PeriodField: "period", SeasonStartMonth: 7},

	// Volleyball: sets are the periods, best of five.
	{Key: "ncaavb", Name: "NCAAVB", Title: "NCAA Men's Volleyball", Sport: Volleyball, ESPNLeague: "mens-college-volleyball", Aliases: []string{"ncaavbm"}, PeriodName: "set", Periods: 5, PeriodField: "period", SeasonStartMonth: 1, College: true},
	{Key: "ncaavbw", Name: "NCAAVBW", Title: "NCAA Women's Volleyball", Sport: Volleyball, ESPNLeague: "womens-college-volleyball", ESPNID: "402", PeriodName: "set", Periods: 5, PeriodField: "period", SeasonStartMonth: 8, College: true},

	// Australian football.
	{Key: "afl", Name: "AFL", Title: "Australian Football League", Sport: AustralianFootball, ESPNLeague: "afl", PeriodName: "quarter", Periods: 4, PeriodField: "period", SeasonStartMonth: 3},

	// Tennis: every match of a tournament is a contest of two (a player or
	// a doubles pair each); sets are the periods, the score is sets won.
	{Key: "atp", Name: "ATP", Title: "ATP Tour", Sport: Tennis, ESPNLeague: "atp", ESPNID: "851", PeriodName: "set", Periods: 5, PeriodField: "period", SeasonStartMonth: 1},
	{Key: "wta", Name: "WTA", Title: "WTA Tour", Sport: Tennis, ESPNLeague: "wta", ESPNID: "900", PeriodName: "set", Periods: 3, PeriodField: "period", SeasonStartMonth: 1},

	// MMA: every bout of a card is a contest of two; rounds are the periods.
	{Key: "ufc", Name: "UFC", Title: "Ultimate Fighting Championship", Sport: MMA, ESPNLeague: "ufc", ESPNID: "3321", PeriodName: "round", Periods: 3, PeriodField: "period", SeasonStartMonth: 1},

	// Golf: a tournament is one contest of the whole field over four rounds.
	{Key: "pga", Name: "PGA", Title: "PGA Tour", Sport: Golf, ESPNLeague: "pga", ESPNID: "1106", PeriodName: "round", Periods: 4, PeriodField: "period", SeasonStartMonth: 1},
	{Key: "lpga", Name: "LPGA", Title: "LPGA Tour", Sport: Golf, ESPNLeague: "lpga", ESPNID: "1107", PeriodName: "round", Periods: 4, PeriodField: "period", SeasonStartMonth: 1},

	// Racing: every session of a race weekend (practice, qualifying, sprint,
	// race) is one contest of the whole field; laps are the periods.
	{Key: "f1", Name: "F1", Title: "Formula 1", Sport: Racing, ESPNLeague: "f1", ESPNID: "2030", PeriodName: "lap", PeriodField: "period", SeasonStartMonth: 2},
	{Key: "irl", Name: "IRL", Title: "IndyCar Series", Sport: Racing, ESPNLeague: "irl", PeriodName: "lap", PeriodField: "period", SeasonStartMonth: 2},
	{Key: "nascar", Name: "NASCAR", Title: "NASCAR Cup Series", Sport: Racing, ESPNLeague: "nascar-premier", ESPNID: "2021", PeriodName: "lap", PeriodField: "period", SeasonStartMonth: 2},
}
