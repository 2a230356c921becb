package main

import (
	"fmt"
	"io"
	"strings"
)

// report is one run's table: a row per check (pass, fail, or information)
// with the first problems under a failed row.
type report struct {
	title string
	notes []string
	rows  []row
}

type row struct {
	name     string
	result   string // PASS, FAIL, info
	detail   string
	problems []string
}

func (r *report) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// check adds a row that passes when there are no problems.
func (r *report) check(name, detail string, problems []string) {
	res := "PASS"
	if len(problems) > 0 {
		res = "FAIL"
	}
	r.rows = append(r.rows, row{name: name, result: res, detail: detail, problems: problems})
}

func (r *report) info(name, detail string) {
	r.rows = append(r.rows, row{name: name, result: "info", detail: detail})
}

func (r *report) ok() bool {
	for _, w := range r.rows {
		if w.result == "FAIL" {
			return false
		}
	}
	return true
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "\n== %s ==\n", r.title)
	for _, n := range r.notes {
		fmt.Fprintf(w, "   %s\n", n)
	}
	width := len("check")
	for _, x := range r.rows {
		width = max(width, len(x.name))
	}
	fmt.Fprintf(w, "%-*s  %-6s %s\n", width, "check", "result", "detail")
	fmt.Fprintf(w, "%s  %s %s\n", strings.Repeat("-", width), strings.Repeat("-", 6), strings.Repeat("-", 40))
	for _, x := range r.rows {
		fmt.Fprintf(w, "%-*s  %-6s %s\n", width, x.name, x.result, x.detail)
		for i, p := range x.problems {
			if i == 10 {
				fmt.Fprintf(w, "%*s  … and %d more\n", width, "", len(x.problems)-10)
				break
			}
			fmt.Fprintf(w, "%*s  - %s\n", width, "", p)
		}
	}
}
