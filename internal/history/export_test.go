package history

// JoinedReads counts callers waiting on a read another caller started.
func (s *Service) JoinedReads() int { return s.fl.joined() }
