package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// calendarName is the name the Remote Calendar entry is given in its
// config flow; Home Assistant names the entity after it.
const calendarName = "Sports data team"

// checkRemoteCalendar adds the service's iCalendar feed of the followed
// team through Remote Calendar's config flow, as a user does in the UI
// (README, "Follow your team"), and checks that the calendar entity's next
// event is the team's next game as the service answers it.
func (r *run) checkRemoteCalendar(ctx context.Context, team string) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	began := time.Now()
	feed := r.svcBase + "/api/v1/calendar/" + team + ".ics"
	// The feed is read from the store, which holds the team's schedule a
	// few seconds after the service starts; Remote Calendar reads a feed
	// when it is added and then once a day, so it is added once the feed
	// holds the next game.
	if err := feedHasGames(ctx, feed); err != nil {
		r.rep.fail("remote calendar", err.Error())
		return
	}
	var want haGameStatus
	if err := getJSON(ctx, r.svcBase+"/api/v1/ha/game-status/"+team, &want); err != nil {
		r.rep.fail("remote calendar", err.Error())
		return
	}
	if err := r.hc.configFlow(ctx, "remote_calendar", map[string]any{"calendar_name": calendarName, "url": feed}); err != nil {
		r.rep.fail("remote calendar", err.Error())
		return
	}
	tz, err := time.LoadLocation(haTimeZone)
	if err != nil {
		r.rep.fail("remote calendar", err.Error())
		return
	}
	// The entry's first refresh reads the feed before the entity exists;
	// it is looked for until it shows an event.
	var s haState
	for {
		s, err = r.hc.calendarEntity(ctx, calendarName)
		if err == nil && s.Attributes["message"] != nil {
			break
		}
		select {
		case <-ctx.Done():
			r.rep.fail("remote calendar", fmt.Sprintf("no calendar entity named %q with an event in time (%v)", calendarName, err))
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
	ok, detail := nextEventIsGame(s.Attributes, want, tz)
	r.rep.add("remote calendar", ok, "%s added through Remote Calendar's config flow in %s; %s's next event %s",
		feed, time.Since(began).Round(100*time.Millisecond), s.EntityID, detail)
}

// haGameStatus is the part of /api/v1/ha/game-status the check compares.
type haGameStatus struct {
	Status       string  `json:"status"`
	HomeAway     *string `json:"home_away"`
	OpponentName *string `json:"opponent_name"`
	StartTime    *string `json:"start_time"`
}

// nextEventIsGame compares a calendar entity's attributes (its next
// event: message, start_time in Home Assistant's time zone) with the game
// the service shows: same start, the opponent named, "vs" at home and
// "at" away.
func nextEventIsGame(attrs map[string]any, g haGameStatus, tz *time.Location) (bool, string) {
	msg, _ := attrs["message"].(string)
	start, _ := attrs["start_time"].(string)
	got := fmt.Sprintf("is %q at %s", msg, start)
	if g.Status != "upcoming" || g.StartTime == nil || g.OpponentName == nil || g.HomeAway == nil {
		return false, got + fmt.Sprintf("; the service shows no upcoming game (status %q)", g.Status)
	}
	at, err := parseESPNTime(*g.StartTime)
	if err != nil {
		return false, got + "; " + err.Error()
	}
	wantStart := at.In(tz).Format("2006-01-02 15:04:05")
	sep := " at "
	if *g.HomeAway == "home" {
		sep = " vs "
	}
	ok := start == wantStart && strings.Contains(msg, sep) && strings.Contains(msg, *g.OpponentName)
	return ok, got + fmt.Sprintf("; the service's next game: %s against %s at %s", *g.HomeAway, *g.OpponentName, wantStart)
}

// parseESPNTime reads ESPN's dates as the service passes them on
// ("2026-12-13T19:40Z", minute precision) and RFC 3339.
func parseESPNTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("start_time %q is not a date", s)
}

// calendarEntity is the calendar entity whose friendly name is name.
func (c *haClient) calendarEntity(ctx context.Context, name string) (haState, error) {
	var states []haState
	if err := c.call(ctx, http.MethodGet, "/api/states", nil, &states, true); err != nil {
		return haState{}, err
	}
	for _, s := range states {
		if strings.HasPrefix(s.EntityID, "calendar.") && s.Attributes["friendly_name"] == name {
			return s, nil
		}
	}
	return haState{}, fmt.Errorf("no calendar entity named %q", name)
}

func getJSON(ctx context.Context, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s answered %d", url, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// feedHasGames waits until the feed at url holds an event.
func feedHasGames(ctx context.Context, url string) error {
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil && resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte("BEGIN:VEVENT")) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the feed %s held no game in time", url)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
