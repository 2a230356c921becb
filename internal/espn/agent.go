package espn

import "strings"

// ProjectURL names the project in the User-Agent: ESPN answers a custom
// agent that carries its program's address (docs/espn.md, Requests).
const ProjectURL = "https://github.com/sports-data/sports-data"

// UserAgent is the agent the service sends ESPN unless ESPN_USER_AGENT
// says otherwise: the product, its version and the project's address.
func UserAgent(version string) string {
	if version = strings.TrimSpace(version); version == "" {
		version = "dev"
	}
	return "sports-data/" + version + " (+" + ProjectURL + ")"
}
