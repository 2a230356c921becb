package main

import "github.com/sports-data/sports-data/internal/childproc"

// child is a process the harness owns (the service, Home Assistant). Its
// output goes to a log file in the run's directory.
type child struct{ childproc.Proc }

// start starts the process; the log's banner names the harness, so a log
// read on its own says which harness wrote it.
func (c *child) start() error { return c.Start("e2e-ha: start " + c.Name) }
